package channels_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// faultJobTimeout is the job timeout of both instances of the fault run: River takes a run the
// killed instance left behind as abandoned after twice this.
const faultJobTimeout = 10 * time.Second

// faultRunConfig is the configuration of one instance of the fault run.
func faultRunConfig(dataDir, db, key string) *config.Config {
	return &config.Config{DataDir: dataDir, DB: db, SecretKey: key, Addr: "127.0.0.1:0", LogLevel: "warn", ShutdownTimeout: 5 * time.Second,
		MaxWorkers: 4, CallRetention: 24 * time.Hour, ChannelTimeout: 2 * time.Second, JobTimeout: faultJobTimeout}
}

// writeKeyer is a simulator whose writes are counted under another key than the order number
// (the own cart's: the card trade's 受付番号 at the gateway).
type writeKeyer interface{ WriteKey(number string) string }

// writeKeyOf is the key an order's writes are counted under.
func writeKeyOf(sim channel.SimServer, number string) string {
	if k, ok := sim.(writeKeyer); ok {
		return k.WriteKey(number)
	}
	return number
}

// sessionExpirer is a simulator that can end every access token it issued (Yahoo's 1-hour
// tokens): the client must get a new one by itself.
type sessionExpirer interface{ ExpireAccessTokens() }

// TestFaultRunInstance is the second ichigen instance of TestFaultRun: it runs only when the
// fault run re-executes the test binary with ICHIGEN_FAULT_INSTANCE=1, and works the queue until
// it is killed (SIGKILL).
func TestFaultRunInstance(t *testing.T) {
	if os.Getenv("ICHIGEN_FAULT_INSTANCE") != "1" {
		t.Skip("started by TestFaultRun")
	}
	cfg := faultRunConfig(os.Getenv("ICHIGEN_DATA_DIR"), os.Getenv("ICHIGEN_DB"), os.Getenv("ICHIGEN_SECRET_KEY"))
	srv, err := app.Start(context.Background(), cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("serving at", srv.URL())
	select {} // until killed
}

// TestFaultRun drives a backlog through import, ship report and completion on two instances
// sharing one PostgreSQL database while the simulator misbehaves: writes applied and left
// unanswered, injected 429s, a maintenance window, every access token ended (where the
// simulator has tokens), and one of the two instances killed with SIGKILL in the middle. It
// then checks the promises: no order lost (every one reaches the last phase and the marketplace
// holds its report), none written twice, none in a wrong phase; and measures phase entry →
// ichigen knows the marketplace holds the tracking number (p50, p99). It runs only when asked,
// never in CI:
//
//	ICHIGEN_TEST_POSTGRES=postgres://... ICHIGEN_FAULT_CHANNEL=<channel> ICHIGEN_FAULT_ORDERS=100 ICHIGEN_FAULT_QUOTA=5 \
//	  go test ./internal/channels/ -run 'TestFaultRun$' -v -timeout 30m
func TestFaultRun(t *testing.T) {
	name, n := os.Getenv("ICHIGEN_FAULT_CHANNEL"), envInt("ICHIGEN_FAULT_ORDERS", 0)
	if name == "" || n == 0 {
		t.Skip("set ICHIGEN_FAULT_CHANNEL and ICHIGEN_FAULT_ORDERS (and ICHIGEN_TEST_POSTGRES) to run the fault run")
	}
	quota := float64(envInt("ICHIGEN_FAULT_QUOTA", 5))
	spec, ok := channel.Lookup(name)
	if !ok || spec.Simulator == nil || writeKind(spec) == "" {
		t.Fatalf("channel %q cannot be run through faults", name)
	}
	db := storetest.PostgresSchemaURL(t)
	key := base64.StdEncoding.EncodeToString(secret.NewKey())
	ctx := context.Background()
	sim := spec.Simulator.New(channel.SimConfig{QuotaPerSecond: quota, Seed: 13})
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	control := func(method, path, body string) { simControl(t, ts.URL, method, path, body) }

	srv, err := app.Start(ctx, faultRunConfig(filepath.Join(t.TempDir(), "a"), db, key), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	other := exec.Command(os.Args[0], "-test.run=^TestFaultRunInstance$", "-test.timeout=60m")
	other.Env = append(os.Environ(), "ICHIGEN_FAULT_INSTANCE=1", "ICHIGEN_DB="+db, "ICHIGEN_SECRET_KEY="+key, "ICHIGEN_DATA_DIR="+filepath.Join(t.TempDir(), "b"))
	var said bytes.Buffer
	other.Stdout, other.Stderr = &said, &said
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	kill := func() {
		if !killed {
			killed = true
			_ = other.Process.Kill() // SIGKILL: nothing is cleaned up
			_ = other.Wait()
		}
	}
	t.Cleanup(kill)

	st := srv.Store
	sh, phases, imp, done := drainShop(t, st, spec, sim, ts.URL, quota, "faults")

	// The faults of the whole run: a share of the writes applied and never answered, a share of
	// every request refused 429 on top of the quota.
	control("PUT", "/_sim/faults", `{"timeout_after_write":0.05,"too_many_requests":0.05}`)
	numbers := sim.Place(n, true)
	began := time.Now()
	if _, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: imp.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, time.Duration(float64(4*n)/quota+120)*time.Second, func() bool {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 1})
		return err == nil && page.Total >= int64(n)
	}, srv.Queue) {
		t.Fatal("the import did not bring every order")
	}
	imported := time.Since(began)
	var ids []int64
	byID := map[int64]string{}
	for i, num := range numbers {
		o, err := st.GetOrderByNumber(ctx, sh.ID, num)
		if err != nil {
			t.Fatal(err)
		}
		base := int64(44441375870) + int64(i)*13
		if err := st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: sim.Now().In(order.JST).Format(time.DateOnly),
			Carrier: "1001", TrackingNumber: fmt.Sprintf("%011d%d", base, base%7)}}, "faults"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
		byID[o.ID] = num
	}
	moved := time.Now()
	if _, err := srv.Queue.MoveOrders(ctx, st, ids, phases["出荷済み"], "faults"); err != nil {
		t.Fatal(err)
	}

	// The disruptions, spread over the drain's expected length (two writes an order at the quota).
	expected := time.Duration(float64(2*n) / quota * float64(time.Second))
	events := []struct {
		at   time.Duration
		what string
		do   func()
	}{
		{expected / 10, "every access token ended", func() {
			if e, ok := sim.(sessionExpirer); ok {
				e.ExpireAccessTokens()
			}
		}},
		{expected / 5, "maintenance for 15s", func() { control("POST", "/_sim/maintenance", `{"for":"15s"}`) }},
		{expected / 2, "the second instance killed (SIGKILL)", kill},
	}
	finished := make(chan struct{})
	go func() {
		for _, e := range events {
			select {
			case <-finished:
				return
			case <-time.After(time.Until(moved.Add(e.at))):
			}
			e.do()
			t.Logf("%s after %s: %s", time.Since(moved).Round(time.Millisecond), e.at.Round(time.Millisecond), e.what)
		}
	}()
	reached := storetest.Await(t, 3*expected+5*time.Minute, func() bool {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: done, PageSize: 1})
		return err == nil && page.Total >= int64(n)
	}, srv.Queue)
	close(finished)
	drained := time.Since(moved)
	if !killed {
		t.Error("the drain ended before the second instance was killed: raise ICHIGEN_FAULT_ORDERS")
	}

	c := simCounts(t, ts.URL)

	// Where every order is, and how long its report took to be known held.
	wrong := map[string]int{}
	var lost []string
	var waits []time.Duration
	for _, id := range ids {
		o, err := st.GetOrder(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.PhaseID != done {
			wrong[fmt.Sprint(o.PhaseID)]++
		}
		if c.Writes[writeKeyOf(sim, byID[id])] == 0 {
			lost = append(lost, byID[id])
		}
		calls, err := st.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, OrderID: id, JobKind: string(writeKind(spec)), PageSize: 50})
		if err != nil {
			t.Fatal(err)
		}
		var first time.Time
		for _, call := range calls {
			if call.Outcome == channel.OutcomeOK && (first.IsZero() || call.At.Before(first)) {
				first = call.At
			}
		}
		if !first.IsZero() {
			waits = append(waits, first.Sub(moved))
		}
	}
	slices.Sort(waits)
	pct := func(p float64) time.Duration {
		if len(waits) == 0 {
			return 0
		}
		return waits[min(len(waits)-1, int(p*float64(len(waits))))]
	}
	t.Logf("%s: %d orders, quota %g/s, two instances on PostgreSQL; import %s, ship report + completion %s", name, n, quota, imported.Round(time.Second), drained.Round(time.Second))
	t.Logf("requests %d; 429 %d (over the quota itself %d), maintenance answers %d, writes left unanswered %d, refused credentials %d",
		c.Requests, c.Throttled, c.OverQuota, c.Maintained, c.HungWrites, c.AuthFailed)
	t.Logf("operations %v", c.Operations)
	misplaced := 0
	for _, k := range wrong {
		misplaced += k
	}
	t.Logf("lost %d, written twice %d, in a wrong phase %d %v", len(lost), len(c.DuplicateWrites), misplaced, wrong)
	t.Logf("phase entry → ichigen knows the marketplace holds the tracking number: p50 %s, p99 %s (%d reports)", pct(0.5).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), len(waits))
	if !reached || len(lost) > 0 || len(c.DuplicateWrites) > 0 || len(wrong) > 0 || len(waits) != n {
		t.Errorf("lost %v, written twice %v, in a wrong phase %v, reports known held %d of %d", lost, c.DuplicateWrites, wrong, len(waits), n)
		if killed {
			t.Logf("the second instance said:\n%s", said.String())
		}
	}
}
