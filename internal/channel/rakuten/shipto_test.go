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

// TestShipToIsChangedAtRMSOnceAndOnlyBeforeShipping: SetShipTo sends a package's new ship-to
// with updateOrderSender and RMS holds it; asked again it reads the order and sends nothing; a
// change whose answer is lost is read back, not sent twice; a shipped order and a ship-to
// without its required fields are refused with what to do, before anything is sent.
func TestShipToIsChangedAtRMSOnceAndOnlyBeforeShipping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, rakutensim.Config{AsyncDelay: -1})
	numbers := b.sim.Generate(rakutensim.GenerateOptions{Count: 2})
	to := rakuten.SenderModel{ZipCode1: "140", ZipCode2: "0002", Prefecture: "東京都", City: "品川区", SubAddress: "東品川4-12-3",
		FamilyName: "楽天", FirstName: "花子", FamilyNameKana: "ラクテン", FirstNameKana: "ハナコ", PhoneNumber1: "03", PhoneNumber2: "1234", PhoneNumber3: "5678"}
	// updateOrderSender requests, of every order: each step below compares them before and after.
	senders := func() int { return b.sim.Sim.Counters.Snapshot().Operations["updateOrderSender"] }

	o, err := b.client.SetShipTo(ctx, numbers[0], b.basketOf(t, numbers[0]), to)
	if err != nil || len(o.Packages) == 0 || !strings.Contains(o.Packages[0].ShipTo.Name, "楽天") || !strings.Contains(o.Packages[0].ShipTo.Address, "東品川4-12-3") {
		t.Fatalf("set ship-to: %v %+v", err, o.Packages)
	}
	if m, _ := b.sim.Order(numbers[0]); m.PackageModelList[0].SenderModel != to {
		t.Fatalf("RMS holds %+v", m.PackageModelList[0].SenderModel)
	}
	if _, err := b.client.SetShipTo(ctx, numbers[0], b.basketOf(t, numbers[0]), to); err != nil || senders() != 1 {
		t.Fatalf("again: %v, %d updateOrderSender requests, want 1", err, senders())
	}

	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	lossy := *b.client
	lossy.HTTP = &http.Client{Timeout: 300 * time.Millisecond}
	if _, err := lossy.SetShipTo(ctx, numbers[1], b.basketOf(t, numbers[1]), to); err != nil || senders() != 2 {
		t.Fatalf("with the answer lost: %v, %d requests, want 2 (one per order)", err, senders())
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})

	shipped := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, ReadyToShip: true})[0]
	if _, err := b.client.UpdateShippingAsync(ctx, []rakuten.UpdateOrderShippingRequest{{OrderNumber: shipped, BasketidModelList: []rakuten.BasketShipping{{
		BasketID: b.basketOf(t, shipped), ShippingModelList: []rakuten.ShippingModel{{DeliveryCompany: "1001", ShippingNumber: "123456789012", ShippingDate: time.Now().In(order.JST).Format(time.DateOnly)}}}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = b.client.SetShipTo(ctx, shipped, b.basketOf(t, shipped), to)
	if class, e := classOf(err); class != channel.Rejected || !strings.Contains(e.Message, "RMSの受注管理で変更してください") || senders() != 2 {
		t.Fatalf("shipped: %v (%d requests)", err, senders())
	}
	noPhone := to
	noPhone.PhoneNumber1 = ""
	if _, err := b.client.SetShipTo(ctx, numbers[0], b.basketOf(t, numbers[0]), noPhone); channel.ClassOf(err) != channel.Rejected || senders() != 2 {
		t.Fatalf("without a phone: %v", err)
	}
}
