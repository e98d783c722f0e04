package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The own cart's card payments (クロネコwebコレクト, seed 004) on the order page and the order
// list: cancel while 仮売上, 決済方法の変更 after the cancel, and the displayed payment status
// set by hand by an administrator.

// cardCancelOne cancels one order's card payment at webコレクト (A06); the order becomes
// 注文キャンセル. The box must be ticked: a cancel cannot be undone.
func (h *Handler) cardCancelOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.PostFormValue("sure") != "1" {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "カード決済のキャンセルは取り消せません。確認の欄にチェックを入れてから実行してください。"))
		return
	}
	res := orderops.CancelCard(r.Context(), h.deps.Store, h.deps.Client, id, stateOf(r.Context()).user.Login)
	if !res.OK {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "%s", res.Message))
		return
	}
	h.setFlash(w, r, res.Message+"決済方法を変更する場合は、「決済方法の変更」から選んでください。")
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// bulkCardCancel is the order list's 「カード決済をキャンセル」: the selected own-cart orders in
// 仮売上, always previewed first with the orders left out and why, then each sent to webコレクト
// once the count is confirmed.
func (h *Handler) bulkCardCancel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ids, f, err := h.selection(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	p, err := orderops.PlanCardCancels(ctx, h.deps.Store, ids)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	if !h.confirmed(w, r, f, p, "") {
		return
	}
	results := orderops.CancelCards(ctx, h.deps.Store, h.deps.Client, p.IDs, stateOf(ctx).user.Login)
	done := 0
	var refused []string
	entries := make([]store.BatchEntry, len(results))
	for i, res := range results {
		entries[i] = store.BatchEntry{OrderID: res.ID, Outcome: store.BatchFailed}
		if res.OK {
			entries[i].Outcome = store.BatchOK
			done++
		} else if len(refused) < 3 {
			refused = append(refused, res.Message)
		}
	}
	msg := fmt.Sprintf("%d件の注文のカード決済をキャンセルしました(注文キャンセル)。", done)
	if n := len(results) - done; n > 0 {
		msg += fmt.Sprintf("%d件はキャンセルできませんでした: %s", n, strings.Join(refused, " / "))
	}
	if n := p.CardCancel.Refused; n > 0 {
		msg += fmt.Sprintf("%d件は仮売上ではないため含めていません。", n)
	}
	if done == 0 {
		next, err := h.actionBatch(ctx, f.url("/orders"), batchCardCancel, entries)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.setFlashError(w, r, msg)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.actionDone(w, r, f, batchCardCancel, entries, msg)
}

// changeMethodOne is 決済方法の変更 after the cancel: the method from the seed's table, its fee
// reset to 0 with a warning, the order back to 未配送.
func (h *Handler) changeMethodOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	msg, err := orderops.ChangePaymentMethod(r.Context(), h.deps.Store, id, r.PostFormValue("method"), stateOf(r.Context()).user.Login)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// paymentStatusOne is 見た目上のステータス変更: an administrator sets the displayed payment
// status by hand with a reason kept in the order's history; nothing is sent to webコレクト.
func (h *Handler) paymentStatusOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !stateOf(r.Context()).group.Administers() {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "決済ステータスの手動変更は管理者だけがおこなえます(すべてのメニューを更新できるグループの担当者)。管理者に依頼してください。"))
		return
	}
	msg, err := orderops.SetPaymentStatus(r.Context(), h.deps.Store, id, order.PaymentStatus(r.PostFormValue("status")), r.PostFormValue("reason"), stateOf(r.Context()).user.Login)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// cardDaysLeft is the days until an order's 仮売上 lapses (58 days from the order), a part of a
// day as a whole one; 0 or less: lapsed.
func cardDaysLeft(o order.Order, now time.Time) int {
	return int(math.Ceil(o.CaptureDeadline().Sub(now).Hours() / 24))
}

// The English of the card payments' texts, kept beside them so that merges do not meet in
// i18n.go.
func init() {
	for ja, en := range map[string]string{
		"カード決済をキャンセル":         "Cancel the card payment",
		"%s件のカード決済をキャンセルする":   "Cancel the card payment of %s orders",
		"決済方法の変更":             "Change the payment method",
		"変更後の決済の手数料は0円になります。": "The new method's fee becomes 0 yen.",
		"決済ステータスの手動変更":        "Set the payment status by hand",
		"理由":                  "Reason",
		"クロネコwebコレクトには連携しません。管理画面で操作した内容に合わせるときに使います。": "Nothing is sent to webコレクト: use it to match what was done in its own screen.",
		"売上確定の期限まで":    "Until the capture deadline",
		"あと%d日(%s まで)": "%d days left (until %s)",
		"期限切れ(%s)":     "Lapsed (%s)",
		"仮売上のまま売上確定の期限(注文から58日)まで7日以内の注文が%s件あります。":                      "%s orders are still authorised within 7 days of their capture deadline (58 days from the order).",
		"期限を過ぎると仮売上期限切れになり、ヤマト運輸から入金されません。出荷して売上確定するか、必要ならキャンセルしてください。": "Past the deadline the authorisation lapses and Yamato pays nothing. Ship and capture them, or cancel them.",
		"売上確定まで":  "Until capture deadline",
		"決済確認エラー": "Payment review error",
		"選んだ注文のうち、自社カートのクロネコwebコレクトで仮売上の注文のカード決済をキャンセルします。件数を確かめてから実行します": "Cancels the card payment of the selected own-cart orders still authorised at webコレクト. You check the count first",
	} {
		english[ja] = en
	}
}

// expiringURL is the order list of a shop's authorised orders near their limit, the soonest
// first (the list's dates are whole days, so it may show a few more of the last day).
func expiringURL(s attention.Shop, now time.Time) string {
	q := s.ExpiringAuthorizations.Query(s.Shop.ID, now)
	f := orderFilter{Shop: i64toa(q.ShopID), Payment: string(q.PaymentStatus), To: q.OrderedTo.In(order.JST).Format(time.DateOnly), Dir: "asc"}
	return f.url("/orders")
}
