package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
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
var bulkFields = []string{"all", "id", "phase_id", "link_status", "mail_template", "postage_amount", "paid_on", "cancel_reason", "confirm_count", "include_final", csrfField}

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
// transaction, so the orders are sent within seconds. More than orderops.ConfirmAbove orders, or
// any completed or cancelled one, are first shown for the operator to confirm (bulkConfirmPage).
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
	p, err := orderops.PlanMoveTo(r.Context(), h.deps.Store, ids, phaseID, r.PostFormValue("include_final") == "1")
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	if !h.confirmed(w, r, f, p, "") {
		return
	}
	msg, watch, moved, err := h.moveIDs(r.Context(), p)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	next, err := h.moveBatch(r.Context(), f.url("/orders"), watch, moved)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// confirmed says whether a planned bulk action goes ahead: it needs no confirmation, or the form
// carries the count the operator confirmed. Otherwise it shows the preview to confirm, again with
// a warning when the count confirmed is not the plan's any more; to is the link status label of
// a link-status change.
func (h *Handler) confirmed(w http.ResponseWriter, r *http.Request, f orderFilter, p orderops.Plan, to string) bool {
	confirm := 0
	if s := r.PostFormValue("confirm_count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			h.bulkFail(w, r, f, apperror.New(apperror.Invalid, "確認した件数「%s」が読めません。一覧からもう一度操作してください。", s))
			return false
		}
		confirm = n
	}
	if confirm == 0 && !p.NeedsConfirm() {
		return true
	}
	warning := ""
	if err := p.Check(confirm); err != nil {
		if confirm != 0 {
			warning = apperror.MessageOf(err)
		}
	} else if confirm != 0 {
		return true
	}
	v := bulkConfirmView{Plan: p, Action: r.URL.Path, To: to, Warning: warning, Back: f.url("/orders")}
	for k, vals := range r.PostForm {
		switch k {
		case "csrf_token", "confirm_count", "include_final":
			continue
		}
		for _, val := range vals {
			v.Fields = append(v.Fields, [2]string{k, val})
		}
	}
	slices.SortStableFunc(v.Fields, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	h.render(w, r, http.StatusOK, bulkConfirmPage(v))
	return false
}

// bulkConfirmView is the preview of a bulk action waiting for the operator's confirmation.
type bulkConfirmView struct {
	Plan orderops.Plan
	// Action is the form's path, Fields the bulk form's fields posted again with the count.
	Action string
	Fields [][2]string
	// To names the link status of a link-status change ("" for a move).
	To      string
	Warning string
	Back    string
}

func phaseIDOf(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperror.New(apperror.Invalid, "移動先の処理フェーズを選んでください。")
	}
	return id, nil
}

// move carries out a planned move for the logged-in operator and says what it did. watch is the
// phase when a started rule takes orders from it, so the page can show the rule's work arrive.
func (h *Handler) move(ctx context.Context, p orderops.Plan) (msg string, watch int64, err error) {
	msg, watch, _, err = h.moveIDs(ctx, p)
	return msg, watch, err
}

// moveIDs is move that also returns the orders it moved.
func (h *Handler) moveIDs(ctx context.Context, p orderops.Plan) (msg string, watch int64, moved []int64, err error) {
	actor := stateOf(ctx).user.Login
	moved, err = h.deps.Mover.MoveOrders(ctx, h.deps.Store, p.IDs, p.Move.PhaseID, actor)
	if err != nil {
		return "", 0, nil, err
	}
	msg = fmt.Sprintf("%d件の注文を「%s」に移動しました。", len(moved), p.Move.Phase)
	if rest := p.Already + len(p.IDs) - len(moved); rest > 0 {
		msg += fmt.Sprintf("%d件は既にこの処理フェーズにあるため移動していません。", rest)
	}
	msg += finalLeftOut(p, "移動して")
	for _, r := range p.Move.Rules {
		if len(moved) > 0 && r.Runs {
			msg += fmt.Sprintf("店舗「%s」の注文は自動処理「%s」が処理します。", r.Shop, r.Rule.Kind.Label())
			watch = p.Move.PhaseID
		}
	}
	return msg, watch, moved, nil
}

// finalLeftOut is the message's note on the completed and cancelled orders a bulk action left
// alone.
func finalLeftOut(p orderops.Plan, verb string) string {
	if p.Final == 0 || p.IncludeFinal {
		return ""
	}
	return fmt.Sprintf("モールで完了・キャンセルの%d件は%sいません。", p.Final, verb)
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
// value every selected order's channel allows by hand is taken. Like a move, many orders or
// finished ones are confirmed first.
func (h *Handler) bulkLinkStatus(w http.ResponseWriter, r *http.Request) {
	ids, f, err := h.selection(r.Context(), r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	status := workflow.LinkStatus(r.PostFormValue("link_status"))
	p, err := orderops.PlanLinkStatus(r.Context(), h.deps.Store, ids, r.PostFormValue("include_final") == "1")
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	if !h.confirmed(w, r, f, p, status.Label()) {
		return
	}
	if len(p.IDs) > 0 {
		if err := orderops.SetLinkStatus(r.Context(), h.deps.Store, p.IDs, status, stateOf(r.Context()).user.Login); err != nil {
			h.bulkFail(w, r, f, err)
			return
		}
	}
	h.actionDone(w, r, f, batchLinkStatus, outcomes(p.IDs, store.BatchOK), fmt.Sprintf("%d件の注文の連携ステータスを「%s」に変更しました。", len(p.IDs), status.Label())+finalLeftOut(p, "変更して"))
}
