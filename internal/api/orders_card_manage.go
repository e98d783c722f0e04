package api

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

type changePaymentMethodInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Method string `json:"method" enum:"銀行振込,任意決済,代金引換,後払い.com,NP後払い" doc:"変更後の決済方法 (NP後払いは手動連携(CSV運用)の店舗だけ)"`
	}
}

// ownshopOrder reads an order of an own-cart shop.
func (h *Handler) ownshopOrder(ctx context.Context, id int64) (order.Order, shop.Shop, error) {
	o, err := h.deps.Store.GetOrder(ctx, id)
	if err != nil {
		return o, shop.Shop{}, err
	}
	sh, err := h.deps.Store.GetShop(ctx, o.ShopID)
	if err != nil {
		return o, sh, err
	}
	if sh.Channel != shop.Channel(ownshop.Channel) {
		return o, sh, apperror.New(apperror.Invalid, "自社カートの注文だけ、クロネコwebコレクトの決済を操作できます。")
	}
	return o, sh, nil
}

// changePaymentMethod is 決済方法の変更 after a cancel (seed 004): to a method of the seed's table,
// the new method's fee 0 with a warning on the order, and the order back from キャンセル to
// 未配送.
func (h *Handler) changePaymentMethod(ctx context.Context, in *changePaymentMethodInput) (*messageOutput, error) {
	o, sh, err := h.ownshopOrder(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	changed, err := ownshop.ChangeMethod(o, in.Body.Method, sh.Credentials.Plain()["npByCSV"] == "yes")
	if err != nil {
		return nil, err
	}
	changed.MarketplaceUpdatedAt = time.Now().Add(time.Second)
	actor := "operator:" + user.ActorOf(ctx)
	if err := h.deps.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{changed}, store.UpsertOptions{Overwrite: true, Actor: actor}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, At: time.Now(), Kind: order.EventUpdated, Actor: actor,
			Message: fmt.Sprintf("決済方法を「%s」から「%s」に変更しました。%s", o.PaymentMethod, changed.PaymentMethod, ownshop.MsgFeeReset)}})
	}); err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: "決済方法を「" + changed.PaymentMethod + "」に変更し、配送ステータスを未配送に戻しました。" + ownshop.MsgFeeReset}}, nil
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
func (h *Handler) setPaymentStatus(ctx context.Context, in *setPaymentStatusInput) (*messageOutput, error) {
	o, sh, err := h.ownshopOrder(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	to := order.PaymentStatus(in.Body.Status)
	reason := strings.TrimSpace(in.Body.Reason)
	if !to.Card() || reason == "" {
		return nil, apperror.New(apperror.Invalid, "決済ステータスと理由を指定してください。")
	}
	from := o.PaymentStatus
	o.PaymentStatus = to
	o.MarketplaceUpdatedAt = time.Now().Add(time.Second)
	actor := "operator:" + user.ActorOf(ctx)
	if err := h.deps.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{o}, store.UpsertOptions{Actor: actor}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, At: time.Now(), Kind: order.EventUpdated, Actor: actor,
			Message: fmt.Sprintf("決済ステータスを手動で「%s」から「%s」に変更しました(クロネコwebコレクトには連携していません)。理由: %s", from.Label(), to.Label(), reason)}})
	}); err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: "決済ステータスを「" + to.Label() + "」に変更しました。クロネコwebコレクトには連携していません。"}}, nil
}
