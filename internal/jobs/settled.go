package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The banner after a bulk action (issue 20 item 2) counts an order queued as a job as waiting
// until its job settles; these are what it asks.

// JobSettlement is where a job stands for the banner.
type JobSettlement int

// The settlements: still to run or running (or retrying), finished, given up (cancelled or
// discarded: the job's error, e.g. a marketplace refusal, is on the order).
const (
	JobPending JobSettlement = iota
	JobDone
	JobGaveUp
)

// JobSettlements says where each of the jobs stands. A job not found (pruned after it finished)
// counts as done.
func (q *Queue) JobSettlements(ctx context.Context, ids []int64) (map[int64]JobSettlement, error) {
	out := make(map[int64]JobSettlement, len(ids))
	for _, id := range ids {
		out[id] = JobDone
	}
	for start := 0; start < len(ids); start += 1000 {
		chunk := ids[start:min(start+1000, len(ids))]
		res, err := q.client.JobList(ctx, river.NewJobListParams().IDs(chunk...).First(len(chunk)))
		if err != nil {
			return nil, fmt.Errorf("job settlements: %w", err)
		}
		for _, j := range res.Jobs {
			switch j.State {
			case rivertype.JobStateCompleted:
				out[j.ID] = JobDone
			case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
				out[j.ID] = JobGaveUp
			default:
				out[j.ID] = JobPending
			}
		}
	}
	return out, nil
}

// QueueCancelJob is QueueCancel that returns the job's id (the waiting job's when the same
// cancellation waits already).
func (q *Queue) QueueCancelJob(ctx context.Context, shopID, orderID int64, reason, actor string) (int64, error) {
	res, err := q.client.Insert(ctx, CancelOrderArgs{ShopID: shopID, OrderID: orderID, Reason: reason, Actor: actor}, nil)
	if err != nil {
		return 0, fmt.Errorf("queue cancel: %w", err)
	}
	return res.Job.ID, nil
}

// QueueSetPostageJob is QueueSetPostage that returns the job's id.
func (q *Queue) QueueSetPostageJob(ctx context.Context, shopID, orderID, postage int64) (int64, error) {
	res, err := q.client.Insert(ctx, SetPostageArgs{ShopID: shopID, OrderID: orderID, Postage: postage}, nil)
	if err != nil {
		return 0, fmt.Errorf("queue set postage: %w", err)
	}
	return res.Job.ID, nil
}
