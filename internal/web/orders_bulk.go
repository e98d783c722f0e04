package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// maxSelected bounds the orders picked one by one (a page holds at most 1,000).
const maxSelected = 1_000

// selection reads the orders a bulk form names: the ticked ones, or with all=1 every result of
// the filter the form carries.
func (h *Handler) selection(ctx context.Context, r *http.Request) ([]int64, orderFilter, error) {
	f := readFilter(r.PostForm)
	if r.PostFormValue("all") == "1" {
		if err := checkBulkFields(r); err != nil {
			return nil, f, err
		}
		q, err := f.query()
		if err != nil {
			return nil, f, err
		}
		ids, err := orderops.FindAll(ctx, h.deps.Store, q)
		if err != nil {
			return nil, f, err
		}
		return ids, f, nil
	}
	raw := r.PostForm["id"]
	if len(raw) == 0 {
		return nil, f, apperror.New(apperror.Invalid, "注文が選択されていません。一覧のチェックボックスで注文を選ぶか、「検索結果すべて」を選んでください。")
	}
	if len(raw) > maxSelected {
		return nil, f, apperror.New(apperror.Invalid, "一度に選べる注文は%d件までです。「検索結果すべて」を使ってください。", maxSelected)
	}
	ids := make([]int64, 0, len(raw))
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, f, apperror.New(apperror.Invalid, "注文の指定「%s」が読めません。画面を再読み込みしてから選び直してください。", s)
		}
		ids = append(ids, id)
	}
	return ids, f, nil
}

// bulkFields are the fields of the list's bulk form beside its filter (checkParams).
var bulkFields = []string{"all", "id", "phase_id", "link_status", csrfField}

// checkBulkFields refuses a bulk form on 「検索結果すべて」 that carries a field the form does
// not have: a filter the search would drop would act on every order.
func checkBulkFields(r *http.Request) error { return checkParams(r.PostForm, bulkFields...) }

// bulkDone goes back to the list with the filter the form carried and a message.
func (h *Handler) bulkDone(w http.ResponseWriter, r *http.Request, f orderFilter, msg string) {
	h.setFlash(w, r, msg)
	http.Redirect(w, r, f.url("/orders"), http.StatusSeeOther)
}

// bulkFail goes back to the list with the error's message; an internal error gets its page.
func (h *Handler) bulkFail(w http.ResponseWriter, r *http.Request, f orderFilter, err error) {
	if statusOf(err) == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	h.setFlashError(w, r, apperror.MessageOf(err))
	http.Redirect(w, r, f.url("/orders"), http.StatusSeeOther)
}

// bulkMove moves the selected orders to a phase; the phase's rule is queued in the same
// transaction, so the orders are sent within seconds.
func (h *Handler) bulkMove(w http.ResponseWriter, r *http.Request) {
	ids, f, err := h.selection(r.Context(), r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	phaseID, err := phaseIDOf(r.PostFormValue("phase_id"))
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	msg, watch, err := h.move(r.Context(), ids, phaseID)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, watchURL(f.url("/orders"), watch), http.StatusSeeOther)
}

func phaseIDOf(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperror.New(apperror.Invalid, "移動先の処理フェーズを選んでください。")
	}
	return id, nil
}

// move moves orders for the logged-in operator and says what it did. watch is the phase when
// a started rule takes orders from it, so the page can show the rule's work arrive.
func (h *Handler) move(ctx context.Context, ids []int64, phaseID int64) (msg string, watch int64, err error) {
	actor := stateOf(ctx).user.Login
	moved, err := h.deps.Mover.MoveOrders(ctx, h.deps.Store, ids, phaseID, actor)
	if err != nil {
		return "", 0, err
	}
	name := ""
	if p, err := h.phase(ctx, phaseID); err == nil {
		name = p.Name
	}
	msg = fmt.Sprintf("%d件の注文を「%s」に移動しました。", len(moved), name)
	if rest := len(ids) - len(moved); rest > 0 {
		msg += fmt.Sprintf("%d件は別の店舗の注文か、既にこの処理フェーズにあるため移動していません。", rest)
	}
	if len(moved) > 0 {
		rule, ok, err := h.deps.Store.RuleTargeting(ctx, phaseID)
		if err != nil {
			return "", 0, err
		}
		if ok && rule.Enabled && rule.Kind.NeedsTargetPhase() {
			msg += fmt.Sprintf("自動処理「%s」が処理します。", rule.Kind.Label())
			watch = phaseID
		}
	}
	return msg, watch, nil
}

// phase finds a phase by id through its shop's list.
func (h *Handler) phase(ctx context.Context, id int64) (workflow.Phase, error) {
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		return workflow.Phase{}, err
	}
	p, ok := cat.phaseByID[id]
	if !ok {
		return p, apperror.New(apperror.NotFound, "処理フェーズが見つかりません。削除されたか、画面が古くなっています。")
	}
	return p, nil
}

// bulkLinkStatus sets the link status of the selected orders by hand (the retry path); only a
// value every selected order's channel allows by hand is taken.
func (h *Handler) bulkLinkStatus(w http.ResponseWriter, r *http.Request) {
	ids, f, err := h.selection(r.Context(), r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	status := workflow.LinkStatus(r.PostFormValue("link_status"))
	if err := orderops.SetLinkStatus(r.Context(), h.deps.Store, ids, status, stateOf(r.Context()).user.Login); err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	h.bulkDone(w, r, f, fmt.Sprintf("%d件の注文の連携ステータスを「%s」に変更しました。", len(ids), status.Label()))
}
