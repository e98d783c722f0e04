package attention

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// MaxExpiringOrders bounds the orders listed per shop in ExpiringAuthorizations.
const MaxExpiringOrders = 20

// ExpiringAuthorizations are a shop's card orders still in 仮売上 whose 58 days (seed 004) end
// within order.CaptureWarning: unless their sale is fixed (売上確定) in time, Yamato pays nothing
// and the order becomes 仮売上期限切れ.
type ExpiringAuthorizations struct {
	// Total counts them, up to store.CountCap+1 (store.Capped).
	Total int64
	// Orders are the first MaxExpiringOrders of them, the soonest lapsing first.
	Orders []CaptureWait
}

// CaptureWait is one authorised order with its countdown.
type CaptureWait struct {
	Order order.Order
	// Deadline is when its 仮売上 lapses and DaysLeft the days until then, a part of a day as a
	// whole one (0 or less: lapsed).
	Deadline time.Time
	DaysLeft int
}

// Query is the order list's search that finds every one of them at now.
func (ExpiringAuthorizations) Query(shopID int64, now time.Time) store.OrderQuery {
	return store.OrderQuery{ShopID: shopID, PaymentStatus: order.CardAuthorized, Ascending: true,
		OrderedTo: now.Add(order.CaptureWarning - order.CardAuthorizationLife)}
}

// gatherExpiring reads a shop's authorised orders near their limit.
func gatherExpiring(ctx context.Context, st store.Store, sh shop.Shop, now time.Time) (ExpiringAuthorizations, error) {
	var e ExpiringAuthorizations
	q := e.Query(sh.ID, now)
	q.PageSize = MaxExpiringOrders
	page, err := st.SearchOrders(ctx, q)
	if err != nil {
		return e, fmt.Errorf("attention: authorised orders of shop %d near their limit: %w", sh.ID, err)
	}
	e.Total = page.Total
	for _, o := range page.Orders {
		d := o.CaptureDeadline()
		e.Orders = append(e.Orders, CaptureWait{Order: o, Deadline: d, DaysLeft: int(math.Ceil(d.Sub(now).Hours() / 24))})
	}
	return e, nil
}
