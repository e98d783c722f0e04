package storetest

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The order list finds the orders whose postage is not fixed yet (送料未確定), with the other
// filters, oldest first for the 要対応 countdown.
func init() {
	conformanceTests["OrdersWithPostageUnfixedAreFound"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 40, base) // every tenth has postage 未確定
		want := map[string]bool{}
		for _, o := range orders {
			if !o.Amounts.Postage.Fixed() && o.MarketplaceStatus == order.StatusUnconfirmed {
				want[o.Number] = true
			}
		}
		if _, err := b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		page, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PostageUnfixed: true, MarketplaceStatus: order.StatusUnconfirmed,
			Ascending: true, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || page.Total != int64(len(want)) || len(page.Orders) != len(want) {
			t.Fatalf("found %d (total %d), want %d", len(page.Orders), page.Total, len(want))
		}
		for i, o := range page.Orders {
			if !want[o.Number] || o.Amounts.Postage.Fixed() || (i > 0 && o.OrderedAt.Before(page.Orders[i-1].OrderedAt)) {
				t.Fatalf("order %d: %s postage %v at %v", i, o.Number, o.Amounts.Postage, o.OrderedAt)
			}
		}
	}
}
