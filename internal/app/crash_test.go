package app

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// crashJobTimeout is the job timeout of the crash test's instances: River takes a run left
// behind as abandoned after RescueAfter of it.
const crashJobTimeout = 5 * time.Second

// crashRecoveryBound is how soon after the restart the test wants the next order imported: River's
// leader of the dead instance expires (15 s), the new leader's rescuer finds the run left behind
// older than the rescue threshold (10 s), and it runs a second later. An hour before.
const crashRecoveryBound = 45 * time.Second

// TestCrashHelperProcess is the ichigen instance the crash test starts and kills: it runs only
// when the test re-executes its own binary with ICHIGEN_CRASH_HELPER=1, configured from the
// ICHIGEN_* environment like `ichigen serve`, and serves until it is killed.
func TestCrashHelperProcess(t *testing.T) {
	if os.Getenv("ICHIGEN_CRASH_HELPER") != "1" {
		t.Skip("started by TestKilledImportResumesWithinMinutes")
	}
	var cfg config.Config
	cmd := &cli.Command{Name: "serve", Flags: cfg.Flags(), Action: func(ctx context.Context, _ *cli.Command) error {
		logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		srv, err := Start(ctx, &cfg, logger)
		if err != nil {
			return err
		}
		fmt.Println("serving at", srv.URL())
		select {} // until killed
	}}
	if err := cmd.Run(context.Background(), []string{"serve"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// An instance killed (kill -9) in the middle of an import leaves the import job running under a
// dead process. After a restart, the shop's new orders are imported within a bound of the
// restart, on both engines: the run left behind is taken up again within seconds of the job
// timeout, not after River's default hour.
func TestKilledImportResumesWithinMinutes(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{store.EngineSQLite, store.EnginePostgres} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := "sqlite:" + filepath.Join(t.TempDir(), "ichigen.db")
			if engine == store.EnginePostgres {
				db = storetest.PostgresSchemaURL(t)
			}
			killMidImport(t, db)
		})
	}
}

func killMidImport(t *testing.T, db string) {
	ctx := context.Background()
	sim := rakutensim.New(rakutensim.Config{})
	searched := make(chan struct{}) // closed by the import's first call, its search
	var once sync.Once
	handler := sim.Handler()
	simServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/searchOrder/") {
			once.Do(func() { close(searched) })
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(simServer.Close)

	// The test's own view of the database: the shop and its import rule, and what came in.
	cfg := testConfig(t, db)
	cfg.SecretKey = sharedKey
	st, err := OpenStore(ctx, cfg, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	secret, key := sim.Credentials()
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(rakuten.Name), Name: "楽天テスト店",
		Credentials: shop.Credentials{"serviceSecret": secret, "licenseKey": key, "endpoint": simServer.URL}})
	if err != nil {
		t.Fatal(err)
	}
	rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Enabled: true, Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// The shop imported an hour ago; its next import is due.
	if err := st.MarkRuleRun(ctx, rule.ID, time.Now().Add(-time.Hour), time.Time{}); err != nil {
		t.Fatal(err)
	}
	sim.Generate(rakutensim.GenerateOptions{Count: 5, At: time.Now().Add(-30 * time.Minute)})
	// Every call takes a while: the import is still running when the instance is killed.
	sim.Sim.Faults.Set(simkit.Faults{Latency: simkit.Duration(time.Second)})

	first := startHelper(t, db)
	// River marks the import running before it calls the marketplace.
	select {
	case <-searched:
	case <-time.After(30 * time.Second):
		t.Fatal("waited 30s for the import to call the marketplace")
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL: nothing is cleaned up
		t.Fatal(err)
	}
	_ = first.Wait()
	if !importRunning(t, st) {
		t.Fatal("the killed instance's import job is not left running: the test does not show a crash")
	}

	sim.Sim.Faults.Set(simkit.Faults{})
	// New orders awaiting confirmation, of those the import takes at once (common settlement;
	// selective-settlement orders wait for 発送待ち).
	var fresh []string
	for len(fresh) < 3 {
		for _, n := range sim.Generate(rakutensim.GenerateOptions{Count: 1}) {
			if m, _ := sim.Order(n); rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementCommon {
				fresh = append(fresh, n)
			}
		}
	}
	restarted := time.Now()
	startHelper(t, db)
	t.Cleanup(func() {
		if t.Failed() {
			logJobs(t, st)
		}
	})
	waitUntil(t, crashRecoveryBound, "the new orders imported after the restart", func() bool {
		for _, n := range fresh {
			if _, err := st.GetOrderByNumber(ctx, sh.ID, n); err != nil {
				return false
			}
		}
		return true
	})
	t.Logf("%s: new orders imported %.1f s after the restart (job timeout %s)", st.Engine(), time.Since(restarted).Seconds(), crashJobTimeout)
}

// startHelper starts an ichigen instance on db in a process of its own, killed with the test.
func startHelper(t *testing.T, db string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), "ICHIGEN_CRASH_HELPER=1", "ICHIGEN_DB="+db, "ICHIGEN_SECRET_KEY="+sharedKey,
		"ICHIGEN_DATA_DIR="+t.TempDir(), "ICHIGEN_ADDR=127.0.0.1:0", "ICHIGEN_MAX_WORKERS=4",
		"ICHIGEN_CHANNEL_TIMEOUT=2s", "ICHIGEN_JOB_TIMEOUT="+crashJobTimeout.String())
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("instance %d said:\n%s", cmd.Process.Pid, out.String())
		}
	})
	return cmd
}

// importRunning says whether an import job is marked running.
func importRunning(t *testing.T, st store.Store) bool {
	t.Helper()
	var n int
	if err := st.ReadDB().QueryRow("SELECT count(*) FROM river_job WHERE kind = 'import' AND state = 'running'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// waitUntil polls cond until it holds or within has passed.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", within, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logJobs lists River's jobs, for a failure.
func logJobs(t *testing.T, st store.Store) {
	rows, err := st.ReadDB().Query("SELECT id, kind, state, attempt, CAST(errors AS TEXT), attempted_at, scheduled_at FROM river_job ORDER BY id")
	if err != nil {
		t.Log(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id, attempt int64
		var kind, state string
		var errs sql.NullString
		var attempted, scheduled sql.NullTime
		if err := rows.Scan(&id, &kind, &state, &attempt, &errs, &attempted, &scheduled); err != nil {
			t.Log(err)
			return
		}
		t.Logf("job %d %s: %s, attempt %d, attempted %v, scheduled %v, errors %s", id, kind, state, attempt, attempted.Time, scheduled.Time, errs.String)
	}
}
