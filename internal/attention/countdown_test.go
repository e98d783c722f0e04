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

// TestHeldUpOrdersCountDownToTheMarketplacesCancellation: 要対応 lists a Rakuten shop's orders
// left unconfirmed, or unpaid in 審査中, for more than a day, the oldest first with the days left
// before RMS cancels them (14 days after the order), and the unpaid ones at 入金待ち that wait for
// 入金確認; orders placed within the day, paid ones, and those past the cancellation (cancelled at the
// marketplace, which the next import says) are not listed. On both engines.
func TestHeldUpOrdersCountDownToTheMarketplacesCancellation(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, _ := storetest.NewShop(t, st, "countdown")
			now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
			orders := storetest.MakeOrders(1, 7, now.Add(-time.Minute)) // order k placed k minutes after base
			set := func(i int, at time.Time, status order.MarketplaceStatus, paid order.PaymentStatus) {
				orders[i].OrderedAt, orders[i].MarketplaceStatus, orders[i].PaymentStatus = at, status, paid
				orders[i].Amounts.Postage = order.YenOf(660)
			}
			set(0, now.Add(-12*24*time.Hour-time.Hour), order.StatusUnconfirmed, order.Unpaid) // 2 days left
			set(1, now.Add(-2*24*time.Hour), order.StatusUnconfirmed, order.Unpaid)            // 12 days left
			set(2, now.Add(-time.Hour), order.StatusUnconfirmed, order.Unpaid)                 // placed within the day
			set(3, now.Add(-5*24*time.Hour), order.StatusInReview, order.Unpaid)               // a prepaid order, 9 days left
			set(4, now.Add(-5*24*time.Hour), order.StatusInReview, order.Paid)
			set(5, now.Add(-3*24*time.Hour), order.StatusAwaitingPayment, order.Unpaid)
			set(6, now.Add(-15*24*time.Hour), order.StatusUnconfirmed, order.Unpaid) // past RMS's cancellation: cancelled there
			ids := must(st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{})).IDs

			r, err := attention.Gather(ctx, st, now)
			if err != nil {
				t.Fatal(err)
			}
			var s attention.Shop
			for _, x := range r.Shops {
				if x.Shop.ID == sh.ID {
					s = x
				}
			}
			check := func(name string, c attention.Countdown, want []int64, days []int) {
				t.Helper()
				if c.Total != int64(len(want)) || len(c.Orders) != len(want) {
					t.Fatalf("%s: %d orders (total %d), want %v", name, len(c.Orders), c.Total, want)
				}
				for i, w := range c.Orders {
					if w.Order.ID != want[i] || (days != nil && w.DaysLeft != days[i]) {
						t.Errorf("%s %d: order %d with %d days left, want %d with %v", name, i, w.Order.ID, w.DaysLeft, want[i], days)
					}
				}
			}
			check("unconfirmed", s.Unconfirmed, []int64{ids[0], ids[1]}, []int{2, 12})
			check("in review", s.InReview, []int64{ids[3]}, []int{9})
			check("awaiting payment", s.AwaitingPayment, []int64{ids[5]}, nil)
			if d, ok := s.Unconfirmed.Soonest(); !ok || d != 2 || !s.Needed() {
				t.Errorf("soonest %d %v, needed %v", d, ok, s.Needed())
			}
			if s.AwaitingPayment.CancelAfter != 0 {
				t.Errorf("入金待ち counts down to %v", s.AwaitingPayment.CancelAfter)
			}
			page, err := st.SearchOrders(ctx, s.InReview.Query)
			if err != nil || page.Total != 1 || page.Orders[0].ID != ids[3] {
				t.Fatalf("the list of the unpaid orders in review: %+v, %v", page, err)
			}
		})
	}
}
