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

// StuckAfter is how long after the order an order may wait at the marketplace — unconfirmed
// (注文確認待ち), or in 審査中 / 入金待ち for the buyer's payment — before 要対応 lists it: a
// confirm rule takes a new order within minutes and a card payment's review ends within hours,
// so a day means the order is held up, by an error, a stopped rule or a buyer who has not paid.
const StuckAfter = 24 * time.Hour

// MaxCountdownOrders bounds the orders listed per shop in a Countdown; its count and the order
// list's search have them all.
const MaxCountdownOrders = 20

// Countdown is a shop's orders held up at one marketplace status for more than StuckAfter, the
// oldest (the soonest cancelled) first, with the days left before the marketplace cancels each.
type Countdown struct {
	// Total counts them, up to store.CountCap+1 (store.Capped).
	Total int64
	// Orders are the first MaxCountdownOrders of them.
	Orders []PostageWait
	// CancelAfter is how long after the order the marketplace cancels it; 0 when it does not.
	CancelAfter time.Duration
	// Query is the order list's search that finds every one of them.
	Query store.OrderQuery
}

// Soonest is the fewest days left before the marketplace cancels one of them, and whether it
// cancels them at all.
func (c Countdown) Soonest() (int, bool) {
	if c.CancelAfter <= 0 || len(c.Orders) == 0 {
		return 0, false
	}
	return c.Orders[0].DaysLeft, true
}

// UnconfirmedQuery finds a shop's orders at 注文確認待ち placed before now-StuckAfter, oldest
// first; with a cancellation (cancelAfter > 0), only those the marketplace has not cancelled by
// now: an order past it is cancelled there, and the next import says so.
func UnconfirmedQuery(shopID int64, cancelAfter time.Duration, now time.Time) store.OrderQuery {
	return heldQuery(store.OrderQuery{ShopID: shopID, MarketplaceStatus: order.StatusUnconfirmed}, cancelAfter, now)
}

// UnpaidQuery finds a shop's unpaid orders at a marketplace status (審査中, 入金待ち) placed
// before now-StuckAfter, oldest first, and as UnconfirmedQuery not past their cancellation.
func UnpaidQuery(shopID int64, status order.MarketplaceStatus, cancelAfter time.Duration, now time.Time) store.OrderQuery {
	return heldQuery(store.OrderQuery{ShopID: shopID, MarketplaceStatus: status, PaymentStatus: order.Unpaid}, cancelAfter, now)
}

func heldQuery(q store.OrderQuery, cancelAfter time.Duration, now time.Time) store.OrderQuery {
	q.OrderedTo, q.Ascending = now.Add(-StuckAfter), true
	if cancelAfter > 0 {
		q.OrderedFrom = now.Add(-cancelAfter)
	}
	return q
}

// gatherCountdowns reads a shop's held-up orders: unconfirmed ones counting down to the
// marketplace's cancellation of unconfirmed orders (RMS: 14 days, seed 001), unpaid ones in
// 審査中 counting down to its cancellation of unpaid ones, and unpaid ones at 入金待ち, which wait
// for the shop's own 入金確認.
func gatherCountdowns(ctx context.Context, st store.Store, sh shop.Shop, now time.Time) (unconfirmed, inReview, awaiting Countdown, err error) {
	unconfirmedAfter, unpaidAfter := sh.Channel.UnconfirmedCancelAfter(), sh.Channel.UnpaidCancelAfter()
	if unconfirmed, err = gatherCountdown(ctx, st, UnconfirmedQuery(sh.ID, unconfirmedAfter, now), unconfirmedAfter, now); err != nil {
		return
	}
	if inReview, err = gatherCountdown(ctx, st, UnpaidQuery(sh.ID, order.StatusInReview, unpaidAfter, now), unpaidAfter, now); err != nil {
		return
	}
	awaiting, err = gatherCountdown(ctx, st, UnpaidQuery(sh.ID, order.StatusAwaitingPayment, 0, now), 0, now)
	return
}

func gatherCountdown(ctx context.Context, st store.Store, q store.OrderQuery, cancelAfter time.Duration, now time.Time) (Countdown, error) {
	c := Countdown{CancelAfter: cancelAfter, Query: q}
	q.PageSize = MaxCountdownOrders
	page, err := st.SearchOrders(ctx, q)
	if err != nil {
		return c, fmt.Errorf("attention: orders of shop %d held at %s: %w", q.ShopID, q.MarketplaceStatus.Label(), err)
	}
	c.Total = page.Total
	for _, o := range page.Orders {
		c.Orders = append(c.Orders, countdownOf(o, cancelAfter, now))
	}
	return c, nil
}

// countdownOf is an order's cancellation day and the days left until it, a part of a day as a
// whole one (0 or less: due); zero when the marketplace does not cancel.
func countdownOf(o order.Order, cancelAfter time.Duration, now time.Time) PostageWait {
	w := PostageWait{Order: o}
	if cancelAfter > 0 {
		w.CancelAt = o.OrderedAt.Add(cancelAfter)
		w.DaysLeft = int(math.Ceil(w.CancelAt.Sub(now).Hours() / 24))
	}
	return w
}
