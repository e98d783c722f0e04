package api

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// refetchPerJob bounds the orders of one re-fetch job, as the UI does.
const refetchPerJob = 500

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
}

type bulkOutput struct{ Body BulkResult }

type moveOrdersInput struct {
	Body struct {
		Selection
		PhaseID int64 `json:"phase_id" minimum:"1" doc:"移動先の処理フェーズID"`
	}
}

// moveOrders moves orders to a phase; the phase's automation rule is queued in the same
// transaction, so they are sent within seconds.
func (h *Handler) moveOrders(ctx context.Context, in *moveOrdersInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	return h.move(ctx, ids, in.Body.PhaseID)
}

func (h *Handler) move(ctx context.Context, ids []int64, phaseID int64) (*bulkOutput, error) {
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	p, ok := c.phase[phaseID]
	if !ok {
		return nil, apperror.New(apperror.NotFound, "処理フェーズが見つかりません。削除されたか、IDが誤っています。")
	}
	moved, err := h.deps.Queue.MoveOrders(ctx, h.deps.Store, ids, phaseID, actor(ctx))
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("%d件の注文を「%s」に移動しました。", len(moved), p.Name)
	if rest := len(ids) - len(moved); rest > 0 {
		msg += fmt.Sprintf("%d件は別の店舗の注文か、既にこの処理フェーズにあるため移動していません。", rest)
	}
	if moved == nil {
		moved = []int64{}
	}
	return &bulkOutput{Body: BulkResult{Count: len(moved), IDs: moved, Message: msg}}, nil
}

type selectionInput struct {
	Body Selection
}

// confirmOrders confirms orders (注文確認) the way ichigen confirms: by moving them into the
// phase their shop's confirm rule takes orders from, which queues the rule at once. Each shop
// of the selection needs a started confirm rule.
func (h *Handler) confirmOrders(ctx context.Context, in *selectionInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body)
	if err != nil {
		return nil, err
	}
	byShop, shops, err := h.ordersByShop(ctx, ids)
	if err != nil {
		return nil, err
	}
	targets := map[int64]int64{}
	for _, sh := range shops {
		if err := sh.Channel.CheckJobKind(workflow.JobConfirm); err != nil {
			return nil, err
		}
		rules, err := h.deps.Store.ListRules(ctx, sh.ID)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(rules, func(r workflow.Rule) bool { return r.Kind == workflow.JobConfirm })
		if i < 0 {
			return nil, apperror.New(apperror.Invalid, "店舗「%s」には注文確認の自動処理がありません。自動処理設定で注文確認を追加してから実行してください。", sh.Name)
		}
		if !rules[i].Enabled {
			return nil, apperror.New(apperror.Invalid, "店舗「%s」の注文確認の自動処理は停止中です。自動処理を開始してから実行してください。", sh.Name)
		}
		targets[sh.ID] = rules[i].TargetPhaseID
	}
	res := BulkResult{IDs: []int64{}}
	var msgs []string
	for _, sh := range shops {
		out, err := h.move(ctx, byShop[sh.ID], targets[sh.ID])
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
		LinkStatus string `json:"link_status" doc:"連携ステータスのコード。空文字は 空欄(未処理)。店舗のチャネルが手動で許す値だけ"`
	}
}

// setLinkStatus sets the link status of orders by hand (the retry path); only a value every
// selected order's channel allows by hand is taken.
func (h *Handler) setLinkStatus(ctx context.Context, in *setLinkStatusInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	status := workflow.LinkStatus(in.Body.LinkStatus)
	if err := orderops.SetLinkStatus(ctx, h.deps.Store, ids, status, actor(ctx)); err != nil {
		return nil, err
	}
	return &bulkOutput{Body: BulkResult{Count: len(ids), IDs: ids,
		Message: fmt.Sprintf("%d件の注文の連携ステータスを「%s」に変更しました。", len(ids), status.Label())}}, nil
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
// job per shop, which the running ichigen works within seconds.
func (h *Handler) refetchOrders(ctx context.Context, in *selectionInput) (*refetchOutput, error) {
	ids, err := h.orders(ctx, in.Body)
	if err != nil {
		return nil, err
	}
	byShop, shops, err := h.ordersByShop(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := &refetchOutput{}
	out.Body.Jobs = []QueuedJob{}
	for _, sh := range shops {
		for chunk := range slices.Chunk(byShop[sh.ID], refetchPerJob) {
			res, err := h.deps.Queue.Client().Insert(ctx, jobs.RefetchArgs{ShopID: sh.ID, OrderIDs: chunk}, nil)
			if err != nil {
				return nil, fmt.Errorf("queue refetch of shop %d: %w", sh.ID, err)
			}
			out.Body.Jobs = append(out.Body.Jobs, QueuedJob{JobID: res.Job.ID, ShopID: sh.ID, Orders: len(chunk)})
		}
	}
	out.Body.Message = fmt.Sprintf("%d件の注文のモールのステータスの再取得を受け付けました。数秒後に反映されます。", len(ids))
	return out, nil
}
