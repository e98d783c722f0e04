package jobs

import (
	"context"
	"fmt"
	"slices"

	"github.com/riverqueue/river"
)

// RefetchPerJob bounds the orders one re-fetch job reads back, so that a large selection is
// spread over jobs that each finish in reasonable time.
const RefetchPerJob = 500

// ShopOrders are orders of one shop.
type ShopOrders struct {
	ShopID   int64
	OrderIDs []int64
}

// QueuedRefetch is one re-fetch job queued: its id, its shop and how many orders it reads back.
type QueuedRefetch struct {
	JobID  int64
	ShopID int64
	Orders int
}

// QueueRefetch queues the re-fetch of orders an operator asked for (再取得): a job per shop and
// per RefetchPerJob orders, all in one insert, in the order given.
func (q *Queue) QueueRefetch(ctx context.Context, orders []ShopOrders) ([]QueuedRefetch, error) {
	var params []river.InsertManyParams
	var queued []QueuedRefetch
	for _, so := range orders {
		for chunk := range slices.Chunk(so.OrderIDs, RefetchPerJob) {
			params = append(params, river.InsertManyParams{Args: RefetchArgs{ShopID: so.ShopID, OrderIDs: chunk}})
			queued = append(queued, QueuedRefetch{ShopID: so.ShopID, Orders: len(chunk)})
		}
	}
	if len(params) == 0 {
		return nil, nil
	}
	res, err := q.client.InsertMany(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("queue re-fetch: %w", err)
	}
	for i, r := range res {
		queued[i].JobID = r.Job.ID
	}
	return queued, nil
}

// QueueSetPostage queues the push of the postage an operator entered for an order to its
// marketplace ([入力内容を反映する]).
func (q *Queue) QueueSetPostage(ctx context.Context, shopID, orderID, postage int64) error {
	if _, err := q.client.Insert(ctx, SetPostageArgs{ShopID: shopID, OrderID: orderID, Postage: postage}, nil); err != nil {
		return fmt.Errorf("queue set postage: %w", err)
	}
	return nil
}
