package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Refetcher reads orders back from the marketplace by number.
type Refetcher interface {
	Refetch(ctx context.Context, numbers []string) ([]order.Order, error)
}

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

func (w *refetchWorker) Work(ctx context.Context, job *river.Job[RefetchArgs]) error {
	st := w.deps.Store
	sh, err := st.GetShop(ctx, job.Args.ShopID)
	if err != nil {
		return river.JobCancel(err)
	}
	if sh.Status == shop.AuthError {
		return river.JobCancel(fmt.Errorf("shop %d is stopped by an auth error: save a new key first", sh.ID))
	}
	f, err := w.deps.Fetcher(sh)
	if err != nil {
		return river.JobCancel(err)
	}
	r, ok := f.(Refetcher)
	if !ok {
		return river.JobCancel(fmt.Errorf("%s cannot re-read orders", sh.Channel.Label()))
	}
	var numbers []string
	for _, id := range job.Args.OrderIDs {
		o, err := st.GetOrder(ctx, id)
		if err != nil || o.ShopID != sh.ID {
			continue
		}
		numbers = append(numbers, o.Number)
	}
	orders, err := r.Refetch(channel.WithCall(ctx, "refetch", 0), numbers)
	if err != nil {
		if channel.ClassOf(err) == channel.Auth {
			return w.deps.authFailed(ctx, river.ClientFromContext[dbTx](ctx), sh, err)
		}
		return err
	}
	_, err = st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{Overwrite: sh.OverwriteSameOrder, Actor: "system:refetch"})
	return err
}
