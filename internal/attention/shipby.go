package attention

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// ShipByWarning is how long before its LatestShipDate an order the marketplace still waits to
// see shipped appears on 要対応: a day leaves the shop one working shift to pack and report it.
// Amazon counts an order confirmed after its LatestShipDate as a late shipment (出荷遅延), which
// lowers the seller's account health.
const ShipByWarning = 24 * time.Hour

// MaxShipByOrders bounds the orders listed per shop in ShipBy; its count and the order list's
// search have them all.
const MaxShipByOrders = 20

// ShipBy is a shop's orders at 発送待ち whose LatestShipDate is within ShipByWarning or past,
// the soonest due first.
type ShipBy struct {
	// Total counts them, up to store.CountCap+1 (store.Capped).
	Total int64
	// Orders are the first MaxShipByOrders of them.
	Orders []ShipByWait
	// Query is the order list's search that finds every one of them.
	Query store.OrderQuery
}

// ShipByWait is one order with the time left before its LatestShipDate (negative: late).
type ShipByWait struct {
	Order order.Order
	Left  time.Duration
}

// Late says the order's LatestShipDate has passed.
func (w ShipByWait) Late() bool { return w.Left <= 0 }

// ShipByQuery finds a shop's orders at 発送待ち whose LatestShipDate is before now+ShipByWarning,
// the soonest due first.
func ShipByQuery(shopID int64, now time.Time) store.OrderQuery {
	return store.OrderQuery{ShopID: shopID, MarketplaceStatus: order.StatusAwaitingShipment, ShipBy: now.Add(ShipByWarning),
		Sort: store.SortShipBy, Ascending: true}
}

// gatherShipBy reads a shop's orders near or past their LatestShipDate.
func gatherShipBy(ctx context.Context, st store.Store, sh shop.Shop, now time.Time) (ShipBy, error) {
	q := ShipByQuery(sh.ID, now)
	s := ShipBy{Query: q}
	q.PageSize = MaxShipByOrders
	page, err := st.SearchOrders(ctx, q)
	if err != nil {
		return s, fmt.Errorf("attention: orders of shop %d near their ship-by date: %w", sh.ID, err)
	}
	s.Total = page.Total
	for _, o := range page.Orders {
		s.Orders = append(s.Orders, ShipByWait{Order: o, Left: o.LatestShipDate.Sub(now)})
	}
	return s, nil
}
