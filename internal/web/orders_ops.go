package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// refetchBatch is how many orders one re-fetch job reads back, so that a large selection is
// spread over jobs that each finish in reasonable time.
const refetchBatch = 500

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

// confirmPhase is the phase a started confirm rule of the shop takes orders from.
func (h *Handler) confirmPhase(ctx context.Context, sh shop.Shop) (int64, error) {
	rules, err := h.deps.Store.ListRules(ctx, sh.ID)
	if err != nil {
		return 0, err
	}
	for _, rule := range rules {
		if rule.Kind == workflow.JobConfirm && rule.Enabled && rule.TargetPhaseID != 0 {
			return rule.TargetPhaseID, nil
		}
	}
	return 0, apperror.New(apperror.Invalid,
		"店舗「%s」には開始している「注文確認」の自動処理がありません。自動処理設定で注文確認の自動処理を作成して開始してから、もう一度実行してください。", sh.Name)
}

// bulkConfirm is 一括注文確認: the selected orders move into the phase the shop's confirm rule
// takes orders from, and the rule, queued with the move, confirms them at the marketplace.
// Nothing moves when one order is of a channel without confirmation (only Rakuten has it) or one
// shop runs no confirm rule.
func (h *Handler) bulkConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sel, f, err := h.selectionByShop(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	var others []string
	for _, sh := range sel.Shops {
		if !slices.Contains(sh.Channel.JobKinds(), workflow.JobConfirm) {
			others = append(others, fmt.Sprintf("「%s」(%s)の%d件", sh.Name, sh.Channel.Label(), len(sel.IDs[sh.ID])))
		}
	}
	if len(others) > 0 {
		var names, quoted []string
		for _, c := range shop.Connected() {
			if slices.Contains(c.JobKinds(), workflow.JobConfirm) {
				names, quoted = append(names, c.Label()), append(quoted, "「"+c.Label()+"」")
			}
		}
		h.bulkFail(w, r, f, apperror.New(apperror.Invalid,
			"一括注文確認は%[1]sの注文だけが対象です。%[1]s以外の注文が含まれています: %[2]s。チャネルで%[3]sに絞り込んでから選び直してください。",
			strings.Join(names, "・"), strings.Join(others, "、"), strings.Join(quoted, "か")))
		return
	}
	targets := map[int64]int64{}
	for _, sh := range sel.Shops {
		if targets[sh.ID], err = h.confirmPhase(ctx, sh); err != nil {
			h.bulkFail(w, r, f, err)
			return
		}
	}
	var msgs []string
	var watch int64
	for _, sh := range sel.Shops {
		p, err := orderops.PlanMoveTo(ctx, h.deps.Store, sel.IDs[sh.ID], targets[sh.ID], false)
		if err != nil {
			h.bulkFail(w, r, f, err)
			return
		}
		msg, phase, err := h.move(ctx, p)
		if err != nil {
			h.bulkFail(w, r, f, err)
			return
		}
		msgs = append(msgs, msg)
		if len(sel.Shops) == 1 {
			watch = phase
		}
	}
	h.setFlash(w, r, strings.Join(msgs, " "))
	http.Redirect(w, r, watchURL(f.url("/orders"), watch), http.StatusSeeOther)
}

// bulkRefetch is 再取得: it queues a job per shop (and per refetchBatch orders) that reads the
// selected orders back from the marketplace; their marketplace and payment status refresh, the
// rest follows the shop's 同一注文を上書きする.
func (h *Handler) bulkRefetch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sel, f, err := h.selectionByShop(ctx, r)
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	for _, sh := range sel.Shops {
		switch {
		case sh.Status == shop.AuthError:
			err = apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているため再取得できません。店舗設定で新しい認証情報を保存してから実行してください。", sh.Name)
		case len(sh.Channel.JobKinds()) == 0:
			err = apperror.New(apperror.Invalid, "%sの店舗「%s」はモールからの再取得に対応していません。", sh.Channel.Label(), sh.Name)
		}
		if err != nil {
			h.bulkFail(w, r, f, err)
			return
		}
	}
	client, err := h.jobClient()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var params []river.InsertManyParams
	for _, sh := range sel.Shops {
		ids := sel.IDs[sh.ID]
		for start := 0; start < len(ids); start += refetchBatch {
			params = append(params, river.InsertManyParams{Args: jobs.RefetchArgs{ShopID: sh.ID, OrderIDs: ids[start:min(start+refetchBatch, len(ids))]}})
		}
	}
	if _, err := client.InsertMany(ctx, params); err != nil {
		h.fail(w, r, fmt.Errorf("queue re-fetch: %w", err))
		return
	}
	h.setFlash(w, r, fmt.Sprintf("%d件の注文のモールステータス再取得を受け付けました。順に取得し、数十秒ほどで一覧に反映されます(各呼び出しは連携履歴に記録されます)。", sel.Total))
	http.Redirect(w, r, f.url("/orders"), http.StatusSeeOther)
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
	h.bulkDone(w, r, f, fmt.Sprintf("%d件の注文を同梱しました。同梱親は注文 %s です(モールへは同梱親だけを連携します)。", len(ids), parent.Number))
}
