package jobs

import (
	"context"
	"errors"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// errNoEligibility refuses to hand orders to a channel when no eligibility is configured: the
// channels do not check bundles, link statuses or cancellations themselves.
var errNoEligibility = errors.New("no eligibility configured: the channel would be handed orders it must not send")

// sortOut applies the shop's channel's eligibility for kind to a batch: take are the orders to
// hand to the processor, decided the results of those decided without a call. A skipped order
// is in neither: it stays in the phase with no result.
func (d Deps) sortOut(sh shop.Shop, kind workflow.JobKind, orders []order.Order) (take []order.Order, decided []channel.Result) {
	e := workflow.MailEligibility
	if kind != workflow.JobMail {
		e = d.Eligibility(sh, kind)
	}
	return sortOut(e, orders)
}

// sortOut applies e to a batch: the dispatcher's decision, and a rule preview's.
func sortOut(e workflow.Eligibility, orders []order.Order) (take []order.Order, decided []channel.Result) {
	for _, o := range orders {
		switch v := e.Decide(o); v.Action {
		case workflow.Take:
			take = append(take, o)
		case workflow.Pass:
			decided = append(decided, channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Message: v.Message})
		case workflow.Refuse:
			decided = append(decided, channel.Result{OrderID: o.ID, LinkStatus: string(v.Status), Message: v.Message})
		}
	}
	return take, decided
}

// process hands the orders the shop's channel takes for kind to proc, and returns their
// results with those of the orders decided without a call.
func (d Deps) process(ctx context.Context, proc Processor, sh shop.Shop, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	if d.Eligibility == nil && kind != workflow.JobMail {
		return nil, errNoEligibility
	}
	take, results := d.sortOut(sh, kind, orders)
	if len(take) == 0 {
		return results, nil
	}
	ids := make([]int64, len(take))
	for i, o := range take {
		ids[i] = o.ID
	}
	// A batched call is linked to each order it carried, so every order's page shows it.
	got, err := proc.Process(channel.WithOrders(ctx, ids), kind, take, journal)
	return append(results, got...), err
}
