package web

import (
	"fmt"
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// markPaidOne is 入金確認 on the order page (seed 002): a payment the shop collects itself
// (選択制決済) is marked 入金済み with the day it came in; an order the rule cannot take is
// refused with the reason.
func (h *Handler) markPaidOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	day, err := orderops.ParsePaidOn(r.PostFormValue("paid_on"), h.deps.Now())
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	if _, err := orderops.MarkPaidOne(ctx, h.deps.Store, id, day, stateOf(ctx).user.Login); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, fmt.Sprintf("入金確認しました(入金日 %s)。", day))
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// bulkPaid is the order list's 「入金確認」: the selected unpaid orders whose payment the shop
// collects are marked paid on one day; the others are counted and left alone. More than
// orderops.ConfirmAbove are previewed first.
func (h *Handler) bulkPaid(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ids, f, err := h.selection(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	day, err := orderops.ParsePaidOn(r.PostFormValue("paid_on"), h.deps.Now())
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	p, err := orderops.PlanMarkPaid(ctx, h.deps.Store, ids, day, r.PostFormValue("include_final") == "1")
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	if !h.confirmed(w, r, f, p, "") {
		return
	}
	paid, err := orderops.MarkPaid(ctx, h.deps.Store, p, stateOf(ctx).user.Login)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	msg := fmt.Sprintf("%d件の注文を入金済み(入金日 %s)にしました。", len(paid), day)
	if pp := p.Paid; pp.AlreadyPaid+pp.MarketplaceSettled+pp.Cancelled > 0 {
		msg += fmt.Sprintf("入金済みの%d件、モールが入金を確認する決済の%d件、キャンセルの%d件は変更していません。", pp.AlreadyPaid, pp.MarketplaceSettled, pp.Cancelled)
	}
	h.actionDone(w, r, f, batchPaid, outcomes(paid, store.BatchOK), msg+finalLeftOut(p, "入金確認して"))
}
