package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/orderops"
)

// cancelQueue is the queue of cancellations at the marketplace; *jobs.Queue, the UI's Mover, is
// one.
func (h *Handler) cancelQueue() (orderops.CancelQueue, error) {
	if q, ok := h.deps.Mover.(orderops.CancelQueue); ok {
		return q, nil
	}
	return nil, errors.New("web: the phase mover cannot queue cancellations")
}

// cancelOne cancels one order at its marketplace (RMS cancelOrder, au PAY cancelTradeProc) with
// the reason chosen; an order the marketplace would not let cancel is refused with why.
func (h *Handler) cancelOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.PostFormValue("sure") != "1" {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "キャンセルは取り消せません。確認の欄にチェックを入れてから実行してください。"))
		return
	}
	q, err := h.cancelQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := orderops.CancelOne(ctx, h.deps.Store, q, id, r.PostFormValue("reason"), stateOf(ctx).user.Login); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, "モールでのキャンセルを受け付けました。数秒でモールのステータスが更新されます。")
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// bulkCancel is the order list's 「モールでキャンセル」: the selected orders the marketplace lets
// cancel, with one reason, always previewed with the orders left out and why.
func (h *Handler) bulkCancel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ids, f, err := h.selection(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	p, err := orderops.PlanCancelOrders(ctx, h.deps.Store, ids, r.PostFormValue("cancel_reason"))
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	if !h.confirmed(w, r, f, p, "") {
		return
	}
	q, err := h.cancelQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rec := h.recorder()
	if rec != nil {
		q = rec
	}
	queued, err := orderops.CancelOrders(ctx, h.deps.Store, q, p, stateOf(ctx).user.Login)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	msg := fmt.Sprintf("%d件の注文のモールでのキャンセルを受け付けました。数秒でモールのステータスが更新されます。", len(queued))
	if n := p.Cancel.Refused; n > 0 {
		msg += fmt.Sprintf("%d件はキャンセルできないため含めていません。", n)
	}
	if rec == nil {
		h.bulkDone(w, r, f, msg)
		return
	}
	h.actionDone(w, r, f, batchCancel, rec.entries, msg)
}

// bulkCancelReasons are the reasons the order list offers: every connected channel's, each once
// by code with its channel's words (a channel that lacks a code leaves its orders out).
func bulkCancelReasons() []cancelChoice {
	var out []cancelChoice
	seen := map[string]bool{}
	for _, s := range channel.All() {
		if s.Cancel == nil {
			continue
		}
		for _, r := range s.Cancel.Reasons {
			if !seen[r.Code] {
				seen[r.Code] = true
				out = append(out, cancelChoice{Code: r.Code, Label: r.Label})
			}
		}
	}
	return out
}

type cancelChoice struct{ Code, Label string }

// The English of cancelling's texts, kept beside it so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"キャンセル理由":             "Cancel reason",
		"取り消せません":             "Cannot be undone",
		"モールでキャンセル":           "Cancel at the marketplace",
		"%s件をモールでキャンセルする":     "Cancel %s orders at the marketplace",
		"%s件を入金済み(入金日 %s)にする": "Mark %s orders paid (payment date %s)",
		"選んだ注文をモールでキャンセルします。モールがキャンセルを受け付けない注文は含めません。件数と理由を確かめてから実行します": "Cancels the selected orders at their marketplace, leaving out those it would refuse. You check the count and reasons first",
	} {
		english[ja] = en
	}
}
