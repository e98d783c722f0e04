package channel

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// OrderStep decides one order for a job kind on a marketplace that takes one order a call: its
// result, whether it decided it (an undecided order stays for the next run), and an error that
// stops the batch.
type OrderStep func(ctx context.Context, o order.Order, journal Journal) (Result, bool, error)

// PerOrder runs a rule on a batch of orders one order at a time (au PAY, Yahoo!ショッピング,
// Amazon): the step of kind among steps, each order's calls recorded under it. Without a
// journal it sends nothing; a kind the channel has no step for is refused. channel and label
// name the marketplace in the refusal.
func PerOrder(ctx context.Context, channel, label string, kind workflow.JobKind, orders []order.Order, journal Journal, steps map[workflow.JobKind]OrderStep) ([]Result, error) {
	if journal == nil {
		return nil, ErrNoJournal
	}
	step, ok := steps[kind]
	if !ok {
		return nil, &Error{Class: Rejected, Channel: channel, Operation: string(kind),
			Message: fmt.Sprintf("%sの「%s」には対応していません。", label, kind.Label())}
	}
	var results []Result
	for _, o := range orders {
		r, decided, err := step(WithCall(ctx, string(kind), o.ID), o, journal)
		if decided {
			results = append(results, r)
		}
		if err != nil {
			return results, err
		}
	}
	return results, nil
}
