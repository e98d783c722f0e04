package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// DefaultCallRetention is how long the API call history is kept.
const DefaultCallRetention = 365 * 24 * time.Hour

// NewWorkers returns the job kinds every ichigen instance works.
func NewWorkers(deps Deps) *river.Workers {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.JobTimeout <= 0 {
		deps.JobTimeout = DefaultJobTimeout
	}
	if deps.CallRetention <= 0 {
		deps.CallRetention = DefaultCallRetention
	}
	w := river.NewWorkers()
	river.AddWorker(w, &pruneCallsWorker{store: deps.Store, retention: deps.CallRetention})
	river.AddWorker(w, &scheduleWorker{deps: deps})
	river.AddWorker(w, &importWorker{deps: deps})
	dispatch := &dispatchWorker{deps: deps, locks: newRuleLocks(deps.Store)}
	river.AddWorker(w, dispatch)
	river.AddWorker(w, &recheckWorker{dispatch: dispatch})
	river.AddWorker(w, &notifyWorker{deps: deps})
	river.AddWorker(w, &checkCredentialsWorker{deps: deps})
	river.AddWorker(w, &refetchWorker{deps: deps})
	river.AddWorker(w, &importRangeWorker{deps: deps})
	river.AddWorker(w, &setPostageWorker{deps: deps})
	river.AddWorker(w, &cancelOrderWorker{deps: deps})
	river.AddWorker(w, &editOrderWorker{deps: deps})
	river.AddWorker(w, &sendMailWorker{deps: deps})
	river.AddWorker(w, &maskBuyerDataWorker{deps: deps})
	river.AddWorker(w, &driftWorker{deps: deps})
	return w
}

// ScheduleInterval is how often the leader looks for polling rules whose time has come.
const ScheduleInterval = 15 * time.Second

// PeriodicJobs are the jobs River's leader schedules, once across all instances.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return PruneCallsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return CheckCredentialsArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(MaskBuyerDataInterval), func() (river.JobArgs, *river.InsertOpts) {
			return MaskBuyerDataArgs{}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(DriftInterval), func() (river.JobArgs, *river.InsertOpts) {
			return DriftArgs{}, nil
		}, nil),
		river.NewPeriodicJob(river.PeriodicInterval(ScheduleInterval), func() (river.JobArgs, *river.InsertOpts) {
			return ScheduleArgs{}, nil
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

// dbTx is the transaction type of River's client here: both drivers run on database/sql.
type dbTx = *sql.Tx
