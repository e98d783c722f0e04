package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// DefaultCallRetention is how long the API call history is kept.
const DefaultCallRetention = 365 * 24 * time.Hour

// NewWorkers returns the job kinds every ichigen instance works. The channel issues add theirs.
func NewWorkers(st store.Store, callRetention time.Duration) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &pruneCallsWorker{store: st, retention: callRetention})
	return w
}

// PeriodicJobs are the jobs River's leader schedules, once across all instances.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return PruneCallsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
	}
}

// PruneCallsArgs deletes API call history older than the retention.
type PruneCallsArgs struct{}

// Kind implements river.JobArgs.
func (PruneCallsArgs) Kind() string { return "prune_api_calls" }

type pruneCallsWorker struct {
	river.WorkerDefaults[PruneCallsArgs]
	store     store.Store
	retention time.Duration
}

func (w *pruneCallsWorker) Work(ctx context.Context, job *river.Job[PruneCallsArgs]) error {
	if _, err := w.store.PruneCalls(ctx, time.Now().Add(-w.retention)); err != nil {
		return fmt.Errorf("prune api calls: %w", err)
	}
	return nil
}
