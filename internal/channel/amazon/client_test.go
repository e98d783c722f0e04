package amazon_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon/amazonsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// recorder keeps the API call history in memory.
type recorder struct {
	mu    sync.Mutex
	calls []channel.Call
}

func (r *recorder) RecordCall(_ context.Context, c channel.Call) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	return int64(len(r.calls)), nil
}

func (r *recorder) all() []channel.Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]channel.Call(nil), r.calls...)
}

// journal keeps the marks of writes.
type journal struct {
	mu    sync.Mutex
	marks []channel.Result
}

func (j *journal) Intend(_ context.Context, rs []channel.Result) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.marks = append(j.marks, rs...)
	return nil
}

type testBundle struct {
	sim    *amazonsim.Server
	client *amazon.Client
	calls  *recorder
	url    string
}

// setup starts a simulator and a client of it; each test has its own seller, so that the
// process-wide token buckets of one test do not pace another.
func setup(t *testing.T, cfg amazonsim.Config) *testBundle {
	t.Helper()
	cfg.SellerID = "A" + strings.ToUpper(strings.NewReplacer("/", "", "_", "").Replace(t.Name()))
	sim := amazonsim.New(cfg)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	calls := &recorder{}
	creds := with(sim.Credentials(), "endpoint", srv.URL)
	if cfg.RateFactor == 0 { // the simulator enforces no plans: the client need not keep to them
		creds["rateFactor"] = "100"
	}
	c, err := amazon.NewClient(channel.Account{ShopID: 7, ShopName: "テスト店", Credentials: creds, BaseURL: srv.URL,
		HTTP: &http.Client{Timeout: 2 * time.Second}, Recorder: calls})
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{sim: sim, client: c.(*amazon.Client), calls: calls, url: srv.URL}
}

func with(m map[string]string, k, v string) map[string]string {
	m[k] = v
	return m
}

func classOf(err error) (channel.Class, *channel.Error) {
	var e *channel.Error
	if errors.As(err, &e) {
		return e.Class, e
	}
	return 0, nil
}

// TestImportPagesByNextTokenWithBuyerDataAndItems: 230 orders come back over three pages, each
// with its buyer and full address (through the RDT), its lines and its total in yen; the
// history shows none of the buyers' data and no token.
func TestImportPagesByNextTokenWithBuyerDataAndItems(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{Seed: 3})
	now := b.sim.Sim.Clock.Now()
	ids := b.sim.Generate(amazonsim.GenerateOptions{Count: 230, At: now.Add(-time.Hour)})
	got, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("fetched %d of %d", len(got), len(ids))
	}
	for _, o := range got {
		a, items, _ := b.sim.Order(o.Number)
		total, _ := a.OrderTotal.Yen()
		if o.Buyer.Name == "" || o.Buyer.Email == "" || o.Packages[0].ShipTo.Address == "" || !strings.HasPrefix(o.Packages[0].ShipTo.Address, a.ShippingAddress.StateOrRegion) {
			t.Fatalf("order %s without its buyer data: %+v", o.Number, o.Buyer)
		}
		if v, _ := o.Amounts.Total.Value(); v != total || len(o.Lines) != len(items) || o.MarketplaceStatus != order.StatusAwaitingShipment {
			t.Fatalf("order %s: total %d (want %d), %d lines (want %d), %s", o.Number, v, total, len(o.Lines), len(items), o.MarketplaceStatus)
		}
		if strings.Contains(string(o.RawPayload), a.BuyerInfo.BuyerEmail) {
			t.Fatalf("order %s keeps the buyer's e-mail in its raw payload", o.Number)
		}
	}
	if n := b.sim.Sim.Counters.Snapshot().Operations[amazon.OpGetOrders]; n != 3 {
		t.Errorf("%d getOrders calls, want 3 pages", n)
	}
	for _, c := range b.calls.all() {
		for _, o := range got[:20] {
			if strings.Contains(c.Response, o.Buyer.Email) || strings.Contains(c.Response, o.Packages[0].ShipTo.Name) {
				t.Fatalf("the history of %s holds a buyer's data", c.Operation)
			}
		}
		if strings.Contains(c.Request+c.Response, "Atza|") || strings.Contains(c.Request+c.Response, "Atz.sprdt|") || strings.Contains(c.Request, b.sim.Credentials()["clientSecret"]) {
			t.Fatalf("the history of %s holds a token or secret: %.300s / %.300s", c.Operation, c.Request, c.Response)
		}
	}
}

// TestPendingOrdersAreImportedOnceTheirPaymentIsAuthorised: a Pending order (no buyer data
// yet) is not imported; once Amazon moves it to Unshipped, a later window's LastUpdatedAfter
// finds it, with its buyer.
func TestPendingOrdersAreImportedOnceTheirPaymentIsAuthorised(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{PaymentDelay: time.Hour})
	now := b.sim.Sim.Clock.Now()
	id := b.sim.Generate(amazonsim.GenerateOptions{Count: 1, Status: amazon.StatusPending, At: now.Add(-10 * time.Minute)})[0]
	got, err := b.client.Fetch(context.Background(), now.Add(-time.Hour), now)
	if err != nil || len(got) != 0 {
		t.Fatalf("a Pending order was imported: %d, %v", len(got), err)
	}
	b.sim.Sim.Clock.Advance(time.Hour)
	now = b.sim.Sim.Clock.Now()
	got, err = b.client.Fetch(context.Background(), now.Add(-20*time.Minute), now)
	if err != nil || len(got) != 1 || got[0].Number != id || got[0].Buyer.Email == "" {
		t.Fatalf("after payment: %+v, %v", got, err)
	}
}

// TestShipReportConfirmsOncePerPackage: an order is confirmed with its items and quantities
// under ichigen's carrier code; a second run of the same order after a lost answer reads it
// back and sends nothing; an FBA order is never eligible.
func TestShipReportConfirmsOncePerPackage(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(amazonsim.GenerateOptions{Count: 2, At: now.Add(-time.Hour)})
	b.sim.Generate(amazonsim.GenerateOptions{Count: 1, At: now.Add(-time.Hour), Fulfillment: amazon.FulfillmentAFN})
	got, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	if err != nil || len(got) != 3 {
		t.Fatalf("%d, %v", len(got), err)
	}
	var mfn []order.Order
	for i := range got {
		got[i].ID = int64(100 + i)
		got[i].Shipments = []order.Shipment{{PackageKey: amazon.PackageKey, ShipDate: now.In(order.JST).Format(time.DateOnly), Carrier: "1001", TrackingNumber: "444413758703"}}
		if amazon.IsAFN(got[i]) {
			if d := amazon.Eligibility[workflow.JobShipReport].Decide(got[i]); d.Action != workflow.Pass {
				t.Errorf("FBA order decided %v, want passed without a call", d.Action)
			}
			continue
		}
		mfn = append(mfn, got[i])
	}
	j := &journal{}
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	results, err := b.client.Process(context.Background(), workflow.JobShipReport, mfn[:1], j)
	b.sim.Sim.Faults.Set(simkit.Faults{})
	if err != nil || len(results) != 1 || !results[0].OK || !strings.Contains(results[0].Message, "反映済み") {
		t.Fatalf("lost answer: %+v, %v; want it read back and found applied", results, err)
	}
	if len(j.marks) != 1 || !strings.HasPrefix(j.marks[0].Ref, "sent:") {
		t.Fatalf("journal marks %+v: the write was not marked before it left", j.marks)
	}
	// A run that finds the mark of a write whose outcome was never recorded reads back first.
	mfn[0].LinkRef = j.marks[0].Ref
	results, err = b.client.Process(context.Background(), workflow.JobShipReport, mfn, j)
	if err != nil || len(results) != 2 || !results[0].OK || !results[1].OK {
		t.Fatalf("second run: %+v, %v", results, err)
	}
	c := b.sim.Sim.Counters.Snapshot()
	for _, o := range mfn {
		if c.WriteRequests[o.Number] != 1 {
			t.Errorf("order %s sent %d times", o.Number, c.WriteRequests[o.Number])
		}
		a, _, _ := b.sim.Order(o.Number)
		if a.OrderStatus != amazon.StatusShipped {
			t.Errorf("order %s is %s at Amazon", o.Number, a.OrderStatus)
		}
		if p := b.sim.Packages(o.Number); len(p) != 1 || p[0].CarrierCode != "Yamato Transport" || p[0].TrackingNumber != "444413758703" {
			t.Errorf("order %s packages %+v", o.Number, p)
		}
	}
}

// TestClientClassifiesAmazonsErrors: a revoked refresh token and a wrong client secret are
// auth errors that say what to do; 429 QuotaExceeded is transient; a 500 on confirmShipment is
// an unknown outcome; a 400 is a refusal with Amazon's message.
func TestClientClassifiesAmazonsErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, amazonsim.Config{})
	now := b.sim.Sim.Clock.Now()
	b.sim.Sim.Faults.Set(simkit.Faults{TooManyRequests: 1})
	_, err := b.client.Fetch(ctx, now.Add(-time.Hour), now)
	if class, e := classOf(err); class != channel.Transient || e.Code != amazon.CodeQuotaExceeded {
		t.Errorf("429: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	wrong := *b.client
	wrong.ClientSecret = "wrong"
	_, err = wrong.Fetch(ctx, now.Add(-time.Hour), now)
	if class, e := classOf(err); class != channel.Auth || !strings.Contains(e.Message, "クライアントシークレット") {
		t.Errorf("wrong secret: %v", err)
	}
	b.sim.RevokeRefreshToken()
	revoked := *b.client
	revoked.ClientID = b.client.ClientID // same credentials, but no token held: a fresh seller key
	revoked.RefreshToken = b.sim.Credentials()["refreshToken"] + ""
	revoked.LWAURL = b.client.LWAURL + "?fresh"
	_, err = revoked.Fetch(ctx, now.Add(-time.Hour), now)
	if class, e := classOf(err); class != channel.Auth || !strings.Contains(e.Message, "更新トークン") {
		t.Errorf("revoked refresh token: %v", err)
	}
}

// TestAnExpiredAccessTokenIsRenewed: the client holds an access token across calls and, when
// Amazon answers 403 for an expired one, exchanges the refresh token again and goes on.
func TestAnExpiredAccessTokenIsRenewed(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(amazonsim.GenerateOptions{Count: 1, At: now.Add(-time.Minute)})
	if _, err := b.client.Fetch(context.Background(), now.Add(-time.Hour), now); err != nil {
		t.Fatal(err)
	}
	b.sim.Sim.Clock.Advance(2 * time.Hour) // every token the client holds has lapsed at Amazon
	now = b.sim.Sim.Clock.Now()
	b.sim.Generate(amazonsim.GenerateOptions{Count: 1})
	id := b.sim.Generate(amazonsim.GenerateOptions{Count: 1})[0]
	if _, err := b.client.GetOrder(context.Background(), id); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := b.sim.Sim.Counters.Snapshot().Operations[amazon.OpLWA]; n != 2 {
		t.Errorf("%d LWA exchanges, want 2 (one at the start, one after the expiry)", n)
	}
}
