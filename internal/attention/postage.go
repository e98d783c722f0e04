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

// MaxUnfixedPostageOrders bounds the orders listed per shop in UnfixedPostage; the count and the
// order list's filter have them all.
const MaxUnfixedPostageOrders = 20

// UnfixedPostage are a shop's orders at 注文確認待ち whose postage is not fixed yet (送料未確定,
// Rakuten -9999): they cannot be confirmed until it is, and the marketplace cancels them when
// they stay unconfirmed (RMS: 14 days after the order). The fix is to enter the postage — in RMS,
// or in ichigen's order detail, which pushes it to RMS — and then to confirm them.
type UnfixedPostage struct {
	// Total counts them, up to store.CountCap+1 (store.Capped).
	Total int64
	// Orders are the first MaxUnfixedPostageOrders of them, the soonest cancelled first.
	Orders []PostageWait
	// CancelAfter is how long after the order the marketplace cancels it; 0 when it does not.
	CancelAfter time.Duration
}

// PostageWait is one order waiting for its postage.
type PostageWait struct {
	Order order.Order
	// CancelAt is when the marketplace cancels the order if it is still unconfirmed, and
	// DaysLeft the days until then, a part of a day as a whole one (0 or less: due). Both are
	// zero when the marketplace does not cancel.
	CancelAt time.Time
	DaysLeft int
}

// Query is the order list's search that finds every one of them.
func (u UnfixedPostage) Query(shopID int64) store.OrderQuery {
	return store.OrderQuery{ShopID: shopID, PostageUnfixed: true, MarketplaceStatus: order.StatusUnconfirmed, Ascending: true}
}

// gatherUnfixedPostage reads a shop's orders waiting for their postage, on the small partial
// index of the orders whose postage is not fixed.
func gatherUnfixedPostage(ctx context.Context, st store.Store, sh shop.Shop, now time.Time) (UnfixedPostage, error) {
	u := UnfixedPostage{CancelAfter: sh.Channel.UnconfirmedCancelAfter()}
	q := u.Query(sh.ID)
	q.PageSize = MaxUnfixedPostageOrders
	page, err := st.SearchOrders(ctx, q)
	if err != nil {
		return u, fmt.Errorf("attention: orders of shop %d waiting for postage: %w", sh.ID, err)
	}
	u.Total = page.Total
	for _, o := range page.Orders {
		w := PostageWait{Order: o}
		if u.CancelAfter > 0 {
			w.CancelAt = o.OrderedAt.Add(u.CancelAfter)
			w.DaysLeft = int(math.Ceil(w.CancelAt.Sub(now).Hours() / 24))
		}
		u.Orders = append(u.Orders, w)
	}
	return u, nil
}
