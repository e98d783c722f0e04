package web

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestStartPageCountsDownHeldUpOrders: 要対応 lists the orders left unconfirmed, or unpaid in
// 審査中 or at 入金待ち, for more than a day, with the days left before RMS cancels them and what
// to do, and links each group to the order list.
func TestStartPageCountsDownHeldUpOrders(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		now := time.Now()
		orders := storetest.MakeOrders(900, 3, now)
		orders[0].OrderedAt, orders[0].MarketplaceStatus = now.Add(-2*24*time.Hour-time.Hour), order.StatusUnconfirmed
		orders[1].OrderedAt, orders[1].MarketplaceStatus = now.Add(-3*24*time.Hour-time.Hour), order.StatusInReview
		orders[2].OrderedAt, orders[2].MarketplaceStatus = now.Add(-3*24*time.Hour), order.StatusAwaitingPayment
		for i := range orders {
			orders[i].Amounts.Postage, orders[i].PaymentStatus = order.YenOf(660), order.Unpaid
		}
		if _, err := b.st.UpsertOrders(t.Context(), b.shop.ID, orders, store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		page := htmlOf(s, "/attention")
		for _, want := range []string{
			`data-countdown="unconfirmed" data-count="1"`, `data-days-left="12"`, orders[0].Number,
			`data-countdown="in-review" data-count="1"`, `data-days-left="11"`, "審査中のまま1日以上、お客様の入金を待っている注文が1件あります。",
			`data-countdown="awaiting-payment" data-count="1"`, "入金を確かめたら、一覧で選んで「入金確認」してください。",
			`/orders?dir=asc&from=`, `market=in_review&payment=unpaid`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("要対応 lacks %q", want)
			}
		}
	})
}
