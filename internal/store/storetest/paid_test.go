package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// A payment confirmed by hand (入金確認) marks the unpaid orders paid with its day, once, writes
// their history, and survives the next import, which reads 未入金 from the marketplace: a payment
// the shop collects itself is never reported by it.
func init() {
	conformanceTests["PaymentConfirmedByHandSurvivesImport"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 3, base)
		orders[2].PaymentStatus = order.Paid
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		paid, err := b.st.MarkPaid(ctx, res.IDs, "2026-11-30", "operator")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(paid, res.IDs[:2]) {
			t.Fatalf("paid %v, want the two unpaid %v", paid, res.IDs[:2])
		}
		if again, err := b.st.MarkPaid(ctx, res.IDs, "2026-12-01", "operator"); err != nil || len(again) != 0 {
			t.Fatalf("marked again: %v, %v", again, err)
		}
		// The import reads the order from the marketplace again, still 未入金 there.
		orders[0].MarketplaceStatus, orders[0].MarketplaceStatusRaw = order.StatusAwaitingShipment, "300"
		for _, overwrite := range []bool{false, true} {
			if _, err := b.st.UpsertOrders(ctx, b.shop.ID, orders[:2], store.UpsertOptions{Overwrite: overwrite}); err != nil {
				t.Fatal(err)
			}
			for _, id := range res.IDs[:2] {
				o, err := b.st.GetOrder(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if o.PaymentStatus != order.Paid || o.PaidOn != "2026-11-30" {
					t.Fatalf("overwrite %v: order %d is %s paid on %q after the import", overwrite, id, o.PaymentStatus, o.PaidOn)
				}
			}
		}
		events, err := b.st.ListOrderEvents(ctx, res.IDs[0])
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Kind == order.EventPaid {
				n++
				if e.Message != "入金確認: 入金日 2026-11-30" || e.Actor != "operator" {
					t.Fatalf("event %+v", e)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%d payment events, want 1: %+v", n, events)
		}
		if o, _ := b.st.GetOrder(ctx, res.IDs[2]); o.PaidOn != "" {
			t.Fatalf("the order the marketplace reported paid has paid_on %q", o.PaidOn)
		}
	}
}
