package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// CancelOrderArgs cancels an order at its marketplace on an operator's request, with one of the
// reasons its channel's Spec.Cancel lists. The channel's Canceller reads the order first, so a
// retry after a lost answer or a crash finds it cancelled and sends nothing; one job per order
// waits at a time (unique by order), so a double click sends once.
type CancelOrderArgs struct {
	ShopID  int64  `json:"shop_id"`
	OrderID int64  `json:"order_id" river:"unique"`
	Reason  string `json:"reason"`
	Actor   string `json:"actor"`
}

// Kind implements river.JobArgs.
func (CancelOrderArgs) Kind() string { return "cancel_order" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (CancelOrderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
}

// QueueCancel queues the cancellation of an order at its marketplace.
func (q *Queue) QueueCancel(ctx context.Context, shopID, orderID int64, reason, actor string) error {
	if _, err := q.client.Insert(ctx, CancelOrderArgs{ShopID: shopID, OrderID: orderID, Reason: reason, Actor: actor}, nil); err != nil {
		return fmt.Errorf("queue cancel: %w", err)
	}
	return nil
}

type cancelOrderWorker struct {
	river.WorkerDefaults[CancelOrderArgs]
	deps Deps
}

func (w *cancelOrderWorker) Work(ctx context.Context, job *river.Job[CancelOrderArgs]) error {
	st := w.deps.Store
	sh, c, err := operatorClient[channel.Canceller](ctx, w.deps, job.Args.ShopID, "cancel orders")
	if err != nil {
		return err
	}
	o, err := st.GetOrder(ctx, job.Args.OrderID)
	if err != nil || o.ShopID != sh.ID {
		return river.JobCancel(fmt.Errorf("order %d of shop %d: %w", job.Args.OrderID, sh.ID, err))
	}
	reason, _ := sh.Channel.Spec().Cancel.Reason(job.Args.Reason)
	actor := job.Args.Actor
	if actor == "" {
		actor = "operator:cancel"
	}
	got, err := c.Cancel(channel.WithCall(ctx, "cancel", o.ID), o.MarketplaceNumber(), job.Args.Reason)
	switch {
	case err == nil:
	case channel.ClassOf(err) == channel.Auth:
		return w.deps.authFailed(ctx, river.ClientFromContext[dbTx](ctx), sh, err)
	case channel.ClassOf(err) == channel.Rejected:
		// Nothing to retry: tell the operator on the order.
		msg := "モールでキャンセルできませんでした: " + errorMessage(err)
		if serr := st.InTx(ctx, func(tx store.Tx) error {
			if err := tx.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: o.LinkStatus, Message: msg, Ref: o.LinkRef}); err != nil {
				return err
			}
			return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, Kind: order.EventCancelRequested, Actor: actor, Message: msg}})
		}); serr != nil {
			return serr
		}
		return river.JobCancel(err)
	default:
		return err // retried: Cancel reads the order first, so nothing is sent twice
	}
	msg := fmt.Sprintf("モールでキャンセルしました(理由: %s)。モールのステータス: %s", reason.Label, got.MarketplaceStatus.Label())
	return st.InTx(ctx, func(tx store.Tx) error {
		// The marketplace's status is the truth now; the rest of the order stays as stored.
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{got}, store.UpsertOptions{Actor: actor}); err != nil {
			return err
		}
		if err := tx.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: o.LinkStatus, Message: msg, Ref: o.LinkRef}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, Kind: order.EventCancelRequested, Actor: actor, Message: msg}})
	})
}
