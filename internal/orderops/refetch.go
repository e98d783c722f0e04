package orderops

import (
	"context"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// RefetchQueue queues re-fetch jobs; *jobs.Queue is one.
type RefetchQueue interface {
	QueueRefetch(ctx context.Context, orders []jobs.ShopOrders) ([]jobs.QueuedRefetch, error)
}

// Refetch is 再取得 ([RMSステータスを取得]): it queues jobs that read orders back from their
// marketplace, per shop and jobs.RefetchPerJob orders; their marketplace and payment status
// refresh, the rest follows the shop's 同一注文を上書きする. ids are the orders of each of shops.
// Nothing is queued when one shop is stopped by an auth error or its channel reads nothing back.
func Refetch(ctx context.Context, q RefetchQueue, shops []shop.Shop, ids map[int64][]int64) ([]jobs.QueuedRefetch, error) {
	orders := make([]jobs.ShopOrders, 0, len(shops))
	for _, sh := range shops {
		switch {
		case sh.Status == shop.AuthError:
			return nil, apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているため再取得できません。店舗設定で新しい認証情報を保存してから実行してください。", sh.Name)
		case !slices.Contains(sh.Channel.JobKinds(), workflow.JobImport):
			return nil, apperror.New(apperror.Invalid, "%sの店舗「%s」はモールからの再取得に対応していません。", sh.Channel.Label(), sh.Name)
		}
		orders = append(orders, jobs.ShopOrders{ShopID: sh.ID, OrderIDs: ids[sh.ID]})
	}
	return q.QueueRefetch(ctx, orders)
}
