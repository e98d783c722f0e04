package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ichigen-oms/ichigen/internal/jobs"
)

// runEnded are the River events that end a job's run: the work it did is committed by then.
var runEnded = []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed,
	river.EventKindJobCancelled, river.EventKindJobSnoozed}

// Await waits until cond holds and says whether it did within. It checks cond at once, then
// again each time one of the queues ends a job's run, instead of polling: what a test waits for
// is done by jobs, whose writes are committed before River reports their run ended. Every queue
// that works the jobs must be given.
func Await(tb testing.TB, within time.Duration, cond func() bool, queues ...*jobs.Queue) bool {
	tb.Helper()
	ended := make(chan struct{}, 1)
	for _, q := range queues {
		events, cancel := q.Client().Subscribe(runEnded...)
		defer cancel()
		go func() {
			for range events {
				select {
				case ended <- struct{}{}:
				default: // a check is due already
				}
			}
		}()
	}
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for !cond() {
		select {
		case <-ended:
		case <-timeout.C:
			return false
		}
	}
	return true
}

// idle says whether no job on q's database is left to run: none available, running or pending,
// none to be retried or scheduled within a second.
func idle(tb testing.TB, q *jobs.Queue) bool {
	tb.Helper()
	list, err := q.Client().JobList(context.Background(), river.NewJobListParams().States(rivertype.JobStateAvailable,
		rivertype.JobStateRunning, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateScheduled).First(1000))
	if err != nil {
		tb.Fatal(err)
	}
	soon := time.Now().Add(time.Second)
	for _, j := range list.Jobs {
		if j.ScheduledAt.Before(soon) { // a job available or running was scheduled before now
			return false
		}
	}
	return true
}

// AwaitIdle waits until no job on q's database is left to run (none scheduled within a second),
// or within has passed: what the test asserts next says what is wrong. Work a test starts ends
// in jobs, so a test that wants to see that something did not happen awaits this, not a sleep.
func AwaitIdle(tb testing.TB, within time.Duration, q *jobs.Queue) {
	tb.Helper()
	if !Await(tb, within, func() bool { return idle(tb, q) }, q) {
		tb.Logf("jobs still to run after %v", within)
	}
}
