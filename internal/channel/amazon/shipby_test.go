package amazon_test

import (
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
)

// TestLatestShipDateAndPrimeAreMapped: an MFN order carries Amazon's LatestShipDate and IsPrime
// onto ichigen's order; an FBA order keeps Prime but no ship-by date, since Amazon ships it
// itself and 要対応 must not ask the shop to.
func TestLatestShipDateAndPrimeAreMapped(t *testing.T) {
	a := amazon.Order{AmazonOrderId: "503-0000001-0000001", PurchaseDate: "2026-12-01T01:00:00Z",
		LastUpdateDate: "2026-12-01T02:00:00Z", OrderStatus: amazon.StatusUnshipped, FulfillmentChannel: amazon.FulfillmentMFN,
		LatestShipDate: "2026-12-02T14:59:59Z", IsPrime: true}
	o, err := amazon.ToOrder(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 2, 14, 59, 59, 0, time.UTC); !o.LatestShipDate.Equal(want) || !o.Prime {
		t.Fatalf("MFN: ship-by %v prime %v, want %v true", o.LatestShipDate, o.Prime, want)
	}
	a.FulfillmentChannel = amazon.FulfillmentAFN
	if o, err = amazon.ToOrder(a, nil); err != nil || !o.LatestShipDate.IsZero() || !o.Prime {
		t.Fatalf("AFN: ship-by %v prime %v (%v), want none and true", o.LatestShipDate, o.Prime, err)
	}
	a.FulfillmentChannel, a.LatestShipDate = amazon.FulfillmentMFN, "tomorrow"
	if _, err := amazon.ToOrder(a, nil); err == nil {
		t.Fatal("an unreadable LatestShipDate was accepted")
	}
}
