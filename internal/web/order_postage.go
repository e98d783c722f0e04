package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
)

// setPostageOne is the fix of an order whose postage is not fixed (送料未確定, RMS -9999): the
// postage the operator enters is pushed to the marketplace by a job ([入力内容を反映する]), the
// order's amounts then follow the marketplace's, and confirming it is the operator's next step.
func (h *Handler) setPostageOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	postage, err := parsePostage(r.PostFormValue("postage"))
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	q, err := h.jobQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := orderops.SetPostageOne(ctx, h.deps.Store, q, id, postage); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, fmt.Sprintf("送料 %d 円をモールに反映する処理を受け付けました。数秒で金額が更新されます。そのあと注文確認の処理フェーズに移動して注文確認してください。", postage))
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// bulkPostage is the order list's 「送料をモールに反映」: one postage for every selected order
// whose postage is not fixed, a job per order. The preview, which says how many orders take it
// and how many are left alone, is always confirmed first.
func (h *Handler) bulkPostage(w http.ResponseWriter, r *http.Request) {
	ids, f, err := h.selection(r.Context(), r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	postage, err := parsePostage(r.PostFormValue("postage_amount"))
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	p, err := orderops.PlanSetPostage(r.Context(), h.deps.Store, ids, postage, r.PostFormValue("include_final") == "1")
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	if !h.confirmed(w, r, f, p, "") {
		return
	}
	q, err := h.jobQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var pq orderops.PostageQueue = q
	rec := h.recorder()
	if rec != nil {
		pq = rec
	}
	queued, err := orderops.SetPostage(r.Context(), h.deps.Store, pq, p)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	msg := fmt.Sprintf("%d件の注文の送料 %d 円をモールに反映する処理を受け付けました。数秒で金額が更新されます。そのあと注文確認してください。", len(queued), postage)
	if n := p.Postage.Fixed; n > 0 {
		msg += fmt.Sprintf("%d件は送料が確定しているため反映していません。", n)
	}
	if rec == nil {
		h.bulkDone(w, r, f, msg+finalLeftOut(p, "反映して"))
		return
	}
	h.actionDone(w, r, f, batchPostage, rec.entries, msg+finalLeftOut(p, "反映して"))
}

// parsePostage reads the postage an operator typed: whole yen, full-width digits, digit-group
// commas and a trailing 円 allowed.
func parsePostage(s string) (int64, error) {
	v := strings.TrimSpace(width.Narrow.String(s))
	v = strings.TrimSuffix(strings.TrimSuffix(v, "円"), "¥")
	v = strings.ReplaceAll(strings.TrimPrefix(v, "¥"), ",", "")
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || orderops.CheckPostage(n) != nil {
		return 0, apperror.New(apperror.Invalid, "送料「%s」が読めません。0から1,000,000までの円の整数で入力してください(例: 660)。", s)
	}
	return n, nil
}
