package storetest

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore"
)

// The login-attempt counting the web UI's limits rely on, added to the conformance suite.
func init() {
	conformanceTests["LoginAttemptsCountPerKeyAndWindow"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		count := func(key string, at time.Time) store.LoginAttempts {
			t.Helper()
			return must[store.LoginAttempts](t)(b.st.CountLoginAttempt(ctx, key, at, time.Minute))
		}
		for i := int64(1); i <= 3; i++ {
			if got := count("a", base.Add(time.Duration(i)*time.Second)); got.Count != i || !got.Until.Equal(base.Add(time.Second+time.Minute)) {
				t.Fatalf("try %d: %+v, want %d until the first try's minute ends", i, got, i)
			}
		}
		if got := count("b", base); got.Count != 1 {
			t.Fatalf("another key shares the count: %+v", got)
		}
		if err := b.st.UncountLoginAttempt(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if got := count("a", base.Add(10*time.Second)); got.Count != 3 {
			t.Fatalf("after one try taken back: %+v, want 3", got)
		}
		if err := b.st.UncountLoginAttempt(ctx, "unknown"); err != nil {
			t.Fatalf("taking back from an unknown key: %v", err)
		}
		later := base.Add(time.Second + time.Minute)
		if got := count("a", later); got.Count != 1 || !got.Until.Equal(later.Add(time.Minute)) {
			t.Fatalf("once the window ended: %+v, want a new window at 1", got)
		}
		if err := b.st.ForgetLoginAttempts(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if got := count("a", later); got.Count != 1 {
			t.Fatalf("after forgetting: %+v, want 1", got)
		}
	}

	conformanceTests["LoginAttemptsTableStaysBounded"] = func(t *testing.T, b *testBundle) {
		// Ended windows are pruned as new tries come in: a flood of keys leaves only the live
		// ones behind.
		ctx := context.Background()
		for i := range 120 {
			must[store.LoginAttempts](t)(b.st.CountLoginAttempt(ctx, fmt.Sprintf("k%d", i), base, time.Minute))
		}
		for i := range 5 {
			must[store.LoginAttempts](t)(b.st.CountLoginAttempt(ctx, fmt.Sprintf("late%d", i), base.Add(time.Hour), time.Minute))
		}
		var rows int
		if err := b.st.DB().QueryRowContext(ctx, "SELECT count(*) FROM login_attempts").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != 5 {
			t.Fatalf("%d rows after the old windows ended, want the 5 live ones", rows)
		}
	}
}

// TestLoginAttemptsAreSharedAndSurviveARestart: two store handles on one database (two
// instances) count into the same window, also when they count at once, and a handle opened
// afterwards (a restart) finds the count.
func TestLoginAttemptsAreSharedAndSurviveARestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, engine := range []struct {
		name string
		open func(t *testing.T) func() store.Store
	}{
		{"sqlite", func(t *testing.T) func() store.Store {
			path := filepath.Join(t.TempDir(), "ichigen.db")
			return func() store.Store {
				st, err := sqlitestore.Open(ctx, path, Box(t))
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
		{"postgres", func(t *testing.T) func() store.Store {
			url := PostgresSchemaURL(t)
			return func() store.Store {
				st, err := pgstore.Open(ctx, url, Box(t))
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
	} {
		t.Run(engine.name, func(t *testing.T) {
			t.Parallel()
			open := engine.open(t)
			one, two := open(), open()
			const each = 10
			var wg sync.WaitGroup
			for _, st := range []store.Store{one, two} {
				wg.Go(func() {
					for range each {
						if _, err := st.CountLoginAttempt(ctx, "shared", base, time.Hour); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			one.Close()
			two.Close()
			restarted := open()
			defer restarted.Close()
			got, err := restarted.CountLoginAttempt(ctx, "shared", base.Add(time.Minute), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if got.Count != 2*each+1 {
				t.Fatalf("after %d tries on each of two instances and one after a restart: count %d", each, got.Count)
			}
		})
	}
}
