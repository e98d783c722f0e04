package rakuten_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// TestCancelAppliesAtRMSOnceAndOnlyBeforeShipping: Cancel applies for the cancellation of an
// unconfirmed order (RMS then holds it at キャンセル確定待ち); asked again, it reads the order and
// sends nothing; a cancellation whose answer is lost is read back and not sent again; a shipped
// order and a reason RMS does not define are refused with what to do.
func TestCancelAppliesAtRMSOnceAndOnlyBeforeShipping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, rakutensim.Config{AsyncDelay: -1})
	numbers := b.sim.Generate(rakutensim.GenerateOptions{Count: 2})
	shipped := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, ReadyToShip: true})[0]

	o, err := b.client.Cancel(ctx, numbers[0], "8")
	if err != nil || o.MarketplaceStatus != order.StatusCancelPending || o.Number != numbers[0] {
		t.Fatalf("cancel: %v, %s", err, o.MarketplaceStatus)
	}
	if o, err := b.client.Cancel(ctx, numbers[0], "8"); err != nil || o.MarketplaceStatus != order.StatusCancelPending {
		t.Fatalf("cancel again: %v, %s", err, o.MarketplaceStatus)
	}
	if n := b.sim.Sim.Counters.Snapshot().WriteRequests[numbers[0]]; n != 1 {
		t.Fatalf("%d cancelOrder requests, want 1", n)
	}

	// The answer is lost after RMS applied it: the read-back settles it.
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	lossy := *b.client
	lossy.HTTP = &http.Client{Timeout: 300 * time.Millisecond}
	if o, err := lossy.Cancel(ctx, numbers[1], "1"); err != nil || o.MarketplaceStatus != order.StatusCancelPending {
		t.Fatalf("cancel with the answer lost: %v, %s", err, o.MarketplaceStatus)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	if n := b.sim.Sim.Counters.Snapshot().WriteRequests[numbers[1]]; n != 1 {
		t.Fatalf("%d cancelOrder requests after a lost answer, want 1", n)
	}

	if _, err := b.client.UpdateShippingAsync(ctx, []rakuten.UpdateOrderShippingRequest{{OrderNumber: shipped, BasketidModelList: []rakuten.BasketShipping{{
		BasketID: b.basketOf(t, shipped), ShippingModelList: []rakuten.ShippingModel{{DeliveryCompany: "1001", ShippingNumber: "123456789012", ShippingDate: time.Now().In(order.JST).Format(time.DateOnly)}}}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = b.client.Cancel(ctx, shipped, "8")
	if class, e := classOf(err); class != channel.Rejected || !strings.Contains(e.Message, "「発送済み」のため、キャンセルできません。") || !strings.Contains(e.Message, "発送後のキャンセル") {
		t.Fatalf("shipped: %v", err)
	}
	if _, err := b.client.Cancel(ctx, numbers[1], "99"); channel.ClassOf(err) != channel.Rejected || !strings.Contains(err.Error(), "キャンセル理由「99」はRMSにありません") {
		t.Fatalf("unknown reason: %v", err)
	}
	if n := b.sim.Sim.Counters.Snapshot().Operations["cancelOrder"]; n != 2 {
		t.Fatalf("%d cancelOrder requests in all, want the 2 that cancelled: none for the refused", n)
	}
}

func (b *testBundle) basketOf(t *testing.T, number string) int64 {
	t.Helper()
	m, ok := b.sim.Order(number)
	if !ok {
		t.Fatalf("no order %s", number)
	}
	return m.PackageModelList[0].BasketID
}
