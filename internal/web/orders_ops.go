package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// shopSelection is a bulk form's orders grouped by shop, shops in the catalog's order.
type shopSelection struct {
	Shops []shop.Shop
	IDs   map[int64][]int64
	Total int
}

// selectionByShop reads the orders a bulk form names, grouped by shop. "Every result" is read
// per shop through the search, so a large selection never loads its orders one by one.
func (h *Handler) selectionByShop(ctx context.Context, r *http.Request) (shopSelection, orderFilter, error) {
	sel := shopSelection{IDs: map[int64][]int64{}}
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		return sel, orderFilter{}, err
	}
	add := func(sh shop.Shop, id int64) {
		if _, ok := sel.IDs[sh.ID]; !ok {
			sel.Shops = append(sel.Shops, sh)
		}
		sel.IDs[sh.ID] = append(sel.IDs[sh.ID], id)
		sel.Total++
	}
	if r.PostFormValue("all") != "1" {
		ids, f, err := h.selection(ctx, r)
		if err != nil {
			return sel, f, err
		}
		for _, id := range ids {
			o, err := h.deps.Store.GetOrder(ctx, id)
			if err != nil {
				return sel, f, err
			}
			add(cat.shopByID[o.ShopID], id)
		}
		return sel, f, nil
	}
	f := readFilter(r.PostForm)
	if err := checkBulkFields(r); err != nil {
		return sel, f, err
	}
	q, err := f.query()
	if err != nil {
		return sel, f, err
	}
	for _, sh := range cat.Shops {
		if q.ShopID != 0 && q.ShopID != sh.ID {
			continue
		}
		q := q
		q.ShopID = sh.ID
		ids, err := h.deps.Store.OrderIDs(ctx, q, orderops.MaxBulk+1)
		if err != nil {
			return sel, f, err
		}
		for _, id := range ids {
			add(sh, id)
		}
		if sel.Total > orderops.MaxBulk {
			return sel, f, apperror.New(apperror.Invalid, "検索結果が%d件を超えるため一度に処理できません。条件で絞り込んでから実行してください。", orderops.MaxBulk)
		}
	}
	if sel.Total == 0 {
		return sel, f, apperror.New(apperror.Invalid, "検索結果に注文がありません。条件を確認してください。")
	}
	return sel, f, nil
}

// bulkConfirm is 一括注文確認: the selected orders move into the phase the shop's confirm rule
// takes orders from, and the rule, queued with the move, confirms them at the marketplace.
// orderops plans it; nothing moves when one order's channel does not confirm orders or one shop
// runs no started confirm rule.
func (h *Handler) bulkConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sel, f, err := h.selectionByShop(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	plans, err := orderops.PlanConfirm(ctx, h.deps.Store, sel.Shops, sel.IDs)
	if missing := (*orderops.NoConfirmRuleError)(nil); errors.As(err, &missing) {
		err = apperror.New(apperror.Invalid,
			"店舗「%s」には開始している「注文確認」の自動処理がありません。自動処理設定で注文確認の自動処理を作成して開始してから、もう一度実行してください。", missing.Shop.Name)
	}
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	var msgs []string
	var watch int64
	var moved []int64
	for _, p := range plans {
		msg, phase, ids, err := h.moveIDs(ctx, p)
		if err != nil {
			h.bulkFail(w, r, f, err)
			return
		}
		msgs = append(msgs, msg)
		if len(plans) == 1 {
			watch, moved = phase, ids
		}
	}
	next, err := h.moveBatch(ctx, f.url("/orders"), watch, moved)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setFlash(w, r, strings.Join(msgs, " "))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// bulkRefetch is 再取得 (orderops.Refetch): jobs that read the selected orders back from the
// marketplace.
func (h *Handler) bulkRefetch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sel, f, err := h.selectionByShop(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	q, err := h.jobQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	queued, err := orderops.Refetch(ctx, q, sel.Shops, sel.IDs)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	jobIDs := make([]int64, len(queued))
	for i, j := range queued {
		jobIDs[i] = j.JobID
	}
	h.actionDone(w, r, f, batchRefetch, chunkedJobs(sel.Shops, sel.IDs, jobs.RefetchPerJob, jobIDs),
		fmt.Sprintf("%d件の注文のモールステータス再取得を受け付けました。順に取得し、数十秒ほどで一覧に反映されます(各呼び出しは連携履歴に記録されます)。", sel.Total))
}

// bulkMail is 「メール送信」: the chosen template goes to the buyer of each selected order, again
// if it went before (the operator asks on purpose), through each shop's SMTP server.
func (h *Handler) bulkMail(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	templateID, err := formID(r.PostFormValue("mail_template"), "送信するメールテンプレート")
	if err != nil {
		h.bulkFail(w, r, readFilter(r.PostForm), err)
		return
	}
	sel, f, err := h.selectionByShop(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	q, err := h.jobQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	jobIDs, err := orderops.SendMail(ctx, h.deps.Store, q, templateID, sel.Shops, sel.IDs, stateOf(ctx).user.Login)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	h.actionDone(w, r, f, batchMail, chunkedJobs(sel.Shops, sel.IDs, jobs.MailPerJob, jobIDs),
		fmt.Sprintf("%d件の注文のメール送信を受け付けました。順に送信し、結果は各注文の「メール」と「送信したメール」で確認できます。", sel.Total))
}

// bulkBundle is 同梱: the selected orders of one buyer and ship-to merge into the oldest, the
// only one ever reported. orderops says why a selection cannot be bundled.
func (h *Handler) bulkBundle(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("all") == "1" {
		h.bulkFail(w, r, readFilter(r.PostForm), apperror.New(apperror.Invalid, "同梱する注文は、一覧のチェックボックスで選んでください(「検索結果すべて」では同梱できません)。"))
		return
	}
	ids, f, err := h.selection(r.Context(), r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	parent, err := orderops.Bundle(r.Context(), h.deps.Store, ids, stateOf(r.Context()).user.Login)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	h.actionDone(w, r, f, batchBundle, outcomes(ids, store.BatchOK), fmt.Sprintf("%d件の注文を同梱しました。同梱親は注文 %s です(モールへは同梱親だけを連携します)。", len(ids), parent.Number))
}
