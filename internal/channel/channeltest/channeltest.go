// Package channeltest is the conformance suite every channel must pass, as River's driver suite
// (riverdriver/riverdrivertest) is for its drivers: Exercise runs a registered channel's client
// against its simulator inside a whole ichigen instance, on the store engine given, and checks
// the promises ichigen makes on every channel — a bundle child is never sent, a cancelled order
// is refused before any call, a write whose answer was lost is read back and never sent twice,
// 429, refused credentials, maintenance and timeouts are classified, the call history holds no
// secret, and an import catches up a whole outage without skipping an order.
package channeltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
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

// Exercise runs the suite on the registered channel name, on the store db ("" is SQLite in a
// temporary directory; a PostgreSQL URL runs it there). secretKey is the instance's key for
// credentials at rest when db is PostgreSQL.
func Exercise(t *testing.T, name, db, secretKey string) {
	spec, ok := channel.Lookup(name)
	if ok && spec.FileOnly {
		exerciseFileOnly(t, spec, db, secretKey)
		return
	}
	if !ok || spec.Planned || spec.Simulator == nil {
		t.Fatalf("channel %q is not registered with a client and a simulator", name)
	}
	h := start(t, spec, db, secretKey)
	t.Run("ClientClassifiesFailures", h.classifies)
	t.Run("ImportCatchesUpAnOutageWithoutSkipping", h.importCatchesUp)
	if spec.HasJobKind(workflow.JobShipReport) {
		t.Run("ShipReportSendsEachParcelOnce", h.shipReportOnce)
		t.Run("CrashBetweenSendAndCommitSendsNothingTwice", h.crashBetweenSendAndCommit)
		t.Run("BatchesStayWithinTheMarketplaceLimits", h.batchLimits)
	}
	h.payments(t)
	t.Run("HistoryHoldsNoSecret", h.noSecretInHistory)
}

// harness is one channel's simulator and an ichigen instance with a shop on it.
type harness struct {
	root   *testing.T // the suite's test, which outlives each case
	cfg    *config.Config
	opts   []app.Option
	spec   *channel.Spec
	sim    channel.SimServer
	simURL string
	srv    *app.Server
	shop   shop.Shop
	phases map[string]int64
	imp    workflow.Rule
}

func start(t *testing.T, spec *channel.Spec, db, secretKey string) *harness {
	t.Helper()
	ctx := context.Background()
	sim := spec.Simulator.New(channel.SimConfig{Seed: 7})
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	// A job left running by a dead instance is rescued after twice the job timeout.
	cfg := &config.Config{DataDir: filepath.Join(dir, "data"), DB: db, Addr: "127.0.0.1:0", LogLevel: "warn", SecretKey: secretKey,
		ShutdownTimeout: 5 * time.Second, MaxWorkers: 4, CallRetention: time.Hour, ChannelTimeout: 2 * time.Second, JobTimeout: 5 * time.Second}
	opts := []app.Option{app.WithClock(sim.Now), app.WithAsyncSettle(3 * time.Second)}
	srv := startInstance(t, cfg, opts)
	creds := shop.Credentials(sim.Credentials())
	creds["endpoint"] = ts.URL
	if key := spec.Quota.OverrideKey; key != "" {
		creds[key] = "20" // the simulator has no quota here: the cases need not wait on a real one
	}
	sh, err := srv.Store.CreateShop(ctx, shop.Shop{Channel: shop.Channel(spec.Name), Name: spec.Label + " 適合テスト店", Code: "conformance", Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{root: t, cfg: cfg, opts: opts, spec: spec, sim: sim, simURL: ts.URL, srv: srv, shop: sh, phases: map[string]int64{}}
	phases, err := srv.Store.ListPhases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range phases {
		h.phases[p.Name] = p.ID
	}
	if h.imp, err = srv.Store.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Interval: time.Hour, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	// The rule's first import runs now: it must be over before the cases inject their faults, or
	// a call of it still in flight when a case begins (delayed by one case's 429s and latency)
	// succeeds in the next case's outage and leaves it no run to watch.
	h.importUpTo(t, h.sim.Now())
	return h
}

// startInstance starts an ichigen instance, stopped with the test.
func startInstance(t *testing.T, cfg *config.Config, opts []app.Option) *app.Server {
	t.Helper()
	srv, err := app.Start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	return srv
}

// client builds the shop's client alone, outside the jobs, with a short timeout and no pace.
func (h *harness) client(t *testing.T, creds map[string]string) channel.Client {
	t.Helper()
	c, err := h.spec.NewClient(channel.Account{ShopID: h.shop.ID, ShopName: h.shop.Name, Credentials: creds, BaseURL: h.simURL,
		HTTP: &http.Client{Timeout: 300 * time.Millisecond}, Recorder: h.srv.Store})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// faults sets the simulator's faults through its control API (simkit's, shared by every
// simulator).
func (h *harness) faults(t *testing.T, f simkit.Faults) {
	t.Helper()
	body, _ := json.Marshal(f)
	req, _ := http.NewRequest(http.MethodPut, h.simURL+"/_sim/faults", bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT /_sim/faults: %s", resp.Status)
	}
}

// advance moves the simulator's clock, which the instance's jobs read too.
func (h *harness) advance(t *testing.T, d time.Duration) {
	t.Helper()
	resp, err := http.Post(h.simURL+"/_sim/clock", "application/json", strings.NewReader(fmt.Sprintf(`{"advance":%q}`, d.String())))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /_sim/clock: %s", resp.Status)
	}
}

func (h *harness) counters(t *testing.T) simkit.Counts {
	t.Helper()
	resp, err := http.Get(h.simURL + "/_sim/counters")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c simkit.Counts
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// classifies: the failures the engine acts on come back in their class, whatever the channel's
// wire says: 429 and maintenance are Transient, refused credentials Auth, a read that times out
// Transient.
func (h *harness) classifies(t *testing.T) {
	ctx := context.Background()
	creds := h.shop.Credentials.Plain()
	from, to := h.sim.Now().Add(-time.Hour), h.sim.Now()
	defer h.faults(t, simkit.Faults{})
	for _, c := range []struct {
		name   string
		faults simkit.Faults
		creds  map[string]string
		want   channel.Class
	}{
		{"over quota (429)", simkit.Faults{TooManyRequests: 1}, creds, channel.Transient},
		{"maintenance", simkit.Faults{MaintenanceUntil: h.sim.Now().Add(time.Hour)}, creds, channel.Transient},
		{"a read timing out", simkit.Faults{Latency: simkit.Duration(time.Second)}, creds, channel.Transient},
		{"refused credentials", simkit.Faults{}, wrongSecrets(h.spec, creds), channel.Auth},
	} {
		h.faults(t, c.faults)
		_, err := h.client(t, c.creds).Fetch(ctx, from, to)
		var e *channel.Error
		if !errors.As(err, &e) || e.Class != c.want || e.Message == "" {
			t.Errorf("%s: %v, want a %s error with the operator's message", c.name, err, c.want)
		}
	}
}

// wrongSecrets changes every secret credential.
func wrongSecrets(spec *channel.Spec, creds map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range creds {
		out[k] = v
	}
	for _, k := range spec.Credentials {
		if k.Secret {
			out[k.Name] = "wrong-" + out[k.Name]
		}
	}
	return out
}

// importCatchesUp: orders placed while the marketplace is in maintenance are all imported once it
// ends, more than a page of them, none skipped and none twice.
func (h *harness) importCatchesUp(t *testing.T) {
	ctx := context.Background()
	h.faults(t, simkit.Faults{MaintenanceUntil: h.sim.Now().Add(time.Hour)})
	h.runImport(t, false) // the outage has begun: no import still under way from before it
	placed := h.sim.Place(120, true)
	h.advance(t, 2*time.Second) // an import's window ends at a whole second: past the orders
	h.runImport(t, false)
	if n := h.imported(t, placed); n != 0 {
		calls, _ := h.srv.Store.ListCalls(ctx, store.CallQuery{ShopID: h.shop.ID, PageSize: 12})
		for _, c := range calls {
			t.Logf("%s %s %s %d %.200s", c.At.Format("15:04:05.000"), c.Operation, c.Outcome, c.HTTPStatus, c.Request)
		}
		t.Fatalf("%d orders imported during maintenance", n)
	}
	h.faults(t, simkit.Faults{})
	h.importUpTo(t, h.sim.Now())
	if n := h.imported(t, placed); n != len(placed) {
		calls, _ := h.srv.Store.ListCalls(ctx, store.CallQuery{ShopID: h.shop.ID, PageSize: 20})
		for _, c := range calls {
			t.Logf("%s %s %s %d %.300s", c.At.Format("15:04:05.000"), c.Operation, c.Outcome, c.HTTPStatus, c.Request)
		}
		t.Fatalf("%d of %d orders imported after the outage", n, len(placed))
	}
	page, err := h.srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: h.shop.ID, PageSize: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, o := range page.Orders {
		if seen[o.Number] {
			t.Fatalf("order %s stored twice", o.Number)
		}
		seen[o.Number] = true
	}
}

// runImport runs the shop's import now (queued, or the one already waiting made available) and
// waits until it has ended well; with succeed unset, until an import has met the outage instead
// (a call answered as transient, after which the job waits to try again). A run already under
// way when the test asked ends as it would have, and another is queued after it.
func (h *harness) runImport(t *testing.T, succeed bool) {
	t.Helper()
	ctx := context.Background()
	client := h.srv.Queue.Client()
	failedBefore := h.transientCalls(t)
	for range 5 {
		res, err := client.Insert(ctx, jobs.ImportArgs{RuleID: h.imp.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := res.Job.ID
		var state string
		// Looked at again each time a job's run ends.
		ended := storetest.Await(t, 60*time.Second, func() bool {
			if !succeed && h.transientCalls(t) > failedBefore {
				return true
			}
			job, err := client.JobGet(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			state = string(job.State)
			if state == "scheduled" || state == "retryable" {
				_, _ = client.JobRetry(ctx, id) // snoozed on the outage: now, not at its Retry-After
			}
			return state == "completed"
		}, h.srv.Queue)
		switch {
		case !ended:
			t.Fatalf("the import did not end within a minute (%s)", state)
		case succeed || state != "completed":
			return
		}
		// It ran before the outage: another.
	}
	t.Fatalf("timed out waiting for the import (succeed: %v)", succeed)
}

// importUpTo runs imports until one has covered the window up to at: a run already under way
// when the test asked may have begun before at.
func (h *harness) importUpTo(t *testing.T, at time.Time) {
	t.Helper()
	for range 5 {
		h.runImport(t, true)
		rule, err := h.srv.Store.GetRule(context.Background(), h.imp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !rule.LastRunAt.Before(at.Truncate(time.Second)) {
			return
		}
	}
	t.Fatalf("no import reached %s", at)
}

// transientCalls counts the shop's calls answered as transient (the outage).
func (h *harness) transientCalls(t *testing.T) int {
	t.Helper()
	calls, err := h.srv.Store.ListCalls(context.Background(), store.CallQuery{ShopID: h.shop.ID, Outcome: channel.OutcomeRetry, PageSize: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return len(calls)
}

func (h *harness) imported(t *testing.T, numbers []string) int {
	t.Helper()
	n := 0
	for _, number := range numbers {
		if _, err := h.srv.Store.GetOrderByNumber(context.Background(), h.shop.ID, number); err == nil {
			n++
		}
	}
	return n
}

// shipReportOnce: orders are reported through the shop's ship-report rule while every write's
// answer is lost. Each parcel reaches the marketplace exactly once (the lost answers are read
// back, never sent again), a bundle child's number is never sent (its parent carries it), and an
// order stored as cancelled is refused before any call names it.
func (h *harness) shipReportOnce(t *testing.T) {
	ctx := context.Background()
	st := h.srv.Store
	numbers := h.sim.Place(4, true)
	h.advance(t, 2*time.Second)
	h.importUpTo(t, h.sim.Now())
	orders := make([]order.Order, len(numbers))
	for i, n := range numbers {
		orders[i] = h.shipped(t, n, i)
	}
	single, parent, child, cancelled := orders[0], orders[1], orders[2], orders[3]
	if err := st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetManagement(ctx, parent.ID, parent.Version, store.Management{Class: order.BundleParent}); err != nil {
			return err
		}
		return tx.SetManagement(ctx, child.ID, child.Version, store.Management{Class: order.BundleChild, BundleParentID: parent.ID})
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.Cancel(cancelled.Number); err != nil {
		t.Fatal(err)
	}
	fresh := cancelled
	fresh.MarketplaceStatus = order.StatusCancelled
	if _, err := st.UpsertOrders(ctx, h.shop.ID, []order.Order{fresh}, store.UpsertOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	_, err := st.SaveRule(ctx, workflow.Rule{ShopID: h.shop.ID, Kind: workflow.JobShipReport, Enabled: true,
		TargetPhaseID: h.phases["出荷済み"], SuccessPhaseID: h.phases["完了"], ErrorPhaseID: h.phases["エラー"]})
	if err != nil {
		t.Fatal(err)
	}
	h.faults(t, simkit.Faults{TimeoutAfterWrite: 1})
	before := h.counters(t)
	if _, err := h.srv.Queue.MoveOrders(ctx, st, []int64{single.ID, parent.ID, child.ID, cancelled.ID}, h.phases["出荷済み"], "test"); err != nil {
		t.Fatal(err)
	}
	waitForSimulator(t, 60*time.Second, "a write whose answer is lost", func() bool { return h.counters(t).HungWrites > before.HungWrites })
	h.faults(t, simkit.Faults{})
	for _, o := range []order.Order{single, parent} {
		h.await(t, 90*time.Second, "order "+o.Number+" reported", func() bool {
			got, err := st.GetOrder(ctx, o.ID)
			return err == nil && got.PhaseID == h.phases["完了"]
		})
	}
	h.await(t, 30*time.Second, "the cancelled order refused", func() bool {
		got, err := st.GetOrder(ctx, cancelled.ID)
		return err == nil && got.PhaseID != h.phases["出荷済み"]
	})
	after := h.counters(t)
	for _, o := range []order.Order{single, parent} {
		if n := after.WriteRequests[o.MarketplaceNumber()] - before.WriteRequests[o.MarketplaceNumber()]; n != 1 {
			t.Errorf("order %s was sent %d times, want once", o.Number, n)
		}
	}
	if n := after.WriteRequests[child.Number] - before.WriteRequests[child.Number]; n != 0 {
		t.Errorf("bundle child %s was sent %d times: its parent carries its parcel", child.Number, n)
	}
	got, _ := st.GetOrder(ctx, cancelled.ID)
	if n := after.WriteRequests[cancelled.Number] - before.WriteRequests[cancelled.Number]; n != 0 || got.PhaseID == h.phases["完了"] {
		t.Errorf("cancelled order %s: sent %d times, in phase %d", cancelled.Number, n, got.PhaseID)
	}
	calls, err := st.ListCalls(ctx, store.CallQuery{ShopID: h.shop.ID, OrderID: cancelled.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if c.Operation != channel.OpSettle {
			t.Errorf("a call was made for the cancelled order: %s", c.Operation)
		}
	}
	if len(after.DuplicateWrites) > len(before.DuplicateWrites) {
		t.Errorf("duplicate writes at the marketplace: %v", after.DuplicateWrites)
	}
}

// crashBetweenSendAndCommit: the instance dies while writes are on their way — its database
// refuses every commit from the moment the requests left, so no outcome is recorded — and a new
// instance on the same database takes over. What the dead one sent is read back, never sent
// again: only the journal's mark, committed before each request left, can tell it.
func (h *harness) crashBetweenSendAndCommit(t *testing.T) {
	ctx := context.Background()
	numbers := h.sim.Place(2, true)
	h.advance(t, 2*time.Second)
	h.importUpTo(t, h.sim.Now())
	var ids []int64
	for i, n := range numbers {
		ids = append(ids, h.shipped(t, n, 10+i).ID)
	}
	h.faults(t, simkit.Faults{TimeoutAfterWrite: 1})
	before := h.counters(t)
	if _, err := h.srv.Queue.MoveOrders(ctx, h.srv.Store, ids, h.phases["出荷済み"], "test"); err != nil {
		t.Fatal(err)
	}
	waitForSimulator(t, 60*time.Second, "a write on its way", func() bool { return h.counters(t).HungWrites > before.HungWrites })
	_ = h.srv.Store.Close() // the crash: nothing after the send reaches the database
	_ = h.srv.Shutdown()
	h.faults(t, simkit.Faults{})
	h.srv = startInstance(h.root, h.cfg, h.opts) // stopped with the suite, not this case
	for _, id := range ids {
		h.await(t, 90*time.Second, "the new instance to settle the orders", func() bool {
			got, err := h.srv.Store.GetOrder(ctx, id)
			return err == nil && got.PhaseID == h.phases["完了"]
		})
	}
	after := h.counters(t)
	for _, n := range numbers {
		if sent := after.WriteRequests[n] - before.WriteRequests[n]; sent != 1 {
			t.Errorf("order %s was sent %d times across the crash, want once", n, sent)
		}
	}
	if len(after.DuplicateWrites) > len(before.DuplicateWrites) {
		t.Errorf("duplicate writes at the marketplace: %v", after.DuplicateWrites)
	}
}

// batchLimits: more orders than one call or one dispatch round takes are reported in one move;
// every one is reported, and the marketplace refuses no call (the simulators refuse a batch over
// the marketplace's limit, as the real APIs do).
func (h *harness) batchLimits(t *testing.T) {
	ctx := context.Background()
	numbers := h.sim.Place(jobs.BatchSize+30, true)
	h.advance(t, 2*time.Second)
	h.importUpTo(t, h.sim.Now())
	ids := make([]int64, len(numbers))
	for i, n := range numbers {
		ids[i] = h.shipped(t, n, 100+i).ID
	}
	if _, err := h.srv.Queue.MoveOrders(ctx, h.srv.Store, ids, h.phases["出荷済み"], "test"); err != nil {
		t.Fatal(err)
	}
	// (the earlier cases leave a bundle child in the phase on channels that skip it)
	for _, id := range ids {
		h.await(t, 120*time.Second, "every order reported", func() bool {
			o, err := h.srv.Store.GetOrder(ctx, id)
			return err == nil && o.PhaseID == h.phases["完了"]
		})
	}
	refused, err := h.srv.Store.ListCalls(ctx, store.CallQuery{ShopID: h.shop.ID, Outcome: channel.OutcomeRejected, PageSize: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range refused {
		t.Errorf("the marketplace refused %s: %s", c.Operation, c.ErrorMessage)
	}
}

// shipped gives the stored order of a marketplace number a shipment (tracking number i).
func (h *harness) shipped(t *testing.T, number string, i int) order.Order {
	t.Helper()
	ctx := context.Background()
	o, err := h.srv.Store.GetOrderByNumber(ctx, h.shop.ID, number)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Store.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key,
		ShipDate: h.sim.Now().In(order.JST).Format(time.DateOnly), Carrier: "1001", TrackingNumber: trackingNumber(i)}}, "test"); err != nil {
		t.Fatal(err)
	}
	o, err = h.srv.Store.GetOrder(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// trackingNumber is a Yamato number that passes the check digit, distinct for each i.
func trackingNumber(i int) string {
	base := int64(44441375870) + int64(i)*13
	return fmt.Sprintf("%011d%d", base, base%7)
}

// noSecretInHistory: after everything above, no secret credential appears anywhere in the
// shop's call history.
func (h *harness) noSecretInHistory(t *testing.T) {
	calls, err := h.srv.Store.ListCalls(context.Background(), store.CallQuery{ShopID: h.shop.ID, PageSize: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) == 0 {
		t.Fatal("no calls recorded")
	}
	creds := h.shop.Credentials.Plain()
	for _, k := range h.spec.Credentials {
		v := creds[k.Name]
		if !k.Secret || v == "" {
			continue
		}
		for _, c := range calls {
			if slices.ContainsFunc([]string{c.Request, c.Response, c.ErrorMessage}, func(s string) bool { return strings.Contains(s, v) }) {
				t.Fatalf("the history of %s holds %s", c.Operation, k.Name)
			}
		}
	}
}

// await waits until cond holds, looking each time one of the instance's jobs ends a run, and
// fails after within.
func (h *harness) await(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	if !storetest.Await(t, within, cond, h.srv.Queue) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// waitForSimulator polls the simulator until cond holds, failing after within: for what happens
// inside a job's run (a write on its way), which no job event tells, and which the crash case
// must catch before the run ends.
func waitForSimulator(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
