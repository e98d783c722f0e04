package api

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Selection names the orders of a bulk operation: by id, or every result of a search (the UI's
// 「検索結果すべて」). Exactly one of the two.
type Selection struct {
	IDs    []int64      `json:"ids,omitempty" maxItems:"100000" doc:"注文ID"`
	Filter *OrderFilter `json:"filter,omitempty" doc:"ids の代わりに、この検索条件に当てはまる注文すべて (最大100,000件)"`
}

// orders reads the selection's order ids.
func (h *Handler) orders(ctx context.Context, s Selection) ([]int64, error) {
	switch {
	case s.Filter != nil && len(s.IDs) > 0:
		return nil, apperror.New(apperror.Invalid, "ids と filter はどちらか一方だけを指定してください。")
	case s.Filter != nil:
		q, err := s.Filter.query()
		if err != nil {
			return nil, err
		}
		return orderops.FindAll(ctx, h.deps.Store, q)
	case len(s.IDs) == 0:
		return nil, apperror.New(apperror.Invalid, "注文が選択されていません。ids に注文IDを指定するか、filter に検索条件を指定してください。")
	}
	for _, id := range s.IDs {
		if id <= 0 {
			return nil, apperror.New(apperror.Invalid, "注文ID「%d」は正しくありません。", id)
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(s.IDs))), nil
}

// BulkResult says what a bulk operation did, with the message the UI shows for it.
type BulkResult struct {
	Count   int     `json:"count" doc:"処理した注文の件数"`
	IDs     []int64 `json:"ids" doc:"処理した注文のID"`
	Message string  `json:"message" example:"3件の注文を「出荷待ち」に移動しました。"`
	// DryRun says nothing was changed: Count and IDs are what would be.
	DryRun  bool         `json:"dry_run,omitempty"`
	Preview *BulkPreview `json:"preview,omitempty" doc:"移動と連携ステータス変更の内訳"`
}

type bulkOutput struct{ Body BulkResult }

// BulkGuard is what a bulk move or link-status change takes besides its orders: a careless
// script (a filter changed by mistake) is refused instead of changing a whole shop.
type BulkGuard struct {
	DryRun       bool `json:"dry_run,omitempty" doc:"true: 何も変更せず、変更される注文の件数と内訳(preview)だけを返す"`
	ConfirmCount int  `json:"confirm_count,omitempty" minimum:"0" doc:"変更される件数。10件を超える操作では必須で、dry_run の count と一致しなければ拒否される(409)"`
	IncludeFinal bool `json:"include_final,omitempty" doc:"true: モールで完了・キャンセルの注文も対象にする。既定では対象外"`
}

// BulkPreview is what a bulk move or link-status change does, as counted before doing it.
type BulkPreview struct {
	Selected        int            `json:"selected" doc:"選択(検索)された注文の件数"`
	Final           int            `json:"final" doc:"そのうちモールで完了・キャンセルの件数"`
	FinalIncluded   bool           `json:"final_included" doc:"完了・キャンセルの注文を対象に含めるか (include_final)"`
	Already         int            `json:"already" doc:"既に移動先の処理フェーズにある注文の件数(移動しない)"`
	Groups          []PreviewGroup `json:"groups" doc:"変更される注文の、店舗と現在の処理フェーズごとの内訳"`
	Rules           []PreviewRule  `json:"rules,omitempty" doc:"移動先の処理フェーズを対象にする、移動する注文の店舗ごとの自動処理"`
	ConfirmRequired bool           `json:"confirm_required" doc:"実行に confirm_count が必要か"`
}

// PreviewGroup is the selected orders of one shop in one phase.
type PreviewGroup struct {
	ShopID  int64  `json:"shop_id"`
	Shop    string `json:"shop"`
	PhaseID int64  `json:"phase_id"`
	Phase   string `json:"phase"`
	Count   int    `json:"count" doc:"変更される件数"`
	Final   int    `json:"final" doc:"モールで完了・キャンセルの件数"`
}

// PreviewRule is one shop's automation rule a move starts: it takes that shop's orders only.
type PreviewRule struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind" example:"ship_report"`
	Label   string `json:"label" example:"出荷情報反映"`
	ShopID  int64  `json:"shop_id"`
	Shop    string `json:"shop"`
	Started bool   `json:"started" doc:"開始中なら、移動した注文は数秒でモールに連携される"`
	Count   int    `json:"count" doc:"この自動処理が対象にする、移動する注文の件数"`
}

type moveOrdersInput struct {
	Body struct {
		Selection
		BulkGuard
		PhaseID int64 `json:"phase_id" minimum:"1" doc:"移動先の処理フェーズID"`
	}
}

// moveOrders moves orders to a phase; the phase's automation rule is queued in the same
// transaction, so they are sent within seconds. It first counts what it will do (the preview):
// a dry run answers that; above orderops.ConfirmAbove orders only the confirmed count goes
// ahead; completed and cancelled orders move only with include_final.
func (h *Handler) moveOrders(ctx context.Context, in *moveOrdersInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	p, err := orderops.PlanMoveTo(ctx, h.deps.Store, ids, in.Body.PhaseID, in.Body.IncludeFinal)
	if err != nil {
		return nil, err
	}
	if out, done, err := guard(p, in.Body.BulkGuard); done || err != nil {
		return out, err
	}
	return h.move(ctx, p)
}

// guard answers a dry run with the preview, and refuses an unconfirmed count that needs
// confirming; done says the request is answered.
func guard(p orderops.Plan, g BulkGuard) (out *bulkOutput, done bool, err error) {
	if g.DryRun {
		return &bulkOutput{Body: BulkResult{Count: len(p.IDs), IDs: p.IDs, Message: p.Text(), DryRun: true, Preview: preview(p)}}, true, nil
	}
	if g.ConfirmCount == 0 && len(p.IDs) > orderops.ConfirmAbove {
		return nil, false, apperror.New(apperror.Invalid, "%d件を超える一括操作には confirm_count が必要です: %s dry_run: true で内容を確かめ、変更される件数(%d)を confirm_count に指定して送り直してください。",
			orderops.ConfirmAbove, p.Text(), len(p.IDs))
	}
	return nil, false, p.Check(g.ConfirmCount)
}

// preview is the plan as the API answers it.
func preview(p orderops.Plan) *BulkPreview {
	out := &BulkPreview{Selected: p.Selected, Final: p.Final, FinalIncluded: p.IncludeFinal, Already: p.Already,
		Groups: []PreviewGroup{}, ConfirmRequired: len(p.IDs) > orderops.ConfirmAbove}
	for _, g := range p.Groups {
		out.Groups = append(out.Groups, PreviewGroup{ShopID: g.ShopID, Shop: g.Shop, PhaseID: g.PhaseID, Phase: g.Phase, Count: g.Count, Final: g.Final})
	}
	if m := p.Move; m != nil {
		for _, r := range m.Rules {
			out.Rules = append(out.Rules, PreviewRule{ID: r.Rule.ID, Kind: string(r.Rule.Kind), Label: r.Rule.Kind.Label(), ShopID: r.Rule.ShopID, Shop: r.Shop, Started: r.Runs, Count: r.Count})
		}
	}
	return out
}

// finalLeftOut is the message's note on the finished orders a bulk action left alone.
func finalLeftOut(p orderops.Plan, verb string) string {
	if p.Final == 0 || p.IncludeFinal {
		return ""
	}
	return fmt.Sprintf("モールで完了・キャンセルの%d件は%sいません(含めるには include_final を指定してください)。", p.Final, verb)
}

// move carries out a planned move.
func (h *Handler) move(ctx context.Context, p orderops.Plan) (*bulkOutput, error) {
	moved, err := h.deps.Queue.MoveOrders(ctx, h.deps.Store, p.IDs, p.Move.PhaseID, actor(ctx))
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("%d件の注文を「%s」に移動しました。", len(moved), p.Move.Phase)
	if rest := p.Already + len(p.IDs) - len(moved); rest > 0 {
		msg += fmt.Sprintf("%d件は既にこの処理フェーズにあるため移動していません。", rest)
	}
	msg += finalLeftOut(p, "移動して")
	if moved == nil {
		moved = []int64{}
	}
	return &bulkOutput{Body: BulkResult{Count: len(moved), IDs: moved, Message: msg, Preview: preview(p)}}, nil
}

type selectionInput struct {
	Body Selection
}

// confirmOrders confirms orders (注文確認) the way ichigen confirms: by moving them into the
// phase their shop's confirm rule takes orders from, which queues the rule at once
// (orderops.PlanConfirm, as the UI's 一括注文確認). Each shop of the selection needs a started
// confirm rule.
func (h *Handler) confirmOrders(ctx context.Context, in *selectionInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body)
	if err != nil {
		return nil, err
	}
	byShop, shops, err := h.ordersByShop(ctx, ids)
	if err != nil {
		return nil, err
	}
	plans, err := orderops.PlanConfirm(ctx, h.deps.Store, shops, byShop)
	if err != nil {
		return nil, err
	}
	res := BulkResult{IDs: []int64{}}
	var msgs []string
	for _, p := range plans {
		out, err := h.move(ctx, p)
		if err != nil {
			return nil, err
		}
		res.IDs = append(res.IDs, out.Body.IDs...)
		msgs = append(msgs, out.Body.Message)
	}
	res.Count = len(res.IDs)
	res.Message = strings.Join(msgs, "")
	return &bulkOutput{Body: res}, nil
}

// ordersByShop groups order ids by shop, shops in id order.
func (h *Handler) ordersByShop(ctx context.Context, ids []int64) (map[int64][]int64, []shop.Shop, error) {
	byShop := map[int64][]int64{}
	var shops []shop.Shop
	for _, id := range ids {
		o, err := h.deps.Store.GetOrder(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		if _, ok := byShop[o.ShopID]; !ok {
			sh, err := h.deps.Store.GetShop(ctx, o.ShopID)
			if err != nil {
				return nil, nil, err
			}
			shops = append(shops, sh)
		}
		byShop[o.ShopID] = append(byShop[o.ShopID], id)
	}
	slices.SortFunc(shops, func(a, b shop.Shop) int { return int(a.ID - b.ID) })
	return byShop, shops, nil
}

type setLinkStatusInput struct {
	Body struct {
		Selection
		BulkGuard
		LinkStatus string `json:"link_status" doc:"連携ステータスのコード。空文字は 空欄(未処理)。店舗のチャネルが手動で許す値だけ"`
	}
}

// setLinkStatus sets the link status of orders by hand (the retry path); only a value every
// selected order's channel allows by hand is taken. Like a move, it is previewed, confirmed
// above orderops.ConfirmAbove orders, and leaves completed and cancelled orders alone unless
// include_final.
func (h *Handler) setLinkStatus(ctx context.Context, in *setLinkStatusInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	p, err := orderops.PlanLinkStatus(ctx, h.deps.Store, ids, in.Body.IncludeFinal)
	if err != nil {
		return nil, err
	}
	if out, done, err := guard(p, in.Body.BulkGuard); done || err != nil {
		return out, err
	}
	status := workflow.LinkStatus(in.Body.LinkStatus)
	if len(p.IDs) > 0 {
		if err := orderops.SetLinkStatus(ctx, h.deps.Store, p.IDs, status, actor(ctx)); err != nil {
			return nil, err
		}
	}
	return &bulkOutput{Body: BulkResult{Count: len(p.IDs), IDs: p.IDs, Preview: preview(p),
		Message: fmt.Sprintf("%d件の注文の連携ステータスを「%s」に変更しました。", len(p.IDs), status.Label()) + finalLeftOut(p, "変更して")}}, nil
}

// QueuedJob is a job queued for a shop.
type QueuedJob struct {
	JobID  int64 `json:"job_id"`
	ShopID int64 `json:"shop_id"`
	Orders int   `json:"orders" doc:"この処理で読み直す注文の件数"`
}

type refetchOutput struct {
	Body struct {
		Jobs    []QueuedJob `json:"jobs"`
		Message string      `json:"message"`
	}
}

// refetchOrders queues a re-read of the orders' marketplace status ([RMSステータスを取得]): a
// job per shop, which the running ichigen works within seconds (orderops.Refetch, as the UI's
// 再取得).
func (h *Handler) refetchOrders(ctx context.Context, in *selectionInput) (*refetchOutput, error) {
	ids, err := h.orders(ctx, in.Body)
	if err != nil {
		return nil, err
	}
	byShop, shops, err := h.ordersByShop(ctx, ids)
	if err != nil {
		return nil, err
	}
	queued, err := orderops.Refetch(ctx, h.deps.Queue, shops, byShop)
	if err != nil {
		return nil, err
	}
	out := &refetchOutput{}
	out.Body.Jobs = []QueuedJob{}
	for _, j := range queued {
		out.Body.Jobs = append(out.Body.Jobs, QueuedJob(j))
	}
	out.Body.Message = fmt.Sprintf("%d件の注文のモールのステータスの再取得を受け付けました。数秒後に反映されます。", len(ids))
	return out, nil
}
