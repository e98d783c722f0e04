package rakuten_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

type testBundle struct {
	sim    *rakutensim.Server
	client *rakuten.Client
	store  store.Store
}

func setup(t *testing.T, cfg rakutensim.Config) *testBundle {
	t.Helper()
	sim := rakutensim.New(cfg)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	st := storetest.SQLite(t)
	sh, _ := storetest.NewShop(t, st, "rakuten")
	secret, key := sim.Credentials()
	return &testBundle{sim: sim, store: st, client: &rakuten.Client{BaseURL: srv.URL, ServiceSecret: secret, LicenseKey: key, ShopID: sh.ID,
		HTTP: &http.Client{Timeout: 2 * time.Second}, Recorder: st}}
}

func lastWindow(now time.Time) rakuten.SearchOrderRequest {
	return rakuten.SearchOrderRequest{DateType: rakuten.DateOrdered, StartDatetime: rakuten.FormatTime(now.Add(-2 * time.Hour)), EndDatetime: rakuten.FormatTime(now.Add(time.Minute))}
}

func TestOrdersFromTheSimulatorMapOntoTheOrderModel(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{})
	ctx := context.Background()
	numbers := b.sim.Generate(rakutensim.GenerateOptions{Count: 30, UnfixedPostageShare: 0.3})
	found, err := b.client.SearchOrder(ctx, lastWindow(b.sim.Sim.Clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(found.OrderNumberList) != 30 {
		t.Fatalf("search found %d of 30", len(found.OrderNumberList))
	}
	models, err := b.client.GetOrders(ctx, numbers)
	if err != nil || len(models) != 30 {
		t.Fatalf("getOrder: %d %v", len(models), err)
	}
	var unfixed, selective, wished, remarked int
	for _, m := range models {
		o, err := rakuten.ToOrder(m)
		if err != nil {
			t.Fatal(err)
		}
		if m.DeliveryDate != nil {
			wished++
			if p := o.Packages[0]; p.DeliveryDate != *m.DeliveryDate || p.DeliveryTime == "" {
				t.Fatalf("お届け日指定 %s / %v mapped as %q %q", *m.DeliveryDate, *m.ShippingTerm, p.DeliveryDate, p.DeliveryTime)
			}
		}
		if o.Number != m.OrderNumber || o.Buyer.Name == "" || len(o.Lines) == 0 || len(o.Packages) != 1 || o.MarketplaceStatus != order.StatusUnconfirmed || o.PaymentStatus != order.Unpaid {
			t.Fatalf("mapped order %+v", o)
		}
		if !o.OrderedAt.Equal(b.sim.Sim.Clock.Now()) && o.OrderedAt.After(b.sim.Sim.Clock.Now()) {
			t.Fatalf("ordered in the future: %v", o.OrderedAt)
		}
		if m.PostagePrice == rakuten.Unfixed {
			unfixed++
			if o.Amounts.Postage.Fixed() || o.Amounts.Total.Fixed() {
				t.Fatalf("-9999 postage must map to 未確定, got %v / %v", o.Amounts.Postage, o.Amounts.Total)
			}
		} else if v, _ := o.Amounts.Postage.Value(); v != m.PostagePrice {
			t.Fatalf("postage %v, want %d", o.Amounts.Postage, m.PostagePrice)
		}
		if o.Settlement == order.SettlementSelective {
			selective++
			if o.PaymentMethod != "代金引換" && o.PaymentMethod != "後払い" {
				t.Fatalf("%s mapped as selective", o.PaymentMethod)
			}
		}
		if m.Remarks != "" {
			remarked++
			if o.Remarks != m.Remarks {
				t.Fatalf("the buyer's remarks %q mapped as %q", m.Remarks, o.Remarks)
			}
		}
		if name := rakuten.ProgressName(o.MarketplaceStatusRaw); name != "注文確認待ち" {
			t.Fatalf("progress %q named %q", o.MarketplaceStatusRaw, name)
		}
		var back rakuten.OrderModel
		if err := json.Unmarshal(o.RawPayload, &back); err != nil || back.OrderNumber != m.OrderNumber {
			t.Fatalf("raw payload does not hold the order: %v", err)
		}
	}
	if unfixed == 0 || selective == 0 || wished == 0 || remarked == 0 {
		t.Fatalf("the sample lacks a case: %d unfixed, %d selective, %d with a delivery wish, %d with remarks", unfixed, selective, wished, remarked)
	}
}

func TestCommonSettlementIsPaidOnceAwaitingShipment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method   string
		progress int
		want     order.PaymentStatus
	}{
		{"クレジットカード", rakuten.ProgressInReview, order.Unpaid},
		{"クレジットカード", rakuten.ProgressAwaitingShip, order.Paid},
		{"銀行振込", rakuten.ProgressShipped, order.Paid},
		{"代金引換", rakuten.ProgressAwaitingShip, order.Unpaid},
		{"後払い", rakuten.ProgressShipped, order.Unpaid},
		{"クレジットカード", rakuten.ProgressCancelConfirmed, order.Unpaid},
	} {
		o, err := rakuten.ToOrder(rakuten.OrderModel{OrderNumber: "1-20261101-1", OrderDatetime: "2026-11-01T10:00:00+0900", OrderProgress: c.progress,
			SettlementModel: rakuten.Settlement{SettlementMethod: c.method}})
		if err != nil {
			t.Fatal(err)
		}
		if o.PaymentStatus != c.want {
			t.Errorf("%s at %d: %s, want %s", c.method, c.progress, o.PaymentStatus, c.want)
		}
	}
}

func classOf(err error) (channel.Class, *channel.Error) {
	var e *channel.Error
	if errors.As(err, &e) {
		return e.Class, e
	}
	return 0, nil
}

func TestFailuresAreClassified(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{QuotaPerSecond: 1})
	ctx := context.Background()
	now := b.sim.Sim.Clock.Now()
	if _, err := b.client.SearchOrder(ctx, lastWindow(now)); err != nil {
		t.Fatal(err)
	}
	// Over quota, the client waits and tries again: the second search succeeds after a 429.
	if _, err := b.client.SearchOrder(ctx, lastWindow(now)); err != nil {
		t.Fatalf("a 429 must be retried after waiting: %v", err)
	}
	b.sim.Sim.SetQuota(0)
	b.sim.Sim.Faults.Set(simkit.Faults{TooManyRequests: 1})
	_, err := b.client.SearchOrder(ctx, lastWindow(now))
	if class, e := classOf(err); class != channel.Transient || e.RetryAfter <= 0 || e.HTTPStatus != http.StatusTooManyRequests {
		t.Fatalf("over quota every time: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	bad := lastWindow(now)
	bad.DateType = 0
	_, err = b.client.SearchOrder(ctx, bad)
	if class, e := classOf(err); class != channel.Rejected || e.Code != "ORDER_EXT_API_SEARCH_ORDER_ERROR_009" {
		t.Fatalf("bad request: %v", err)
	}
	f := b.sim.Sim.Faults.Get()
	f.MaintenanceUntil = now.Add(time.Hour)
	b.sim.Sim.Faults.Set(f)
	_, err = b.client.SearchOrder(ctx, lastWindow(now))
	if class, e := classOf(err); class != channel.Transient || e.RetryAfter != time.Minute || !strings.Contains(e.Message, "メンテナンス") {
		t.Fatalf("maintenance: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	// A write that times out is an unknown outcome; a read that times out is transient.
	n := b.sim.Generate(rakutensim.GenerateOptions{Count: 1})[0]
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	_, err = b.client.ConfirmOrders(ctx, []string{n})
	if class, _ := classOf(err); class != channel.UnknownOutcome {
		t.Fatalf("timed-out confirmation: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{Latency: simkit.Duration(3 * time.Second)})
	_, err = b.client.GetOrders(ctx, []string{n})
	if class, _ := classOf(err); class != channel.Transient {
		t.Fatalf("timed-out read: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	b.sim.ExpireKey()
	_, err = b.client.GetOrders(ctx, []string{n})
	if class, e := classOf(err); class != channel.Auth || e.Code != "ES01-01" || !strings.Contains(e.Message, "licenseKey") {
		t.Fatalf("expired key: %v", err)
	}

	// Every call is in the history with its outcome, and no secret is.
	calls, err := b.store.ListCalls(ctx, store.CallQuery{ShopID: b.client.ShopID, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[channel.Outcome]int{}
	for _, c := range calls {
		outcomes[c.Outcome]++
		for _, s := range []string{c.Request, c.Response, c.ErrorMessage} {
			if strings.Contains(s, b.client.LicenseKey) || strings.Contains(s, b.client.ServiceSecret) {
				t.Fatalf("a secret reached the history: %+v", c)
			}
		}
	}
	// ok: 2 searches; transient: the 429 retried, 4 tries at a 429 every time, maintenance, the slow read.
	if len(calls) != 12 || outcomes[channel.OutcomeOK] != 2 || outcomes[channel.OutcomeRetry] != 7 || outcomes[channel.OutcomeRejected] != 1 ||
		outcomes[channel.OutcomeUnknown] != 1 || outcomes[channel.OutcomeAuth] != 1 {
		t.Fatalf("%d calls, outcomes %v", len(calls), outcomes)
	}
}

func TestLicenseExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{KeyLifetime: 90 * 24 * time.Hour})
	got, err := b.client.LicenseExpiry(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Sub(b.sim.Sim.Clock.Now()); d < 89*24*time.Hour || d > 90*24*time.Hour {
		t.Fatalf("expiry in %v", d)
	}
}

func FuzzToOrder(f *testing.F) {
	sim := rakutensim.New(rakutensim.Config{})
	n := sim.Generate(rakutensim.GenerateOptions{Count: 1, UnfixedPostageShare: 1})[0]
	m, _ := sim.Order(n)
	seed, _ := json.Marshal(m)
	f.Add(seed)
	f.Add([]byte(`{"orderNumber":"x","orderDatetime":"2026-13-45T99:00:00+0900"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m rakuten.OrderModel
		if json.Unmarshal(data, &m) != nil {
			return
		}
		o, err := rakuten.ToOrder(m)
		if err == nil && o.Number != m.OrderNumber {
			t.Fatal("number lost")
		}
	})
}

// A window holding more hits than one page is halved until each part fits, so no order is
// skipped by paging.
func TestFetchFindsEveryOrderOfABusyWindow(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{})
	now := b.sim.Sim.Clock.Now()
	want := map[string]bool{}
	for i := range 5 {
		for _, n := range b.sim.Generate(rakutensim.GenerateOptions{Count: 500, At: now.Add(-time.Duration(i+1) * time.Hour)}) {
			want[n] = true
		}
	}
	got, err := b.client.Fetch(context.Background(), now.Add(-6*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, o := range got {
		if !want[o.Number] || seen[o.Number] {
			t.Fatalf("unexpected or repeated order %s", o.Number)
		}
		seen[o.Number] = true
	}
	if len(seen)+len(b.client.UnimportedToConfirm()) != len(want) {
		t.Fatalf("found %d + %d awaiting confirmation, want %d", len(seen), len(b.client.UnimportedToConfirm()), len(want))
	}
}

// A write that may have reached RMS — a dropped connection, a gateway error, a 200 that cannot
// be read — is an unknown outcome, to be settled by reading back; the same failures on a read
// are transient. A write that never connected is transient too.
func TestWritesThatMayHaveLandedAreUnknownOutcomes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
	}{
		{"dropped connection", func(w http.ResponseWriter) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
		{"bad gateway", func(w http.ResponseWriter) { http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway) }},
		{"unreadable 200", func(w http.ResponseWriter) { _, _ = w.Write([]byte("<html>ok</html>")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tc.answer(w) }))
			defer srv.Close()
			c := &rakuten.Client{BaseURL: srv.URL, ServiceSecret: "s", LicenseKey: "k", HTTP: &http.Client{Timeout: 2 * time.Second}}
			_, err := c.UpdateShippingAsync(context.Background(), []rakuten.UpdateOrderShippingRequest{{OrderNumber: "338005-20261124-10000001"}})
			if class, _ := classOf(err); class != channel.UnknownOutcome || channel.Unsent(err) {
				t.Fatalf("write: %v (class %v)", err, class)
			}
			_, err = c.GetOrders(context.Background(), []string{"338005-20261124-10000001"})
			if class, _ := classOf(err); class != channel.Transient {
				t.Fatalf("read: %v (class %v)", err, class)
			}
		})
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there any more
	c := &rakuten.Client{BaseURL: srv.URL, ServiceSecret: "s", LicenseKey: "k"}
	_, err := c.UpdateShippingAsync(context.Background(), []rakuten.UpdateOrderShippingRequest{{OrderNumber: "338005-20261124-10000001"}})
	if class, _ := classOf(err); class != channel.Transient || !channel.Unsent(err) {
		t.Fatalf("refused connection: %v (class %v)", err, class)
	}
}

// TestShipReportRefusesAFarShipDateBeforeSending: a shipment dated far ahead (2099-12-31 was
// once reported and the order completed), however it was stored, fails the order with a
// message and never reaches RMS.
func TestShipReportRefusesAFarShipDateBeforeSending(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{})
	ctx := context.Background()
	number := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, At: b.sim.Sim.Clock.Now().Add(-time.Hour)})[0]
	orders, err := b.client.Refetch(ctx, []string{number})
	if err != nil || len(orders) != 1 {
		t.Fatalf("refetch: %v", err)
	}
	o := orders[0]
	o.ID = 1
	o.Shipments = []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: "2099-12-31", Carrier: "1001", TrackingNumber: "444413758703"}}
	before := b.sim.Sim.Counters.Snapshot().Writes[number]
	results, err := b.client.ReportShipments(ctx, []order.Order{o}, &journal{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].OK || !strings.Contains(results[0].Message, "発送日「2099/12/31」は受け付けられません。") {
		t.Fatalf("results %+v", results)
	}
	if got := b.sim.Sim.Counters.Snapshot().Writes[number]; got != before {
		t.Fatalf("a ship date of 2099 reached RMS (%d writes)", got-before)
	}
}

// journal keeps the marks a client makes before its writes, as the dispatcher's would.
type journal struct {
	mu    sync.Mutex
	marks []channel.Result
}

func (j *journal) Intend(_ context.Context, results []channel.Result) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.marks = append(j.marks, results...)
	return nil
}

// TestAShipReportWithoutAJournalIsRefusedBeforeAnyCall: a caller that hands no journal gets an
// error, and nothing reaches RMS, instead of a report that could be sent twice.
func TestAShipReportWithoutAJournalIsRefusedBeforeAnyCall(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{})
	ctx := context.Background()
	number := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, At: b.sim.Sim.Clock.Now().Add(-time.Hour)})[0]
	orders, err := b.client.Refetch(ctx, []string{number})
	if err != nil || len(orders) != 1 {
		t.Fatalf("refetch: %v", err)
	}
	o := orders[0]
	o.ID = 1
	o.Shipments = []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: b.sim.Sim.Clock.Now().Format("2006-01-02"), Carrier: "1001", TrackingNumber: "444413758703"}}
	before := b.sim.Sim.Counters.Snapshot().Requests
	for _, kind := range []workflow.JobKind{workflow.JobShipReport, workflow.JobConfirm} {
		results, err := b.client.Process(ctx, kind, []order.Order{o}, nil)
		if !errors.Is(err, channel.ErrNoJournal) || len(results) != 0 {
			t.Fatalf("%s without a journal: %v, %+v", kind, err, results)
		}
	}
	if _, err := b.client.ReportShipments(ctx, []order.Order{o}, nil); !errors.Is(err, channel.ErrNoJournal) {
		t.Fatalf("report without a journal: %v", err)
	}
	if got := b.sim.Sim.Counters.Snapshot().Requests; got != before {
		t.Fatalf("%d calls reached RMS without a journal", got-before)
	}
	// With one, the same order is marked and sent.
	j := &journal{}
	results, err := b.client.Process(ctx, workflow.JobShipReport, []order.Order{o}, j)
	if err != nil || len(results) != 1 || !results[0].Pending || len(j.marks) != 1 {
		t.Fatalf("report with a journal: %v, %+v, marks %+v", err, results, j.marks)
	}
}

// TestAnAnswerThatIsNotUTF8IsRefused: RMS's order, answered in Shift_JIS instead of UTF-8 (a
// proxy in front of the simulator re-encodes it), is a recorded error naming the encoding, not
// an order whose buyer reads as mojibake; the call is in the history as valid text.
func TestAnAnswerThatIsNotUTF8IsRefused(t *testing.T) {
	t.Parallel()
	sim := rakutensim.New(rakutensim.Config{})
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sim.Handler().ServeHTTP(rec, r)
		body, err := japanese.ShiftJIS.NewEncoder().Bytes(rec.Body.Bytes())
		if err != nil {
			t.Error(err)
		}
		maps.Copy(w.Header(), rec.Header()) // still declared JSON, as a re-encoding proxy would leave it
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(proxy.Close)
	st := storetest.SQLite(t)
	sh, _ := storetest.NewShop(t, st, "rakuten")
	secret, key := sim.Credentials()
	c := &rakuten.Client{BaseURL: proxy.URL, ServiceSecret: secret, LicenseKey: key, ShopID: sh.ID, HTTP: &http.Client{Timeout: 2 * time.Second}, Recorder: st}
	number := sim.Generate(rakutensim.GenerateOptions{Count: 1, At: sim.Sim.Clock.Now().Add(-time.Hour)})[0]

	got, err := c.GetOrders(context.Background(), []string{number})
	class, e := classOf(err)
	if class != channel.Transient || !strings.Contains(e.Message, "UTF-8として読めない") || len(got) != 0 {
		t.Fatalf("a Shift_JIS answer: %v (class %v), %d orders", err, class, len(got))
	}
	calls, err := st.ListCalls(context.Background(), store.CallQuery{ShopID: sh.ID})
	if err != nil || len(calls) != 1 || calls[0].ErrorMessage != e.Message || !utf8.ValidString(calls[0].Response) {
		t.Fatalf("history %d calls, message %q want %q, valid %v (%v)", len(calls), calls[0].ErrorMessage, e.Message, utf8.ValidString(calls[0].Response), err)
	}
}

// TestAShipReportResultIsNotAskedForBeforeRMSCanHaveIt: orders just sent come back pending with
// the time their result is first asked for; handed again before then, they cost no call (the
// getResult would only say 処理中) and say how long is left. Once due, the result is read.
func TestAShipReportResultIsNotAskedForBeforeRMSCanHaveIt(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{AsyncDelay: time.Millisecond})
	ctx := context.Background()
	number := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, At: b.sim.Sim.Clock.Now().Add(-time.Hour), ReadyToShip: true})[0]
	orders, err := b.client.Refetch(ctx, []string{number})
	if err != nil || len(orders) != 1 {
		t.Fatalf("refetch: %v", err)
	}
	o := orders[0]
	o.ID = 1
	o.Shipments = []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: b.sim.Sim.Clock.Now().Format("2006-01-02"), Carrier: "1001", TrackingNumber: "444413758703"}}
	sent, err := b.client.ReportShipments(ctx, []order.Order{o}, &journal{})
	if err != nil || len(sent) != 1 || !sent[0].Pending {
		t.Fatalf("send: %v %+v", err, sent)
	}
	o.LinkStatus, o.LinkRef = sent[0].LinkStatus, sent[0].Ref
	before := b.sim.Sim.Counters.Snapshot().Requests
	again, err := b.client.ReportShipments(ctx, []order.Order{o}, &journal{})
	if err != nil || len(again) != 1 || !again[0].Pending || again[0].RecheckAfter <= 0 || again[0].RecheckAfter > rakuten.ResultDelay {
		t.Fatalf("handed again at once: %v %+v", err, again)
	}
	if got := b.sim.Sim.Counters.Snapshot().Requests - before; got != 0 {
		t.Fatalf("%d calls asked RMS for a result it cannot have yet", got)
	}
	// Due: the result is asked for and the order is reported.
	b.sim.Sim.Clock.Advance(time.Second)
	o.LinkRef = strings.Split(o.LinkRef, "@")[0] + "@" + strconv.FormatInt(time.Now().Add(-time.Millisecond).UnixMilli(), 10)
	done, err := b.client.ReportShipments(ctx, []order.Order{o}, &journal{})
	if err != nil || len(done) != 1 || !done[0].OK {
		t.Fatalf("due: %v %+v", err, done)
	}
}
