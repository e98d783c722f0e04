package amazon_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/demo"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestDemoAmazonOrdersReachShipped: in `ichigen demo`, Amazon's MFN orders flow by themselves —
// import, status fetch, the packer, 発送メール and the shipment confirmation — until Amazon has
// them Shipped, under the model's usage plans; FBA orders pass without a confirmation.
func TestDemoAmazonOrdersReachShipped(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a whole demo")
	}
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := &config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Addr: "127.0.0.1:0", LogLevel: "warn",
		ShutdownTimeout: 5 * time.Second, MaxWorkers: 4, CallRetention: time.Hour, ChannelTimeout: 2 * time.Second}
	srv, err := app.Start(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	d, err := demo.StartSimulators()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	d.PackAfter, d.PackEvery = 0, 500*time.Millisecond
	if err := d.Setup(ctx, srv.Store); err != nil {
		t.Fatal(err)
	}
	sim, ok := d.Sim(amazon.Channel)
	if !ok {
		t.Fatal("no Amazon simulator in the demo")
	}
	go d.PlaceOrders(ctx)
	go d.Pack(ctx, srv.Store, srv.Queue)
	reported := string(amazon.LinkShipReported)
	var page store.OrderPage
	done := func() bool {
		var err error
		if page, err = srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sim.Shop.ID, LinkStatus: &reported, PageSize: 100}); err != nil {
			t.Fatal(err)
		}
		return page.Total >= 6 // most MFN orders of the first batch of 12
	}
	if !storetest.Await(t, 120*time.Second, done, srv.Queue) {
		all, _ := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sim.Shop.ID, PageSize: 100})
		where := map[string]int{}
		for _, o := range all.Orders {
			where[o.LinkStatus+" "+o.LinkMessage]++
		}
		t.Fatalf("only %d of %d Amazon orders confirmed: %v", page.Total, all.Total, where)
	}
	for _, o := range page.Orders {
		resp, err := http.Get(sim.URL + "/_sim/orders/" + o.Number)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ Order amazon.Order }
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if got.Order.OrderStatus != amazon.StatusShipped || got.Order.FulfillmentChannel != amazon.FulfillmentMFN {
			t.Errorf("order %s confirmed by ichigen is %s/%s at Amazon", o.Number, got.Order.OrderStatus, got.Order.FulfillmentChannel)
		}
	}
	t.Logf("%d Amazon orders reached Shipped", page.Total)
}
