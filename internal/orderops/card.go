package orderops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// ClientFor builds a shop's channel client, for the card operations that call the gateway at once
// (the own cart's webコレクト).
type ClientFor func(shop.Shop) (channel.Client, error)

// MaxCardCancel bounds one bulk card cancel: each order is a call to the gateway at its pace.
const MaxCardCancel = 100

// CardResult is what became of one order's card payment.
type CardResult struct {
	ID            int64
	OK            bool
	PaymentStatus order.PaymentStatus
	Message       string
}

// CheckCardCancel refuses, before any call, the card cancel of an order webコレクト would refuse
// or that must not be sent (seed 004): not an own-cart card order, 決済完了 (webコレクト's
// management screen), 要確認 (not linked), or any status but 仮売上.
func CheckCardCancel(o order.Order, sh shop.Shop) error {
	switch {
	case sh.Channel != shop.Channel(ownshop.Channel) || !o.PaymentStatus.Card():
		return apperror.New(apperror.Invalid, "自社カートのクロネコwebコレクトのカード決済の注文だけ、カード決済をキャンセルできます。")
	case o.PaymentStatus == order.CardCaptured:
		return apperror.New(apperror.Invalid, "%s", ownshop.MsgCancelCaptured)
	case o.PaymentStatus == order.CardUnsettled:
		return apperror.New(apperror.Invalid, "%s", ownshop.MsgCancelUnsettled)
	case o.PaymentStatus == order.CardExpired:
		return apperror.New(apperror.Invalid, "%s", ownshop.MsgExpired)
	case o.PaymentStatus == order.CardCancelled:
		return apperror.New(apperror.Invalid, "すでに注文キャンセル済みです。")
	case o.PaymentStatus != order.CardAuthorized:
		return apperror.New(apperror.Invalid, "決済ステータスが「仮売上」の注文だけキャンセルできます(いまは「%s」)。", o.PaymentStatus.Label())
	}
	return nil
}

// PlanCardCancels previews a bulk card cancel: the selected orders CheckCardCancel lets through
// (at most MaxCardCancel), the others counted with why. A selection with none to cancel is
// refused with the reasons.
func PlanCardCancels(ctx context.Context, st store.Store, ids []int64) (Plan, error) {
	names, err := readNames(ctx, st)
	if err != nil {
		return Plan{}, err
	}
	takes, pc, err := sortCancels(ctx, st, ids, CheckCardCancel)
	if err != nil {
		return Plan{}, err
	}
	if len(takes) > MaxCardCancel {
		return Plan{}, apperror.New(apperror.Invalid, "カード決済のキャンセルは一度に%d件までです(選択のうち%s件がキャンセルできます)。検索条件で絞ってから実行してください。", MaxCardCancel, grouped(len(takes)))
	}
	p, err := plan(ctx, st, names, ids, false, func(o store.OrderState) bool { return takes[o.ID] })
	if err != nil {
		return Plan{}, err
	}
	p.CardCancel = pc
	if len(p.IDs) == 0 {
		return Plan{}, apperror.New(apperror.Invalid, "選択した%s件の注文に、カード決済をキャンセルできる注文(自社カートの「仮売上」)がありません。%s", grouped(p.Selected), joinWhy(pc.Why))
	}
	return p.Plan, nil
}

// CancelCards cancels the card payment of each order (A06), one after the other; one refusal
// does not stop the others.
func CancelCards(ctx context.Context, st store.Store, client ClientFor, ids []int64, actor string) []CardResult {
	out := make([]CardResult, 0, min(len(ids), MaxCardCancel))
	for _, id := range ids[:min(len(ids), MaxCardCancel)] {
		out = append(out, CancelCard(ctx, st, client, id, actor))
	}
	return out
}

// CancelCard cancels one order's card payment at webコレクト (A06), only while 仮売上: the
// order becomes 注文キャンセル. In 決済完了 it is refused with the seed's instruction (use
// webコレクト's management screen); in 要確認 it is not sent, saying why.
func CancelCard(ctx context.Context, st store.Store, client ClientFor, id int64, actor string) CardResult {
	fail := func(msg string) CardResult { return CardResult{ID: id, Message: msg} }
	o, err := st.GetOrder(ctx, id)
	if err != nil {
		return fail(apperror.MessageOf(err))
	}
	sh, err := st.GetShop(ctx, o.ShopID)
	if err != nil {
		return fail(apperror.MessageOf(err))
	}
	if client == nil {
		return fail("このサーバーではカード決済を操作できません。")
	}
	c, err := client(sh)
	if err != nil {
		return fail(err.Error())
	}
	pm, ok := c.(channel.PaymentManager)
	if !ok {
		return fail(fmt.Sprintf("「%s」の注文のカード決済は ichigen から操作できません。", sh.Channel.Label()))
	}
	updated, err := pm.CancelPayment(channel.WithCall(ctx, "card_cancel", o.ID), o)
	if err != nil {
		var e *channel.Error
		if errors.As(err, &e) && e.Message != "" {
			return CardResult{ID: id, PaymentStatus: o.PaymentStatus, Message: e.Message}
		}
		return fail(err.Error())
	}
	if _, err := st.UpsertOrders(ctx, sh.ID, []order.Order{updated}, store.UpsertOptions{Actor: "operator:" + actor}); err != nil {
		return fail("クロネコwebコレクトではキャンセルされましたが、注文の決済ステータスを保存できませんでした。決済確認を実行して決済ステータスを合わせてください: " + apperror.MessageOf(err))
	}
	return CardResult{ID: id, OK: true, PaymentStatus: updated.PaymentStatus, Message: "カード決済をキャンセルしました(注文キャンセル)。"}
}

// ownshopOrder reads an order of an own-cart shop.
func ownshopOrder(ctx context.Context, st store.Store, id int64) (order.Order, shop.Shop, error) {
	o, err := st.GetOrder(ctx, id)
	if err != nil {
		return o, shop.Shop{}, err
	}
	sh, err := st.GetShop(ctx, o.ShopID)
	if err != nil {
		return o, sh, err
	}
	if sh.Channel != shop.Channel(ownshop.Channel) {
		return o, sh, apperror.New(apperror.Invalid, "自社カートの注文だけ、クロネコwebコレクトの決済を操作できます。")
	}
	return o, sh, nil
}

// MethodTargets lists the methods an own-cart order may change to after its cancel (the seed's
// table; NP後払い only for a shop that runs it by CSV), none for another shop's order.
func MethodTargets(sh shop.Shop) []string {
	if sh.Channel != shop.Channel(ownshop.Channel) {
		return nil
	}
	return ownshop.MethodTargets(sh.Credentials.Plain()["npByCSV"] == "yes")
}

// ChangePaymentMethod is 決済方法の変更 after a cancel (seed 004): to a method of the seed's
// table, the new method's fee 0 with a warning on the order, and the order back from キャンセル
// to 未配送. It says what it did.
func ChangePaymentMethod(ctx context.Context, st store.Store, id int64, method, actor string) (string, error) {
	o, sh, err := ownshopOrder(ctx, st, id)
	if err != nil {
		return "", err
	}
	changed, err := ownshop.ChangeMethod(o, method, sh.Credentials.Plain()["npByCSV"] == "yes")
	if err != nil {
		return "", err
	}
	changed.MarketplaceUpdatedAt = time.Now().Add(time.Second)
	actor = "operator:" + actor
	if err := st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{changed}, store.UpsertOptions{Overwrite: true, Actor: actor}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, At: time.Now(), Kind: order.EventUpdated, Actor: actor,
			Message: fmt.Sprintf("決済方法を「%s」から「%s」に変更しました。%s", o.PaymentMethod, changed.PaymentMethod, ownshop.MsgFeeReset)}})
	}); err != nil {
		return "", err
	}
	return "決済方法を「" + changed.PaymentMethod + "」に変更し、配送ステータスを未配送に戻しました。" + ownshop.MsgFeeReset, nil
}

// SetPaymentStatus sets an own-cart order's displayed payment status by hand, with a reason, in
// the order's history: what makeshop asks its shops to request from support when a change made
// in webコレクト's own screen left the two apart (seed 004, 見た目上のステータス変更). Nothing is
// sent to webコレクト. It says what it did.
func SetPaymentStatus(ctx context.Context, st store.Store, id int64, to order.PaymentStatus, reason, actor string) (string, error) {
	o, sh, err := ownshopOrder(ctx, st, id)
	if err != nil {
		return "", err
	}
	reason = strings.TrimSpace(reason)
	if !to.Card() || reason == "" {
		return "", apperror.New(apperror.Invalid, "決済ステータスと理由を指定してください。")
	}
	if len([]rune(reason)) > 500 {
		return "", apperror.New(apperror.Invalid, "理由は500文字までで入力してください。")
	}
	from := o.PaymentStatus
	o.PaymentStatus = to
	o.MarketplaceUpdatedAt = time.Now().Add(time.Second)
	actor = "operator:" + actor
	if err := st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{o}, store.UpsertOptions{Actor: actor}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, At: time.Now(), Kind: order.EventUpdated, Actor: actor,
			Message: fmt.Sprintf("決済ステータスを手動で「%s」から「%s」に変更しました(クロネコwebコレクトには連携していません)。理由: %s", from.Label(), to.Label(), reason)}})
	}); err != nil {
		return "", err
	}
	return "決済ステータスを「" + to.Label() + "」に変更しました。クロネコwebコレクトには連携していません。", nil
}
