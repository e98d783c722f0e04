package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// The leader runs the prune on start: calls older than the retention go, newer ones stay.
func TestCallHistoryIsPrunedPastRetention(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, _ := storetest.NewShop(t, st, "tea")
			now := time.Now()
			for _, age := range []time.Duration{48 * time.Hour, 30 * time.Hour, time.Hour} {
				if _, err := st.RecordCall(ctx, channel.Call{At: now.Add(-age), ShopID: sh.ID, Operation: "searchOrder", Outcome: channel.OutcomeOK}); err != nil {
					t.Fatal(err)
				}
			}
			q := storetest.StartQueue(t, st, jobs.Config{Workers: jobs.NewWorkers(jobs.Deps{Store: st, CallRetention: 24 * time.Hour}), PeriodicJobs: jobs.PeriodicJobs(), FetchPollInterval: 100 * time.Millisecond})
			var calls []channel.Call
			storetest.Await(t, 30*time.Second, func() bool {
				var err error
				if calls, err = st.ListCalls(ctx, store.CallQuery{ShopID: sh.ID}); err != nil {
					t.Fatal(err)
				}
				return len(calls) < 3
			}, q)
			if len(calls) != 1 || now.Sub(calls[0].At) > 2*time.Hour {
				t.Fatalf("after prune: %d calls %+v; want only the one from an hour ago", len(calls), calls)
			}
		})
	}
}

// On PostgreSQL River hears new jobs through LISTEN/NOTIFY on the pgx listener pool, so a job
// is worked long before the next poll.
func TestPostgresQueueHearsNewJobsWithoutPolling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	st, err := pgstore.Open(ctx, url, storetest.Box(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // after the queue's own clean-up has stopped it
	if err := jobs.Migrate(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 1)
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[pingArgs]) error {
		done <- struct{}{}
		return nil
	}))
	const poll = 30 * time.Second
	// River's Start returns once its producer listens for inserts: the notification is heard.
	storetest.StartQueue(t, st, jobs.Config{Workers: workers, PostgresURL: url, FetchPollInterval: poll})
	// The job comes from another instance: a client wakes its own producer on its own inserts.
	other, err := jobs.New(ctx, st, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.InTx(ctx, func(tx store.Tx) error { return other.InsertTx(ctx, tx, pingArgs{}, nil) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(poll / 2):
		t.Fatalf("job not worked within %v: River is polling instead of listening", poll/2)
	}
}

type pingArgs struct{}

func (pingArgs) Kind() string { return "jobs_test_ping" }
