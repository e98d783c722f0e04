package aupay_test

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
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

type testBundle struct {
	sim    *aupaysim.Server
	client *aupay.Client
	calls  *recorder
}

func setup(t *testing.T, cfg aupaysim.Config) *testBundle {
	t.Helper()
	sim := aupaysim.New(cfg)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	key, shopID := sim.Credentials()
	calls := &recorder{}
	return &testBundle{sim: sim, calls: calls, client: &aupay.Client{BaseURL: srv.URL, APIKey: key, ShopID: shopID, IchigenShopID: 7,
		HTTP: &http.Client{Timeout: 2 * time.Second}, Recorder: calls}}
}

func classOf(err error) (channel.Class, *channel.Error) {
	var e *channel.Error
	if errors.As(err, &e) {
		return e.Class, e
	}
	return 0, nil
}

func TestTradesFromTheSimulatorMapOntoTheOrderModel(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{Seed: 3})
	now := b.sim.Sim.Clock.Now()
	ids := b.sim.Generate(aupaysim.GenerateOptions{Count: 60, At: now.Add(-time.Hour)})
	got, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("fetched %d of %d", len(got), len(ids))
	}
	var selective, paid, remarked, wishes int
	for _, o := range got {
		tr, _ := b.sim.Trade(o.Number)
		if o.Remarks != tr.UserComment {
			t.Fatalf("the buyer's comment %q mapped as remarks %q", tr.UserComment, o.Remarks)
		}
		if o.Remarks != "" {
			remarked++
		}
		if tr.DeliveryRequestDay != "" {
			wishes++
			if o.Packages[0].DeliveryDate != strings.ReplaceAll(tr.DeliveryRequestDay, "/", "-") || o.Packages[0].DeliveryTime != tr.DeliveryRequestTime {
				t.Fatalf("wish %q %q from %q %q", o.Packages[0].DeliveryDate, o.Packages[0].DeliveryTime, tr.DeliveryRequestDay, tr.DeliveryRequestTime)
			}
		}
		if o.Buyer.Name != tr.OrdererName || o.Buyer.Address == "" || len(o.Packages) != 1 || o.Packages[0].ShipTo.Name != tr.SenderName ||
			len(o.Lines) != len(tr.Details) || o.MarketplaceStatus != order.StatusUnconfirmed || o.MarketplaceStatusRaw != aupay.StatusNew {
			t.Fatalf("mapped %+v from %+v", o, tr)
		}
		if !o.OrderedAt.Equal(now.Add(-time.Hour).Truncate(time.Minute)) {
			t.Fatalf("ordered at %v, want %v to the minute", o.OrderedAt, now.Add(-time.Hour))
		}
		var goods, tax int64
		for i, l := range o.Lines {
			d := tr.Details[i]
			if l.SKU != d.ItemCode || l.UnitPrice != d.ItemPrice || l.Quantity != d.Unit || l.Options != d.ItemOption || (l.TaxRate != 8 && l.TaxRate != 10) || l.PackageKey != aupay.PackageKey {
				t.Fatalf("line %+v from %+v", l, d)
			}
			goods += l.UnitPrice * l.Quantity
		}
		if v, _ := o.Amounts.Goods.Value(); v != goods {
			t.Fatalf("goods %v, lines sum to %d", o.Amounts.Goods, goods)
		}
		if v, _ := o.Amounts.Requested.Value(); v != tr.RequestPrice {
			t.Fatalf("requested %v, want %d", o.Amounts.Requested, tr.RequestPrice)
		}
		if v, _ := o.Amounts.Points.Value(); v != tr.UsePoint+tr.UseAuPointPrice {
			t.Fatalf("points %v", o.Amounts.Points)
		}
		if tax, _ = o.Amounts.Tax.Value(); tax <= 0 || tax >= goods/10+1 {
			t.Fatalf("tax %d on %d", tax, goods)
		}
		if (o.PaymentStatus == order.Paid) != (tr.PaymentStatus == "Y") {
			t.Fatalf("payment %s from %s", o.PaymentStatus, tr.PaymentStatus)
		}
		if o.PaymentStatus == order.Paid {
			paid++
		}
		if o.Settlement == order.SettlementSelective {
			selective++
			if o.PaymentMethod != "代金引換" && o.PaymentMethod != "銀行振込" {
				t.Fatalf("%s mapped as shop-settled", o.PaymentMethod)
			}
		}
		var back aupay.OrderInfo
		if err := xml.Unmarshal(o.RawPayload, &back); err != nil || back.OrderID != o.Number || len(back.Details) != len(tr.Details) {
			t.Fatalf("raw payload does not hold the trade: %v", err)
		}
	}
	if selective == 0 || paid == 0 || paid == len(got) || remarked == 0 || wishes == 0 || wishes == len(got) {
		t.Fatalf("the sample lacks a case: %d shop-settled, %d paid, %d with the buyer's comment, %d delivery wishes of %d", selective, paid, remarked, wishes, len(got))
	}
}

// The API searches whole days: Fetch pages through them all and keeps the window's trades.
func TestFetchPagesThroughEveryTradeOfTheWindowOnly(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	now := b.sim.Sim.Clock.Now()
	want := map[string]bool{}
	for _, id := range b.sim.Generate(aupaysim.GenerateOptions{Count: 2300, At: now.Add(-time.Hour)}) {
		want[id] = true
	}
	b.sim.Generate(aupaysim.GenerateOptions{Count: 4, At: now.Add(-3 * time.Hour)})  // before the window
	b.sim.Generate(aupaysim.GenerateOptions{Count: 4, At: now.Add(-30 * time.Hour)}) // days before
	cancelled := b.sim.Generate(aupaysim.GenerateOptions{Count: 2, At: now.Add(-time.Hour), Status: aupay.StatusCancelled})
	got, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, o := range got {
		if !want[o.Number] || seen[o.Number] {
			t.Fatalf("unexpected or repeated trade %s (cancelled: %v)", o.Number, cancelled)
		}
		seen[o.Number] = true
	}
	if len(seen) != len(want) {
		t.Fatalf("fetched %d of %d", len(seen), len(want))
	}
	if ops := b.sim.Sim.Counters.Snapshot().Operations[aupay.OpSearchTradeInfoList]; ops != 3 {
		t.Fatalf("%d pages for 2,300+ trades, want 3 of 1,000", ops)
	}
	// An empty window asks nothing.
	if got, err := b.client.Fetch(context.Background(), now, now); err != nil || len(got) != 0 || b.sim.Sim.Counters.Snapshot().Requests != 3 {
		t.Fatalf("empty window: %v %d", err, len(got))
	}
}

func TestShipReportThenCompletion(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	ctx := context.Background()
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	// Full-width digits and hyphens are normalised before sending.
	if err := b.client.UpdateShipping(ctx, id, "2026-11-20", "1001", "４４４４-１３７５-８７０３"); err != nil {
		t.Fatal(err)
	}
	tr, _ := b.sim.Trade(id)
	if tr.ShipDate != "2026/11/20" || tr.ShippingCarrier != "1" || tr.ShippingNumber != "444413758703" {
		t.Fatalf("trade after the report: %s %s %s", tr.ShipDate, tr.ShippingCarrier, tr.ShippingNumber)
	}
	if ok, _, err := b.client.ShippingApplied(ctx, id, "2026-11-20", "1001", "444413758703"); !ok || err != nil {
		t.Fatalf("read-back of the report: %v %v", ok, err)
	}
	for _, other := range [][3]string{{"2026-11-21", "1001", "444413758703"}, {"2026-11-20", "1002", "444413758703"}, {"2026-11-20", "1001", ""}} {
		if ok, _, _ := b.client.ShippingApplied(ctx, id, other[0], other[1], other[2]); ok {
			t.Fatalf("%v is not what the trade holds", other)
		}
	}
	if ok, _, _ := b.client.StatusApplied(ctx, id, aupay.StatusCompleted); ok {
		t.Fatal("not completed yet")
	}
	if err := b.client.UpdateStatus(ctx, id, aupay.StatusCompleted); err != nil {
		t.Fatal(err)
	}
	ok, tr, err := b.client.StatusApplied(ctx, id, aupay.StatusCompleted)
	if !ok || err != nil {
		t.Fatalf("read-back of the completion: %v %v", ok, err)
	}
	o, err := aupay.ToOrder(tr)
	if err != nil {
		t.Fatal(err)
	}
	if o.MarketplaceStatus != order.StatusCompleted || len(o.Shipments) != 1 ||
		o.Shipments[0] != (order.Shipment{PackageKey: aupay.PackageKey, ShipDate: "2026-11-20", Carrier: "1001", TrackingNumber: "444413758703"}) {
		t.Fatalf("order after completion: %s %+v", o.MarketplaceStatus, o.Shipments)
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.Writes[id] != 2 || len(c.DuplicateWrites) != 0 {
		t.Fatalf("writes %v duplicates %v", c.Writes, c.DuplicateWrites)
	}
}

func TestShipReportIsRefusedBeforeSendingWhatAuCannotTake(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	ctx := context.Background()
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	for name, c := range map[string]struct {
		date, carrier, number, want string
	}{
		"no ship date":         {"", "1001", "444413758703", "「発送日」が登録されていません。"},
		"unreadable date":      {"11月20日", "1001", "444413758703", "発送日「11月20日」"},
		"carrier au lacks":     {"2026-11-20", "1004", "", "西濃運輸"},
		"bad check digit":      {"2026-11-20", "1001", "444413758704", "チェックデジット"},
		"number, no carrier":   {"2026-11-20", "", "444413758703", "配送会社が選ばれていません"},
		"too short for yamato": {"2026-11-20", "1001", "12345", "12桁"},
		"far in the future":    {"2099-12-31", "1001", "444413758703", "発送日「2099/12/31」は受け付けられません。"},
	} {
		err := b.client.UpdateShipping(ctx, id, c.date, c.carrier, c.number)
		if class, e := classOf(err); class != channel.Rejected || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := b.client.UpdateStatus(ctx, id, aupay.StatusCancelled); err == nil {
		t.Fatal("キャンセル is not a status updateTradeStsProc takes")
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.Requests != 0 || len(b.calls.all()) != 0 {
		t.Fatalf("a refused report reached the API: %+v", c)
	}
	// A blank tracking number is allowed (seed 000, FAQ).
	if err := b.client.UpdateShipping(ctx, id, "2026-11-20", "", ""); err != nil {
		t.Fatalf("blank tracking number: %v", err)
	}
	if ok, _, _ := b.client.ShippingApplied(ctx, id, "2026-11-20", "", ""); !ok {
		t.Fatal("the blank report is not what the trade holds")
	}
}

func TestCancelledTradeIsRejectedWithTheSeedMessage(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	ctx := context.Background()
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	if err := b.client.CancelTrade(ctx, id, "9", "在庫切れのため"); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"ship report": b.client.UpdateShipping(ctx, id, "2026-11-20", "1002", "512547514334"),
		"completion":  b.client.UpdateStatus(ctx, id, aupay.StatusCompleted),
	} {
		class, e := classOf(err)
		if class != channel.Rejected || e.Code != aupay.CodeCancelled || !strings.HasPrefix(e.Message, "指定の取引はキャンセル済みです。") || e.HTTPStatus != 200 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if o, err := b.client.Refetch(ctx, []string{id}); err != nil || len(o) != 1 || o[0].MarketplaceStatus != order.StatusCancelled || !o[0].MarketplaceStatus.Cancelled() {
		t.Fatalf("refetch of a cancelled trade: %v %+v", err, o)
	}
}

func TestRefetchReadsStatusesAndLeavesUnknownTradesOut(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{PaymentDelay: time.Hour})
	ctx := context.Background()
	ids := b.sim.Generate(aupaysim.GenerateOptions{Count: 2, Settlement: "コンビニ決済", Status: aupay.StatusAwaitingPayment})
	b.sim.SetStatus(ids[1], aupay.StatusOnHold)
	b.sim.Sim.Clock.Advance(2 * time.Hour)
	got, err := b.client.Refetch(ctx, []string{ids[0], "999999999", ids[1]})
	if err != nil || len(got) != 2 {
		t.Fatalf("refetch: %v, %d orders", err, len(got))
	}
	// Paid, the trade that waited for its payment is ready to ship; the one on hold stays.
	if got[0].MarketplaceStatus != order.StatusAwaitingShipment || got[0].PaymentStatus != order.Paid || got[1].MarketplaceStatus != order.StatusOnHold {
		t.Fatalf("statuses %s/%s, %s", got[0].MarketplaceStatus, got[0].PaymentStatus, got[1].MarketplaceStatus)
	}
	_, err = b.client.GetTrade(ctx, "999999999")
	if class, e := classOf(err); class != channel.Rejected || e.Code != aupay.CodeNotFound {
		t.Fatalf("unknown trade: %v", err)
	}
}

func TestOverQuotaIsRetriedAfterWaitingThenTransient(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{QuotaPerSecond: 1})
	ctx := context.Background()
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1})[0]
	if _, err := b.client.GetTrade(ctx, id); err != nil {
		t.Fatal(err)
	}
	// Over quota, the client waits and tries again: the second read succeeds after a 429.
	if _, err := b.client.GetTrade(ctx, id); err != nil {
		t.Fatalf("a 429 must be retried after waiting: %v", err)
	}
	b.sim.Sim.SetQuota(0)
	b.sim.Sim.Faults.Set(simkit.Faults{TooManyRequests: 1})
	_, err := b.client.GetTrade(ctx, id)
	if class, e := classOf(err); class != channel.Transient || e.RetryAfter != time.Second || e.HTTPStatus != http.StatusTooManyRequests || e.Code != aupay.CodeThrottled {
		t.Fatalf("over quota every time: %v", err)
	}
	outcomes := map[channel.Outcome]int{}
	for _, c := range b.calls.all() {
		outcomes[c.Outcome]++
	}
	// ok: 2 reads; transient: the 429 retried, 4 tries at a 429 every time.
	if outcomes[channel.OutcomeOK] != 2 || outcomes[channel.OutcomeRetry] != 5 || len(b.calls.all()) != 7 {
		t.Fatalf("outcomes %v", outcomes)
	}
}

func TestFailuresAreClassified(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	b.client.HTTP = &http.Client{Timeout: 500 * time.Millisecond}
	ctx := context.Background()
	now := b.sim.Sim.Clock.Now()
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	b.sim.Sim.Faults.Set(simkit.Faults{MaintenanceUntil: now.Add(time.Hour)})
	_, err := b.client.Fetch(ctx, now.Add(-time.Hour), now)
	if class, e := classOf(err); class != channel.Transient || e.RetryAfter != time.Minute || !strings.Contains(e.Message, "メンテナンス") {
		t.Fatalf("maintenance: %v", err)
	}
	// A write that times out is an unknown outcome, settled by reading the trade back.
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	err = b.client.UpdateShipping(ctx, id, "2026-11-20", "1003", "405548424886")
	if class, e := classOf(err); class != channel.UnknownOutcome || !strings.Contains(e.Message, "タイムアウト") {
		t.Fatalf("timed-out report: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	if ok, _, err := b.client.ShippingApplied(ctx, id, "2026-11-20", "1003", "405548424886"); !ok || err != nil {
		t.Fatalf("the timed-out report took effect and the read-back must say so: %v %v", ok, err)
	}
	// A read that times out is transient.
	b.sim.Sim.Faults.Set(simkit.Faults{Latency: simkit.Duration(time.Second)})
	_, err = b.client.GetTrade(ctx, id)
	if class, _ := classOf(err); class != channel.Transient {
		t.Fatalf("timed-out read: %v", err)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	// Another shop's id, then an expired key: the shop's credentials are refused.
	good := b.client.ShopID
	b.client.ShopID = "99999999"
	_, err = b.client.GetTrade(ctx, id)
	if class, e := classOf(err); class != channel.Auth || !strings.Contains(e.Message, "店舗ID") {
		t.Fatalf("wrong shop id: %v", err)
	}
	b.client.ShopID = good
	b.sim.ExpireKey()
	err = b.client.UpdateStatus(ctx, id, aupay.StatusCompleted)
	if class, e := classOf(err); class != channel.Auth || e.HTTPStatus != http.StatusUnauthorized || !strings.Contains(e.Message, "APIキー") {
		t.Fatalf("expired key: %v", err)
	}

	// Every call is in the history with its outcome, and the key is not.
	outcomes := map[channel.Outcome]int{}
	for _, c := range b.calls.all() {
		outcomes[c.Outcome]++
		if c.ShopID != 7 || c.Operation == "" {
			t.Fatalf("call %+v", c)
		}
		for _, s := range []string{c.Request, c.Response, c.ErrorMessage} {
			if strings.Contains(s, b.client.APIKey) {
				t.Fatalf("the API key reached the history: %+v", c)
			}
		}
	}
	// ok: the read-back; transient: maintenance, the slow read; unknown: the report; auth: shop
	// id, key.
	if outcomes[channel.OutcomeOK] != 1 || outcomes[channel.OutcomeRetry] != 2 || outcomes[channel.OutcomeUnknown] != 1 || outcomes[channel.OutcomeAuth] != 2 || len(b.calls.all()) != 6 {
		t.Fatalf("%d calls, outcomes %v", len(b.calls.all()), outcomes)
	}
}

func TestAWriteThatNeverLeftIsNotAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c := &aupay.Client{BaseURL: srv.URL, APIKey: "k", ShopID: "1", HTTP: &http.Client{Timeout: time.Second}}
	err := c.UpdateStatus(context.Background(), "100000001", aupay.StatusCompleted)
	if class, _ := classOf(err); class != channel.Transient {
		t.Fatalf("connection refused: %v", err)
	}
}

func TestHistoryRecordsTheJobAndOrder(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	ctx := channel.WithCall(context.Background(), "ship_report", 42)
	if err := b.client.UpdateShipping(ctx, id, "2026-11-20", "1002", "512547514334"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.GetTrade(ctx, id); err != nil {
		t.Fatal(err)
	}
	calls := b.calls.all()
	if len(calls) != 2 || calls[0].JobKind != "ship_report" || calls[0].OrderID != 42 || calls[0].Operation != aupay.OpUpdateTradeInfo ||
		!strings.Contains(calls[0].Request, "<shippingNumber>512547514334</shippingNumber>") || !strings.Contains(calls[0].Response, "<status>0</status>") {
		t.Fatalf("write call %+v", calls)
	}
	if !strings.HasPrefix(calls[1].Request, "GET /wmshopapi/searchTradeInfoProc?") || !strings.Contains(calls[1].Request, "orderId="+id) {
		t.Fatalf("read call %+v", calls[1])
	}
}

// TestAWriteWithoutAJournalIsRefusedBeforeAnyCall: a caller that hands no journal gets an error
// and nothing reaches au, instead of a write that could be sent twice.
func TestAWriteWithoutAJournalIsRefusedBeforeAnyCall(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	id := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	o := order.Order{ID: 1, Number: id, Shipments: []order.Shipment{{PackageKey: aupay.PackageKey, ShipDate: "2026-11-20", Carrier: "1001", TrackingNumber: "444413758703"}}}
	for _, kind := range []workflow.JobKind{workflow.JobShipReport, workflow.JobComplete, workflow.JobStatusFetch} {
		results, err := b.client.Process(context.Background(), kind, []order.Order{o}, nil)
		if !errors.Is(err, channel.ErrNoJournal) || len(results) != 0 {
			t.Fatalf("%s without a journal: %v, %+v", kind, err, results)
		}
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.Requests != 0 || len(b.calls.all()) != 0 {
		t.Fatalf("a call without a journal reached au: %+v", c)
	}
}
