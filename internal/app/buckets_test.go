package app

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestTwoInstancesShareATokenBucket: two instances on one PostgreSQL database (two stores of
// their own) take tokens of one bucket at once, 20 each, at 5 a second with a burst of 5; the
// moments their calls may leave never hold more than the burst plus the refill of the window
// between them, counted across both instances. Nothing sleeps: the test reads the schedule the
// buckets hand out.
func TestTwoInstancesShareATokenBucket(t *testing.T) {
	t.Parallel()
	storetest.RequirePostgres(t)
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	var instances []store.Store
	for range 2 {
		st, err := pgstore.Open(ctx, url, storetest.Box(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if len(instances) == 0 {
			if err := jobs.Migrate(ctx, st, nil); err != nil {
				t.Fatal(err)
			}
		}
		instances = append(instances, st)
	}
	const rate, burst, each = 5.0, 5, 20
	every := time.Duration(float64(time.Second) / rate)
	var (
		mu    sync.Mutex
		leave []time.Time
		wg    sync.WaitGroup
	)
	for _, st := range instances {
		b := storeBuckets{st: st}.Bucket("amazon:confirmShipment:test", rate, burst).(storeBucket)
		wg.Go(func() {
			for range each {
				before := time.Now()
				wait, err := b.st.TakeToken(ctx, b.key, b.every, b.burst)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				leave = append(leave, before.Add(wait))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(leave, func(a, b time.Time) int { return a.Compare(b) })
	// The moments are read on this side of each call: a call's own latency may put one a few
	// milliseconds early, hence the allowance.
	const allowance = 50 * time.Millisecond
	for i := range leave {
		for j := i; j < len(leave); j++ {
			window := leave[j].Sub(leave[i])
			if n, most := j-i+1, burst+int((window+allowance)/every); n > most {
				t.Fatalf("%d calls within %v, at most %d may leave (burst %d, %g a second)", n, window, most, burst, rate)
			}
		}
	}
	if span, want := leave[len(leave)-1].Sub(leave[0]), time.Duration(2*each-burst)*every; span < want-allowance {
		t.Fatalf("%d calls spread over %v, want about %v", 2*each, span, want)
	}
}

// TestTokenBucketWaits: on both engines a bucket lets its burst leave at once, then one call
// an interval, and a bucket left alone fills up again.
func TestTokenBucketWaits(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			st := engine.Open(t)
			ctx := context.Background()
			const every, burst = time.Hour, 3 // an hour apart: the test's own time does not count
			var waits []time.Duration
			for range 5 {
				w, err := st.TakeToken(ctx, "bucket:test", every, burst)
				if err != nil {
					t.Fatal(err)
				}
				waits = append(waits, w.Round(time.Minute))
			}
			if want := []time.Duration{0, 0, 0, every, 2 * every}; !slices.Equal(waits, want) {
				t.Fatalf("waits %v, want %v", waits, want)
			}
			if w, _ := st.TakeToken(ctx, "bucket:other", every, burst); w != 0 {
				t.Fatalf("another bucket waits %v", w)
			}
		})
	}
}
