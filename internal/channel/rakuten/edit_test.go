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

// TestOrderChangeReachesRMSOnceAndOnlyBeforeShipping: a change of ship-to, postage, 代引料 and a
// line's units and price goes to RMS in one updateOrderSender, RMS's totals follow, a second
// click and a lost answer send nothing more, and a shipped order is refused with what to do.
func TestOrderChangeReachesRMSOnceAndOnlyBeforeShipping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, rakutensim.Config{AsyncDelay: -1})
	senders := func() int { return b.sim.Sim.Counters.Snapshot().Operations["updateOrderSender"] }
	read := func(number string) order.Order {
		t.Helper()
		ms, err := b.client.GetOrders(ctx, []string{number})
		if err != nil || len(ms) != 1 {
			t.Fatalf("getOrder %s: %v", number, err)
		}
		o, err := rakuten.ToOrder(ms[0])
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	postage, quantity, price := int64(990), int64(3), int64(1234)
	ch := order.Change{
		ShipTo:  &order.ShipTo{FamilyName: "楽天", FirstName: "花子", Zip: "140-0002", Prefecture: "東京都", City: "品川区", Street: "東品川4-12-3", Phone: "03-1234-5678"},
		Postage: &postage,
		Lines:   []order.LineChange{{Line: 0, Quantity: quantity, UnitPrice: price}},
	}
	number := b.sim.Generate(rakutensim.GenerateOptions{Count: 1})[0]
	o := read(number)
	got, err := b.client.EditOrder(ctx, o, ch)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := b.sim.Order(number)
	pkg := m.PackageModelList[0]
	if pkg.SenderModel.SubAddress != "東品川4-12-3" || pkg.SenderModel.ZipCode1 != "140" || pkg.SenderModel.PhoneNumber3 != "5678" ||
		pkg.PostagePrice != postage || pkg.ItemModelList[0].Units != quantity || pkg.ItemModelList[0].Price != price {
		t.Fatalf("RMS holds %+v", pkg)
	}
	want := m.GoodsPrice + postage + m.PaymentCharge
	if m.TotalPrice != want || got.Amounts.Total != order.YenOf(want) || got.Lines[0].Quantity != quantity || senders() != 1 {
		t.Fatalf("totals: RMS %d, ichigen %v, want %d; %d requests", m.TotalPrice, got.Amounts.Total, want, senders())
	}
	if applied := ch.Apply(o); applied.Amounts.Total != got.Amounts.Total {
		t.Fatalf("ichigen's own sum of the change %v differs from RMS's %v", applied.Amounts.Total, got.Amounts.Total)
	}
	if _, err := b.client.EditOrder(ctx, o, ch); err != nil || senders() != 1 {
		t.Fatalf("second click: %v, %d requests, want 1", err, senders())
	}

	other := read(b.sim.Generate(rakutensim.GenerateOptions{Count: 1})[0])
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	lossy := *b.client
	lossy.HTTP = &http.Client{Timeout: 300 * time.Millisecond}
	if _, err := lossy.EditOrder(ctx, other, ch); err != nil || senders() != 2 {
		t.Fatalf("with the answer lost: %v, %d requests, want 2 (one per order)", err, senders())
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})

	// 代引料 is the only payment fee RMS takes through updateOrderSender: refused for other methods.
	fee := int64(500)
	_, err = b.client.EditOrder(ctx, o, order.Change{PaymentFee: &fee})
	if cod := m.SettlementModel.SettlementMethod == "代金引換"; cod != (err == nil) || (!cod && senders() != 2) {
		t.Fatalf("代引料 of a %s order: %v (%d requests)", m.SettlementModel.SettlementMethod, err, senders())
	}
	before := senders()

	shipped := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, ReadyToShip: true})[0]
	if _, err := b.client.UpdateShippingAsync(ctx, []rakuten.UpdateOrderShippingRequest{{OrderNumber: shipped, BasketidModelList: []rakuten.BasketShipping{{
		BasketID: b.basketOf(t, shipped), ShippingModelList: []rakuten.ShippingModel{{DeliveryCompany: "1001", ShippingNumber: "123456789012", ShippingDate: time.Now().In(order.JST).Format(time.DateOnly)}}}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = b.client.EditOrder(ctx, read(shipped), ch)
	if class, e := classOf(err); class != channel.Rejected || !strings.Contains(e.Message, "RMSの受注管理で変更してください") || senders() != before {
		t.Fatalf("shipped: %v (%d requests)", err, senders())
	}
}
