package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestAnOrderIsCancelledAtRMSOnce: an operator's cancellation of an imported order reaches RMS
// once, even when asked twice at once, and the order then shows RMS's キャンセル確定待ち, the
// reason on its link message and a line in its history; the simulator's order is at
// キャンセル確定待ち. An order the buyer cancelled at RMS meanwhile is read first and not sent:
// it takes RMS's キャンセル.
func TestAnOrderIsCancelledAtRMSOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 5, AsyncDelay: -1})
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	generated := b.sim.Generate(rakutensim.GenerateOptions{Count: 8, At: b.sim.Sim.Clock.Now().Add(-time.Hour)})
	runImport(t, b.srv, importRule)
	var ids []int64
	var numbers []string
	for _, n := range generated { // the selective-settlement ones wait at RMS for 発送待ち
		if o, err := b.srv.Store.GetOrderByNumber(ctx, b.shop.ID, n); err == nil && len(ids) < 2 {
			ids, numbers = append(ids, o.ID), append(numbers, n)
		}
	}
	if len(ids) < 2 {
		t.Fatalf("%d orders imported", len(ids))
	}

	for range 2 { // a double click
		if _, err := orderops.CancelOne(ctx, b.srv.Store, b.srv.Queue, ids[0], "8", "operator"); err != nil {
			t.Fatal(err)
		}
	}
	var o order.Order
	if !storetest.Await(t, 30*time.Second, func() bool {
		o, _ = b.srv.Store.GetOrder(ctx, ids[0])
		return o.MarketplaceStatus == order.StatusCancelPending
	}, b.srv.Queue) {
		t.Fatalf("order never cancelled: %s, %q", o.MarketplaceStatus, o.LinkMessage)
	}
	storetest.AwaitIdle(t, 10*time.Second, b.srv.Queue) // the second request's job, if one was queued, has run
	if !strings.Contains(o.LinkMessage, "モールでキャンセルしました(理由: 店舗都合: 欠品)") {
		t.Errorf("link message %q", o.LinkMessage)
	}
	if n := b.sim.Sim.Counters.Snapshot().WriteRequests[numbers[0]]; n != 1 {
		t.Fatalf("cancelOrder sent %d times, want once", n)
	}
	if m, _ := b.sim.Order(numbers[0]); m.OrderProgress != 800 {
		t.Fatalf("RMS holds the order at %d", m.OrderProgress)
	}
	events, _ := b.srv.Store.ListOrderEvents(ctx, ids[0])
	found := false
	for _, e := range events {
		found = found || (e.Kind == order.EventCancelRequested && e.Actor == "operator")
	}
	if !found {
		t.Errorf("no cancellation in the history: %+v", events)
	}

	// The buyer cancelled the second order at RMS since the import: the job reads it first and
	// writes nothing.
	if err := b.sim.Cancel(numbers[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := orderops.CancelOne(ctx, b.srv.Store, b.srv.Queue, ids[1], "1", "operator"); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, 30*time.Second, func() bool {
		o, _ = b.srv.Store.GetOrder(ctx, ids[1])
		return o.MarketplaceStatus == order.StatusCancelled
	}, b.srv.Queue) {
		t.Fatalf("second order: %s, %q", o.MarketplaceStatus, o.LinkMessage)
	}
	if n := b.sim.Sim.Counters.Snapshot().Operations["cancelOrder"]; n != 1 {
		t.Fatalf("%d cancelOrder calls in all, want 1", n)
	}
}
