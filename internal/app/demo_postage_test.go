package app

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/demo"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestDemoPostageUnsetOrdersCompleteOnceTheOperatorFixesThem (issue 13): in `ichigen demo`, a
// Rakuten order whose postage is -9999 is refused at 注文確認 with what to do and sits in エラー;
// once the operator does what the order page says — enters the postage (sent to RMS by the
// postage job) and moves the order back to 新規受付 — it is confirmed, reviewed by RMS, packed,
// reported and reaches 完了 like any other order.
func TestDemoPostageUnsetOrdersCompleteOnceTheOperatorFixesThem(t *testing.T) {
	t.Parallel()
	ctx, srv, rak, sim := startDemoRakuten(t)
	sim("/_sim/orders", `{"count":3,"unfixed_postage_share":1}`, http.StatusOK)
	phases := phasesByName(t, srv.Store, rak.Shop.ID)
	var refused store.OrderPage
	if !storetest.Await(t, 60*time.Second, func() bool {
		refused, _ = srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: rak.Shop.ID, PhaseID: phases["エラー"], PageSize: 10})
		return refused.Total >= 1
	}, srv.Queue) {
		t.Fatal("no postage-unset order reached エラー")
	}
	o := refused.Orders[0]
	if o.Amounts.Postage.Fixed() || !strings.Contains(o.LinkMessage, "送料") {
		t.Fatalf("refused order: postage %v, %q", o.Amounts.Postage, o.LinkMessage)
	}
	// What the order page tells the operator: enter the postage, then confirm again.
	if _, err := orderops.SetPostageOne(ctx, srv.Store, srv.Queue, o.ID, 770); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, 30*time.Second, func() bool {
		got, _ := srv.Store.GetOrder(ctx, o.ID)
		return got.Amounts.Postage == order.YenOf(770)
	}, srv.Queue) {
		t.Fatal("the postage never reached the order")
	}
	if _, err := srv.Queue.MoveOrders(ctx, srv.Store, []int64{o.ID}, phases["新規受付"], "operator"); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, 30*time.Second, func() bool {
		got, _ := srv.Store.GetOrder(ctx, o.ID)
		return got.PhaseID == phases["確認待ち"]
	}, srv.Queue) {
		got, _ := srv.Store.GetOrder(ctx, o.ID)
		t.Fatalf("not confirmed: phase %d, %q", got.PhaseID, got.LinkMessage)
	}
	sim("/_sim/clock", `{"advance":"10m"}`, http.StatusOK) // RMS's review (a minute in the demo) ends; the review rule's time comes
	var got order.Order
	if !storetest.Await(t, 90*time.Second, func() bool {
		got, _ = srv.Store.GetOrder(ctx, o.ID)
		return got.PhaseID == phases["完了"]
	}, srv.Queue) {
		t.Fatalf("never completed: phase %d, link %q %q", got.PhaseID, got.LinkStatus, got.LinkMessage)
	}
}

// startDemoRakuten runs ichigen on `ichigen demo`'s simulators and shops, its clock the Rakuten
// simulator's, with the demo packer shipping at once, and returns its context, the app, the
// Rakuten simulator and a call of its control API that must answer want.
func startDemoRakuten(t *testing.T) (context.Context, *Server, *demo.Sim, func(path, body string, want int)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d, err := demo.StartSimulators()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	rak, ok := d.Sim(rakuten.Name)
	if !ok {
		t.Fatal("no Rakuten simulator in the demo")
	}
	clock := rak.Server.(interface{ Now() time.Time })
	srv, err := Start(ctx, testConfig(t, ""), quietLogger(), WithClock(clock.Now), WithAsyncSettle(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	d.PackAfter, d.PackEvery = 0, 300*time.Millisecond
	if err := d.Setup(ctx, srv.Store); err != nil {
		t.Fatal(err)
	}
	go d.Pack(ctx, srv.Store, srv.Queue)
	return ctx, srv, rak, func(path, body string, want int) {
		t.Helper()
		resp, err := http.Post(rak.URL+path, "application/json", bytes.NewBufferString(body))
		if err != nil || resp.StatusCode != want {
			t.Fatalf("POST %s: %v, want %d", path, err, want)
		}
		resp.Body.Close()
	}
}
