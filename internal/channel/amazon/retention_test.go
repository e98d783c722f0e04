package amazon_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestBuyerDataIsMaskedAfterTheRetention: the periodic job removes the buyer's and the
// recipient's personal data of an Amazon shop's orders shipped or cancelled more than the shop's
// retention (10 days here) ago, writes a line in each order's history and one in 操作履歴 with the
// count, and leaves the orders within the retention and those still to ship; a second run finds
// nothing. A Rakuten shop's old orders are kept. On both engines.
func TestBuyerDataIsMaskedAfterTheRetention(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			now := time.Now().UTC().Truncate(time.Second)
			sh, err := st.CreateShop(ctx, shop.Shop{Channel: amazon.Channel, Name: "Amazon保持", Code: "amazon-keep",
				Credentials: shop.Credentials{"clientId": "c", "clientSecret": "s", "refreshToken": "r", "sellerId": "A1", amazon.RetentionKey: "10"}})
			if err != nil {
				t.Fatal(err)
			}
			rakuten, _ := storetest.NewShop(t, st, "keep")
			orders := storetest.MakeOrders(1, 4, now.Add(-60*24*time.Hour))
			at := func(i int, status order.MarketplaceStatus, daysAgo int) {
				orders[i].MarketplaceStatus = status
				orders[i].MarketplaceUpdatedAt = now.Add(-time.Duration(daysAgo) * 24 * time.Hour)
			}
			at(0, order.StatusShipped, 11)          // past the retention
			at(1, order.StatusShipped, 9)           // within it
			at(2, order.StatusAwaitingShipment, 40) // still to ship
			at(3, order.StatusCancelled, 20)        // cancelled long ago
			ids := must(st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{})).IDs
			old := storetest.MakeOrders(100, 1, now.Add(-60*24*time.Hour))
			old[0].MarketplaceStatus, old[0].MarketplaceUpdatedAt = order.StatusShipped, now.Add(-50*24*time.Hour)
			rakutenIDs := must(st.UpsertOrders(ctx, rakuten.ID, old, store.UpsertOptions{})).IDs

			got, err := jobs.MaskBuyerData(ctx, st, now)
			if err != nil {
				t.Fatal(err)
			}
			if got[sh.ID] != 2 || len(got) != 1 {
				t.Fatalf("masked %v, want 2 orders of shop %d only", got, sh.ID)
			}
			for i, id := range ids {
				o := must(st.GetOrder(ctx, id))
				masked := i == 0 || i == 3
				personal := o.Buyer.Email + o.Buyer.Phone + o.Buyer.Address + o.Buyer.Zip + o.Packages[0].ShipTo.Address + o.Packages[0].ShipTo.Email
				if masked && (o.Buyer.Name != store.MaskedName || personal != "" || o.Packages[0].ShipTo.Name != store.MaskedName || o.Packages[0].Key != "1") {
					t.Errorf("order %d kept %+v %+v", i, o.Buyer, o.Packages)
				}
				if !masked && (o.Buyer.Name != orders[i].Buyer.Name || o.Buyer.Address == "") {
					t.Errorf("order %d lost its buyer: %+v", i, o.Buyer)
				}
			}
			if o := must(st.GetOrder(ctx, rakutenIDs[0])); o.Buyer.Name != old[0].Buyer.Name {
				t.Errorf("the Rakuten shop's order lost its buyer: %+v", o.Buyer)
			}
			events := must(st.ListOrderEvents(ctx, ids[0]))
			if e := events[len(events)-1]; e.Kind != order.EventBuyerMasked || e.Actor != "system" {
				t.Errorf("last event %+v, want the removal", e)
			}
			if page := must(st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, Keyword: orders[0].Buyer.Name})); page.Total != 0 {
				t.Errorf("the masked buyer's name still finds %d orders", page.Total)
			}
			audit := must(st.ListAudit(ctx, 1, 10))
			if len(audit) == 0 || audit[0].Action != "購入者情報を削除" || audit[0].Target != sh.Name || !strings.Contains(audit[0].Detail, "10日") || !strings.Contains(audit[0].Detail, "2件") {
				t.Fatalf("操作履歴 %+v", audit)
			}
			if strings.Contains(audit[0].Detail, orders[0].Buyer.Name) {
				t.Fatal("操作履歴 names the buyer")
			}
			if again := must(jobs.MaskBuyerData(ctx, st, now)); len(again) != 0 {
				t.Fatalf("a second run masked %v", again)
			}
			if n := len(must(st.ListAudit(ctx, 1, 10))); n != len(audit) {
				t.Fatalf("a second run wrote 操作履歴: %d lines, was %d", n, len(audit))
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
