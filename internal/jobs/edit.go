package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// EditOrderArgs sends an operator's change of an order's contents (注文内容修正) to its
// marketplace through the channel's OrderEditor, which reads the order first, so a retry after a
// lost answer or a crash finds the change made and sends nothing. One job per order waits at a
// time (unique by order), so a double click sends once; a second change while one waits is
// refused at the queue with what to do.
type EditOrderArgs struct {
	ShopID  int64        `json:"shop_id"`
	OrderID int64        `json:"order_id" river:"unique"`
	Change  order.Change `json:"change"`
	Actor   string       `json:"actor"`
}

// Kind implements river.JobArgs.
func (EditOrderArgs) Kind() string { return "edit_order" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (EditOrderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
}

// ErrEditWaiting is a change queued while another change of the same order waits to be sent.
var ErrEditWaiting = apperror.New(apperror.Conflict, "この注文の変更をモールへ送信中です。数秒待って結果を注文の履歴で確かめてから、もう一度変更してください。")

// QueueEdit queues the change of an order at its marketplace. A second one while the first
// waits is not queued (ErrEditWaiting).
func (q *Queue) QueueEdit(ctx context.Context, shopID, orderID int64, ch order.Change, actor string) error {
	res, err := q.client.Insert(ctx, EditOrderArgs{ShopID: shopID, OrderID: orderID, Change: ch, Actor: actor}, nil)
	if err != nil {
		return fmt.Errorf("queue edit: %w", err)
	}
	if res.UniqueSkippedAsDuplicate {
		return ErrEditWaiting
	}
	return nil
}

type editOrderWorker struct {
	river.WorkerDefaults[EditOrderArgs]
	deps Deps
}

func (w *editOrderWorker) Work(ctx context.Context, job *river.Job[EditOrderArgs]) error {
	st := w.deps.Store
	sh, c, err := operatorClient[channel.OrderEditor](ctx, w.deps, job.Args.ShopID, "change orders")
	if err != nil {
		return err
	}
	o, err := st.GetOrder(ctx, job.Args.OrderID)
	if err != nil || o.ShopID != sh.ID {
		return river.JobCancel(fmt.Errorf("order %d of shop %d: %w", job.Args.OrderID, sh.ID, err))
	}
	actor := job.Args.Actor
	if actor == "" {
		actor = "operator:edit"
	}
	change := job.Args.Change
	what := change.Describe(o)
	got, err := c.EditOrder(channel.WithCall(ctx, "edit", o.ID), o, change)
	event := func(tx store.Tx, msg string) error {
		if err := tx.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: o.LinkStatus, Message: msg, Ref: o.LinkRef}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, Kind: order.EventEdited, Actor: actor, Message: msg}})
	}
	switch {
	case err == nil:
	case channel.ClassOf(err) == channel.Auth:
		return w.deps.authFailed(ctx, river.ClientFromContext[dbTx](ctx), sh, err)
	case channel.ClassOf(err) == channel.Rejected:
		// Nothing to retry: tell the operator on the order, with what was asked.
		msg := fmt.Sprintf("注文内容の変更をモールに反映できませんでした: %s (変更内容: %s)", errorMessage(err), strings.Join(what, " / "))
		if serr := st.InTx(ctx, func(tx store.Tx) error { return event(tx, msg) }); serr != nil {
			return serr
		}
		return river.JobCancel(err)
	default:
		return err // retried: EditOrder reads the order first, so nothing is sent twice
	}
	msg := "注文内容をモールで変更しました: " + strings.Join(what, " / ")
	if got.Amounts.Requested != o.Amounts.Requested {
		msg += fmt.Sprintf(" / 請求金額: %s → %s", o.Amounts.Requested, got.Amounts.Requested)
	}
	return st.InTx(ctx, func(tx store.Tx) error {
		// The marketplace's order is the truth now; shipments entered in ichigen survive.
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{got}, store.UpsertOptions{Overwrite: true, Actor: actor}); err != nil {
			return err
		}
		return event(tx, msg)
	})
}
