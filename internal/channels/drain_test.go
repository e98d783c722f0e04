package channels_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestDrainAtTheQuota measures a backlog drained through import, ship report and completion at
// the simulator's quota (the closing notes' figures): calls a second against the quota, the
// marketplace's refusals over it, duplicate writes, and how long an order takes from entering
// the ship-report phase until the marketplace holds its tracking number. It runs only when asked:
//
//	ICHIGEN_DRAIN_CHANNEL=<channel> ICHIGEN_DRAIN_ORDERS=200 ICHIGEN_DRAIN_QUOTA=5 go test ./internal/channels/ -run TestDrainAtTheQuota -v
//
// With ICHIGEN_DRAIN_INSTANCES=2 (and ICHIGEN_TEST_POSTGRES) two instances drain it together.
func TestDrainAtTheQuota(t *testing.T) {
	name, n := os.Getenv("ICHIGEN_DRAIN_CHANNEL"), envInt("ICHIGEN_DRAIN_ORDERS", 0)
	if name == "" || n == 0 {
		t.Skip("set ICHIGEN_DRAIN_CHANNEL and ICHIGEN_DRAIN_ORDERS to measure a drain")
	}
	quota := float64(envInt("ICHIGEN_DRAIN_QUOTA", 5))
	spec, ok := channel.Lookup(name)
	if !ok || spec.Simulator == nil || writeKind(spec) == "" {
		t.Fatalf("channel %q cannot be drained", name)
	}
	ctx := context.Background()
	sim, url, srv := startDrain(t, spec, quota, 11)
	st := srv.Store
	sh, phases, imp, done := drainShop(t, st, spec, sim, url, quota, "drain")

	numbers := sim.Place(n, true)
	began := time.Now()
	if _, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: imp.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, time.Duration(float64(4*n)/quota+60)*time.Second, func() bool {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 1})
		return err == nil && page.Total >= int64(n)
	}, srv.Queue) {
		t.Fatal("the import did not bring every order")
	}
	imported := time.Since(began)
	var ids []int64
	for i, num := range numbers {
		o, err := st.GetOrderByNumber(ctx, sh.ID, num)
		if err != nil {
			t.Fatal(err)
		}
		base := int64(44441375870) + int64(i)*13
		if err := st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: sim.Now().In(order.JST).Format(time.DateOnly),
			Carrier: "1001", TrackingNumber: fmt.Sprintf("%011d%d", base, base%7)}}, "drain"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	moved := time.Now()
	if _, err := srv.Queue.MoveOrders(ctx, st, ids, phases["出荷済み"], "drain"); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, time.Duration(float64(6*n)/quota+120)*time.Second, func() bool {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: done, PageSize: 1})
		return err == nil && page.Total >= int64(n)
	}, srv.Queue) {
		t.Fatal("the orders did not all reach the last phase")
	}
	drained := time.Since(moved)

	c := simCounts(t, url)
	var waits []time.Duration
	for _, id := range ids {
		calls, err := st.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, OrderID: id, JobKind: string(writeKind(spec)), PageSize: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range calls {
			if call.Outcome == channel.OutcomeOK && call.Operation != channel.OpSettle {
				waits = append(waits, call.At.Sub(moved))
			}
		}
	}
	slices.Sort(waits)
	pct := func(p float64) time.Duration {
		if len(waits) == 0 {
			return 0
		}
		return waits[min(len(waits)-1, int(p*float64(len(waits))))]
	}
	total := imported + drained
	t.Logf("%s: %d orders, quota %g/s; import %s, ship report + completion %s", name, n, quota, imported.Round(time.Second), drained.Round(time.Second))
	t.Logf("requests %d in %s: %.2f/s = %.2f of the quota; min spacing %s (%.2f of the step); over quota %d, 429 %d, duplicate writes %d, hung %d",
		c.Requests, total.Round(time.Second), float64(c.Requests)/total.Seconds(), float64(c.Requests)/total.Seconds()/quota,
		time.Duration(c.MinSpacing), c.MinSpacingRatio, c.OverQuota, c.Throttled, len(c.DuplicateWrites), c.HungWrites)
	t.Logf("operations %v", c.Operations)
	if spec.Quota.PerDay > 0 {
		t.Logf("daily cap use: %d of %d (%.1f%%), %.1f calls an order", c.Requests, spec.Quota.PerDay, 100*float64(c.Requests)/float64(spec.Quota.PerDay), float64(c.Requests)/float64(n))
	}
	t.Logf("phase entry → marketplace holds the tracking number: p50 %s, p99 %s (%d reports)", pct(0.5).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), len(waits))
	if c.OverQuota > 0 || len(c.DuplicateWrites) > 0 {
		t.Errorf("over quota %d, duplicate writes %v", c.OverQuota, c.DuplicateWrites)
	}
}

// startDrain runs the channel's simulator at quota (its random draws from seed) and one ichigen
// instance whose clock is the simulator's, on ICHIGEN_DRAIN_DB (SQLite in a temporary directory
// when unset); it returns the simulator, its URL and the instance.
func startDrain(t *testing.T, spec *channel.Spec, quota float64, seed uint64) (channel.SimServer, string, *app.Server) {
	t.Helper()
	sim := spec.Simulator.New(channel.SimConfig{QuotaPerSecond: quota, Seed: seed})
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	cfg := &config.Config{DataDir: filepath.Join(t.TempDir(), "data"), DB: os.Getenv("ICHIGEN_DRAIN_DB"), Addr: "127.0.0.1:0", LogLevel: "warn",
		ShutdownTimeout: 5 * time.Second, MaxWorkers: 4, CallRetention: 24 * time.Hour, ChannelTimeout: 10 * time.Second, JobTimeout: time.Minute}
	if envInt("ICHIGEN_DRAIN_INSTANCES", 1) == 2 {
		startSecondInstance(t, cfg)
	}
	srv, err := app.Start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithClock(sim.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	return sim, ts.URL, srv
}

// startSecondInstance makes a drain run on two instances (ICHIGEN_DRAIN_INSTANCES=2): both on
// one PostgreSQL database (ICHIGEN_DRAIN_DB, or a fresh schema of ICHIGEN_TEST_POSTGRES) with one
// secret key, the second a child process (TestFaultRunInstance) that works the same queue and
// paces through the same call slots. It sets cfg's database and key.
func startSecondInstance(t *testing.T, cfg *config.Config) {
	t.Helper()
	if cfg.DB == "" {
		cfg.DB = storetest.PostgresSchemaURL(t)
	}
	cfg.SecretKey = base64.StdEncoding.EncodeToString(secret.NewKey())
	other := exec.Command(os.Args[0], "-test.run=^TestFaultRunInstance$", "-test.timeout=60m")
	other.Env = append(os.Environ(), "ICHIGEN_FAULT_INSTANCE=1", "ICHIGEN_DB="+cfg.DB, "ICHIGEN_SECRET_KEY="+cfg.SecretKey,
		"ICHIGEN_DATA_DIR="+filepath.Join(t.TempDir(), "second"))
	other.Stdout, other.Stderr = os.Stderr, os.Stderr
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = other.Process.Kill()
		_ = other.Wait()
	})
}

// simCounts reads the counters of the simulator at url (its control API).
func simCounts(t *testing.T, url string) simkit.Counts {
	t.Helper()
	var c simkit.Counts
	resp, err := http.Get(url + "/_sim/counters")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatalf("the simulator's counters: %v", err)
	}
	return c
}

// simControl sends body to the control API of the simulator at url: faults, maintenance, the
// clock.
func simControl(t *testing.T, url, method, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %s", method, path, resp.Status)
	}
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

// writeKind is the write a drain sends for each shipped order: the ship report, or for a channel
// that reports no shipment but captures a card payment on it (the own cart), the capture (売上確定),
// which registers the slip number with the gateway. "" when the channel has neither.
func writeKind(spec *channel.Spec) workflow.JobKind {
	switch {
	case spec.HasJobKind(workflow.JobShipReport):
		return workflow.JobShipReport
	case spec.HasJobKind(workflow.JobCapture):
		return workflow.JobCapture
	}
	return ""
}

// drainShop makes the shop of a drain or fault run on the channel's simulator at url, paced at
// quota: its import rule, and the ship report or capture (writeKind, 出荷済み → 出荷反映済み) and
// completion (→ 完了) when the channel has one. It returns the shop, the phases by name, the import rule and the
// phase an order ends in.
func drainShop(t *testing.T, st store.Store, spec *channel.Spec, sim channel.SimServer, url string, quota float64, name string) (shop.Shop, map[string]int64, workflow.Rule, int64) {
	t.Helper()
	ctx := context.Background()
	creds := shop.Credentials(sim.Credentials())
	creds["endpoint"] = url
	if k := spec.Quota.OverrideKey; k != "" {
		creds[k] = strconv.FormatFloat(quota, 'f', -1, 64)
	}
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(spec.Name), Name: name, Code: name, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	reflected, err := st.CreatePhase(ctx, "出荷反映済み")
	if err != nil {
		t.Fatal(err)
	}
	phases := map[string]int64{}
	ps, _ := st.ListPhases(ctx)
	for _, p := range ps {
		phases[p.Name] = p.ID
	}
	imp, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Interval: time.Hour, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	done := reflected.ID
	if spec.HasJobKind(workflow.JobComplete) {
		if _, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobComplete, Enabled: true, TargetPhaseID: reflected.ID,
			SuccessPhaseID: phases["完了"], ErrorPhaseID: phases["エラー"]}); err != nil {
			t.Fatal(err)
		}
		done = phases["完了"]
	}
	if _, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: writeKind(spec), Enabled: true, TargetPhaseID: phases["出荷済み"],
		SuccessPhaseID: reflected.ID, ErrorPhaseID: phases["エラー"]}); err != nil {
		t.Fatal(err)
	}
	return sh, phases, imp, done
}
