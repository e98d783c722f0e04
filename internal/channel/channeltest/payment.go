package channeltest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The payment cases, run for a channel with the capture job kind whose client is a
// channel.PaymentManager (the own cart's webコレクト).
func (h *harness) payments(t *testing.T) {
	if _, ok := h.client(t, h.shop.Credentials.Plain()).(channel.PaymentManager); !ok || !h.spec.HasJobKind(workflow.JobCapture) {
		return
	}
	t.Run("CaptureSendsEachTradeOnceWhenTheAnswerIsLost", h.captureOnce)
	t.Run("CancelAndAmountChangeOnlyWhileAuthorized", h.cancelAndChange)
}

// placeAuthorized places count card orders, imports them and gives each a Yamato shipment.
func (h *harness) placeAuthorized(t *testing.T, count, first int) []order.Order {
	t.Helper()
	numbers := h.sim.Place(count, true)
	h.advance(t, 2*time.Second)
	h.importUpTo(t, h.sim.Now())
	out := make([]order.Order, len(numbers))
	for i, n := range numbers {
		out[i] = h.shipped(t, n, first+i)
		if out[i].PaymentStatus != order.CardAuthorized {
			t.Fatalf("order %s imported as %s, want 仮売上", n, out[i].PaymentStatus.Label())
		}
	}
	return out
}

func sumWrites(c simkit.Counts) (requests, duplicates int) {
	for _, n := range c.WriteRequests {
		requests += n
	}
	for _, n := range c.DuplicateWrites {
		duplicates += n
	}
	return requests, duplicates
}

// captureOnce: orders are captured through the shop's capture rule while every write's answer
// is lost. Each trade is captured exactly once (the lost answers are read back, never sent
// again) and the orders reach 決済完了 and the success phase.
func (h *harness) captureOnce(t *testing.T) {
	ctx := context.Background()
	st := h.srv.Store
	orders := h.placeAuthorized(t, 3, 200)
	if _, err := st.SaveRule(ctx, workflow.Rule{ShopID: h.shop.ID, Kind: workflow.JobCapture, Enabled: true,
		TargetPhaseID: h.phases["出荷済み"], SuccessPhaseID: h.phases["完了"], ErrorPhaseID: h.phases["エラー"]}); err != nil {
		t.Fatal(err)
	}
	h.faults(t, simkit.Faults{TimeoutAfterWrite: 1})
	before := h.counters(t)
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	if _, err := h.srv.Queue.MoveOrders(ctx, st, ids, h.phases["出荷済み"], "test"); err != nil {
		t.Fatal(err)
	}
	waitForSimulator(t, 60*time.Second, "a capture whose answer is lost", func() bool { return h.counters(t).HungWrites > before.HungWrites })
	h.faults(t, simkit.Faults{})
	for _, o := range orders {
		h.await(t, 90*time.Second, "order "+o.Number+" captured", func() bool {
			got, err := st.GetOrder(ctx, o.ID)
			return err == nil && got.PhaseID == h.phases["完了"] && got.PaymentStatus == order.CardCaptured
		})
	}
	after := h.counters(t)
	reqBefore, dupBefore := sumWrites(before)
	reqAfter, dupAfter := sumWrites(after)
	if reqAfter-reqBefore != len(orders) || dupAfter != dupBefore {
		t.Errorf("%d captures sent for %d orders (%d duplicates), want each once", reqAfter-reqBefore, len(orders), dupAfter-dupBefore)
	}
}

// cancelAndChange: while 仮売上 an amount change and a cancel are sent and the order becomes
// 注文キャンセル; once captured both are refused before any call, with the operator's message.
func (h *harness) cancelAndChange(t *testing.T) {
	ctx := context.Background()
	pm := h.client(t, h.shop.Credentials.Plain()).(channel.PaymentManager)
	orders := h.placeAuthorized(t, 1, 300)
	o := orders[0]
	total, _ := o.Amounts.Total.Value()
	if _, err := pm.ChangeAmount(ctx, o, total-100); err != nil {
		t.Fatalf("amount change while 仮売上: %v", err)
	}
	cancelled, err := pm.CancelPayment(ctx, o)
	if err != nil || cancelled.PaymentStatus != order.CardCancelled {
		t.Fatalf("cancel while 仮売上: %s, %v", cancelled.PaymentStatus.Label(), err)
	}
	captured, err := h.srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: h.shop.ID, PaymentStatus: order.CardCaptured, PageSize: 1})
	if err != nil || len(captured.Orders) == 0 {
		t.Fatalf("no captured order to try: %v", err)
	}
	c := captured.Orders[0]
	before, _ := sumWrites(h.counters(t))
	for name, call := range map[string]func() error{
		"cancel":        func() error { _, err := pm.CancelPayment(ctx, c); return err },
		"amount change": func() error { _, err := pm.ChangeAmount(ctx, c, total+100); return err },
	} {
		var e *channel.Error
		if err := call(); !errors.As(err, &e) || e.Class != channel.Rejected || e.Message == "" {
			t.Errorf("%s of a captured order: %v, want a refusal with the operator's message", name, err)
		}
	}
	if after, _ := sumWrites(h.counters(t)); after != before {
		t.Errorf("%d writes sent for a captured order, want none", after-before)
	}
}
