package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Refetcher reads orders back from the marketplace by number.
type Refetcher = channel.Refetcher

// RefetchArgs re-reads orders' marketplace status on an operator's request
// ([RMSステータスを取得]): after an order was changed or cancelled at the marketplace, or
// confirmed there by hand. Marketplace status and payment status refresh; the rest follows
// the shop's "overwrite same order" setting.
type RefetchArgs struct {
	ShopID   int64   `json:"shop_id"`
	OrderIDs []int64 `json:"order_ids"`
}

// Kind implements river.JobArgs.
func (RefetchArgs) Kind() string { return "refetch" }

type refetchWorker struct {
	river.WorkerDefaults[RefetchArgs]
	deps Deps
}

// operatorClient loads the shop and channel client of a job an operator asked for. The errors
// cancel the job: a shop gone or stopped by an auth error, or a channel that cannot do it.
func operatorClient[C any](ctx context.Context, d Deps, shopID int64, what string) (shop.Shop, C, error) {
	var none C
	sh, err := d.Store.GetShop(ctx, shopID)
	if err != nil {
		return sh, none, river.JobCancel(err)
	}
	if sh.Status == shop.AuthError {
		return sh, none, river.JobCancel(fmt.Errorf("shop %d is stopped by an auth error: save a new key first", sh.ID))
	}
	f, err := d.Fetcher(sh)
	if err != nil {
		return sh, none, river.JobCancel(fmt.Errorf("shop %d: %w", sh.ID, err))
	}
	c, ok := f.(C)
	if !ok {
		return sh, none, river.JobCancel(fmt.Errorf("%s cannot %s", sh.Channel.Label(), what))
	}
	return sh, c, nil
}

func (w *refetchWorker) Work(ctx context.Context, job *river.Job[RefetchArgs]) error {
	st := w.deps.Store
	sh, r, err := operatorClient[Refetcher](ctx, w.deps, job.Args.ShopID, "re-read orders")
	if err != nil {
		return err
	}
	var numbers []string
	var ids []int64
	for _, id := range job.Args.OrderIDs {
		o, err := st.GetOrder(ctx, id)
		if err != nil || o.ShopID != sh.ID {
			continue
		}
		numbers, ids = append(numbers, o.Number), append(ids, o.ID)
	}
	orders, err := r.Refetch(channel.WithOrders(channel.WithCall(ctx, "refetch", 0), ids), numbers)
	if err != nil {
		if channel.ClassOf(err) == channel.Auth {
			return w.deps.authFailed(ctx, river.ClientFromContext[dbTx](ctx), sh, err)
		}
		return err
	}
	_, err = st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{Overwrite: sh.OverwriteSameOrder, Actor: "system:refetch"})
	return err
}
