package attention_test

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestOrdersNearTheirShipByDateAreListed: an order's LatestShipDate and Prime are stored (new,
// refreshed and overwritten), the order list filters on them, and 要対応 lists the orders at
// 発送待ち due within a day or late, the soonest first with the time left; orders due later,
// shipped ones and those without a date are not listed. On both engines.
func TestOrdersNearTheirShipByDateAreListed(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, _ := storetest.NewShop(t, st, "shipby")
			now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
			orders := storetest.MakeOrders(1, 6, now.Add(-3*24*time.Hour))
			set := func(i int, due time.Duration, status order.MarketplaceStatus, prime bool) {
				orders[i].MarketplaceStatus, orders[i].Prime = status, prime
				if due != 0 {
					orders[i].LatestShipDate = now.Add(due)
				}
			}
			set(0, 5*time.Hour, order.StatusAwaitingShipment, true)   // due in 5 hours
			set(1, -2*time.Hour, order.StatusAwaitingShipment, false) // 2 hours late
			set(2, 30*time.Hour, order.StatusAwaitingShipment, true)  // due later
			set(3, -time.Hour, order.StatusShipped, false)            // shipped
			set(4, 0, order.StatusAwaitingShipment, false)            // no date
			set(5, 23*time.Hour, order.StatusOnHold, false)           // not to ship yet
			ids := must(st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{})).IDs

			o := must(st.GetOrder(ctx, ids[0]))
			if !o.Prime || !o.LatestShipDate.Equal(now.Add(5*time.Hour)) {
				t.Fatalf("stored prime %v ship-by %v, want true %v", o.Prime, o.LatestShipDate, now.Add(5*time.Hour))
			}
			if o := must(st.GetOrder(ctx, ids[4])); !o.LatestShipDate.IsZero() || o.Prime {
				t.Fatalf("order without a date stored %v prime %v", o.LatestShipDate, o.Prime)
			}
			prime := must(st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, Prime: true}))
			if prime.Total != 2 {
				t.Fatalf("%d Prime orders, want 2", prime.Total)
			}

			s := gatherShop(t, st, sh.ID, now)
			want := []int64{ids[1], ids[0]}
			if s.ShipBy.Total != 2 || len(s.ShipBy.Orders) != 2 {
				t.Fatalf("ship-by lists %d (total %d), want %v", len(s.ShipBy.Orders), s.ShipBy.Total, want)
			}
			for i, w := range s.ShipBy.Orders {
				if w.Order.ID != want[i] {
					t.Errorf("ship-by %d: order %d, want %d", i, w.Order.ID, want[i])
				}
			}
			if w := s.ShipBy.Orders[0]; !w.Late() || w.Left != -2*time.Hour {
				t.Errorf("late order: left %v", w.Left)
			}
			if w := s.ShipBy.Orders[1]; w.Late() || w.Left != 5*time.Hour {
				t.Errorf("due order: left %v", w.Left)
			}
			if !s.Needed() {
				t.Error("a late order is not something 要対応 needs")
			}
			if page := must(st.SearchOrders(ctx, s.ShipBy.Query)); page.Total != 2 {
				t.Errorf("the list's query finds %d, want 2", page.Total)
			}

			// Amazon moves the date (a refresh) and the order is no longer due; an overwrite
			// clears Prime.
			orders[0].LatestShipDate, orders[0].MarketplaceUpdatedAt = now.Add(48*time.Hour), now
			orders[0].MarketplaceStatusRaw = "PartiallyShipped"
			must(st.UpsertOrders(ctx, sh.ID, orders[:1], store.UpsertOptions{}))
			if o := must(st.GetOrder(ctx, ids[0])); !o.LatestShipDate.Equal(now.Add(48 * time.Hour)) {
				t.Fatalf("refresh kept ship-by %v", o.LatestShipDate)
			}
			orders[0].Prime, orders[0].MarketplaceUpdatedAt = false, now.Add(time.Minute)
			orders[0].RawPayload = []byte(`{"IsPrime":false}`) // what the marketplace answered changed
			must(st.UpsertOrders(ctx, sh.ID, orders[:1], store.UpsertOptions{Overwrite: true}))
			if o := must(st.GetOrder(ctx, ids[0])); o.Prime {
				t.Fatal("overwrite kept Prime")
			}
			if s := gatherShop(t, st, sh.ID, now); s.ShipBy.Total != 1 {
				t.Fatalf("after the move %d listed, want 1", s.ShipBy.Total)
			}
		})
	}
}

func gatherShop(t *testing.T, st store.Store, shopID int64, now time.Time) attention.Shop {
	t.Helper()
	r, err := attention.Gather(context.Background(), st, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range r.Shops {
		if x.Shop.ID == shopID {
			return x
		}
	}
	t.Fatalf("shop %d not in the report", shopID)
	return attention.Shop{}
}
