package api

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/apperror"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/user"
)

type changePaymentMethodInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Method string `json:"method" enum:"銀行振込,任意決済,代金引換,後払い.com,NP後払い" doc:"変更後の決済方法 (NP後払いは手動連携(CSV運用)の店舗だけ)"`
	}
}

// changePaymentMethod is 決済方法の変更 after a cancel (seed 004): to a method of the seed's table,
// the new method's fee 0 with a warning on the order, and the order back from キャンセル to
// 未配送.
func (h *Handler) changePaymentMethod(ctx context.Context, in *changePaymentMethodInput) (*messageOutput, error) {
	msg, err := orderops.ChangePaymentMethod(ctx, h.deps.Store, in.ID, in.Body.Method, user.ActorOf(ctx))
	if err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: msg}}, nil
}

type setPaymentStatusInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Status string `json:"status" enum:"card_authorized,card_captured,card_cancelled,card_expired,card_failed,card_unsettled" doc:"表示する決済ステータス"`
		Reason string `json:"reason" minLength:"1" maxLength:"500" doc:"理由 (例: クロネコ側で実売上後のキャンセルに成功したため)。注文の履歴に残ります"`
	}
}

// setPaymentStatus sets an own-cart order's displayed payment status by hand, with a reason, in
// the order's history: what makeshop asks its shops to request from support when a change made
// in webコレクト's own screen left the two apart (seed 004, 見た目上のステータス変更). Nothing is
// sent to webコレクト.
//
// Only an administrator may: the status shown is no longer what the gateway says.
func (h *Handler) setPaymentStatus(ctx context.Context, in *setPaymentStatusInput) (*messageOutput, error) {
	if !principalOf(ctx).group.Administers() {
		return nil, apperror.New(apperror.Forbidden, "決済ステータスの手動変更は管理者だけができます。管理者に依頼してください。")
	}
	msg, err := orderops.SetPaymentStatus(ctx, h.deps.Store, in.ID, order.PaymentStatus(in.Body.Status), in.Body.Reason, user.ActorOf(ctx))
	if err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: msg}}, nil
}
