package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestDemoBankTransferOrdersCompleteOnceTheBuyerPays (issue 13, seed 002): in the demo, a
// Rakuten bank-transfer order (楽天共通決済: RMS settles it, not the shop) is confirmed, then waits
// in 確認待ち saying it waits for the buyer's payment, with nothing for the operator to mark by
// hand; once the buyer pays (the demo's buyers pay within 3 simulated minutes) the review rule
// takes it on, the packer ships it and it reaches 完了.
func TestDemoBankTransferOrdersCompleteOnceTheBuyerPays(t *testing.T) {
	t.Parallel()
	ctx, srv, rak, sim := startDemoRakuten(t)
	sim("/_sim/orders", `{"count":1,"payment_method":"振込"}`, http.StatusBadRequest) // a method the simulator does not sell is refused
	sim("/_sim/orders", `{"count":2,"payment_method":"銀行振込","review_ng_share":0}`, http.StatusOK)
	phases := phasesByName(t, srv.Store, rak.Shop.ID)
	var waiting store.OrderPage
	if !storetest.Await(t, 60*time.Second, func() bool {
		waiting, _ = srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: rak.Shop.ID, PhaseID: phases["確認待ち"], PageSize: 10})
		return waiting.Total >= 2
	}, srv.Queue) {
		t.Fatal("the bank-transfer orders were not confirmed")
	}
	sim("/_sim/clock", `{"advance":"90s"}`, http.StatusOK) // RMS's review (a minute in the demo) ends; the buyer has not paid yet
	var o order.Order
	if !storetest.Await(t, 60*time.Second, func() bool {
		o, _ = srv.Store.GetOrder(ctx, waiting.Orders[0].ID)
		return o.PaymentMethod == "銀行振込" && o.MarketplaceStatus == order.StatusInReview && strings.Contains(o.LinkMessage, "入金")
	}, srv.Queue) {
		t.Fatalf("before the payment: %s %q, phase %d; want it waiting in 確認待ち for the buyer's payment", o.MarketplaceStatus, o.LinkMessage, o.PhaseID)
	}
	if o.PhaseID != phases["確認待ち"] {
		t.Fatalf("an unpaid bank transfer left 確認待ち for phase %d", o.PhaseID)
	}
	sim("/_sim/clock", `{"advance":"10m"}`, http.StatusOK) // the buyer pays; the review rule's time comes
	for _, w := range waiting.Orders {
		if !storetest.Await(t, 90*time.Second, func() bool {
			o, _ = srv.Store.GetOrder(ctx, w.ID)
			return o.PhaseID == phases["完了"]
		}, srv.Queue) {
			t.Fatalf("order %s never completed: phase %d, link %q %q", o.Number, o.PhaseID, o.LinkStatus, o.LinkMessage)
		}
	}
}
