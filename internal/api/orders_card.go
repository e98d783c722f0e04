package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// maxCardCancel bounds one bulk cancel: each order is a call to the gateway at its pace.
const maxCardCancel = 100

type cancelCardPaymentsInput struct {
	Body struct {
		IDs []int64 `json:"ids" minItems:"1" maxItems:"100" doc:"注文ID (1件でも、まとめてでも)"`
	}
}

// CardResult is what became of one order's card payment.
type CardResult struct {
	ID            int64  `json:"id"`
	OK            bool   `json:"ok"`
	PaymentStatus string `json:"payment_status,omitempty"`
	Message       string `json:"message"`
}

type cardResultsOutput struct {
	Body struct {
		Results []CardResult `json:"results"`
		Message string       `json:"message"`
	}
}

// cancelCardPayments cancels the card payment of each order (the own cart's webコレクト, A06),
// only while 仮売上: the order becomes 注文キャンセル. In 決済完了 it is refused with the seed's
// instruction (use webコレクト's management screen); in 要確認 it is not sent, saying why. Each
// order's outcome is reported; one refusal does not stop the others.
func (h *Handler) cancelCardPayments(ctx context.Context, in *cancelCardPaymentsInput) (*cardResultsOutput, error) {
	if h.deps.Client == nil {
		return nil, apperror.New(apperror.Invalid, "このサーバーではカード決済を操作できません。")
	}
	out := &cardResultsOutput{}
	done := 0
	for _, id := range in.Body.IDs[:min(len(in.Body.IDs), maxCardCancel)] {
		r := h.cancelCard(ctx, id)
		if r.OK {
			done++
		}
		out.Body.Results = append(out.Body.Results, r)
	}
	out.Body.Message = fmt.Sprintf("%d件のうち%d件のカード決済をキャンセルしました。", len(out.Body.Results), done)
	return out, nil
}

func (h *Handler) cancelCard(ctx context.Context, id int64) CardResult {
	fail := func(msg string) CardResult { return CardResult{ID: id, Message: msg} }
	o, err := h.deps.Store.GetOrder(ctx, id)
	if err != nil {
		return fail(apperror.MessageOf(err))
	}
	sh, err := h.deps.Store.GetShop(ctx, o.ShopID)
	if err != nil {
		return fail(apperror.MessageOf(err))
	}
	client, err := h.deps.Client(sh)
	if err != nil {
		return fail(err.Error())
	}
	pm, ok := client.(channel.PaymentManager)
	if !ok {
		return fail(fmt.Sprintf("「%s」の注文のカード決済は ichigen から操作できません。", sh.Channel.Label()))
	}
	updated, err := pm.CancelPayment(channel.WithCall(ctx, "card_cancel", o.ID), o)
	if err != nil {
		var e *channel.Error
		if errors.As(err, &e) && e.Message != "" {
			return CardResult{ID: id, PaymentStatus: string(o.PaymentStatus), Message: e.Message}
		}
		return fail(err.Error())
	}
	if _, err := h.deps.Store.UpsertOrders(ctx, sh.ID, []order.Order{updated}, store.UpsertOptions{Actor: "operator:" + user.ActorOf(ctx)}); err != nil {
		return fail("クロネコwebコレクトではキャンセルされましたが、注文の決済ステータスを保存できませんでした。決済確認を実行して決済ステータスを合わせてください: " + apperror.MessageOf(err))
	}
	return CardResult{ID: id, OK: true, PaymentStatus: string(updated.PaymentStatus), Message: "カード決済をキャンセルしました(注文キャンセル)。"}
}
