package api

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAttentionListsOrdersWaitingForPostage: GET /attention gives each shop's orders at
// 注文確認待ち whose postage is not fixed, with the days left before RMS cancels them and a filter
// that GET /orders takes as it is to find exactly them; once the marketplace has cancelled them,
// they are gone.
func TestAttentionListsOrdersWaitingForPostage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		b.h.deps.Now = func() time.Time { return base.Add(10*time.Minute + 3*24*time.Hour) } // 3 days after the oldest
		got := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
		w := got.Shops[0].UnfixedPostage
		if !got.NeedsAttention || w.Count != 2 || w.CancelAfterDays != 14 || len(w.Orders) != 2 || w.Orders[0].DaysLeft == nil || *w.Orders[0].DaysLeft != 11 {
			t.Fatalf("orders waiting for postage: %+v", w)
		}
		q := url.Values{"shop": {i64(w.Filter.Shop)}, "postage": {w.Filter.Postage}, "marketplace_status": {w.Filter.MarketplaceStatus}}
		page := decode[OrderPage](t, b.do(t, viewer, http.MethodGet, "/orders?"+q.Encode(), nil), http.StatusOK)
		if page.Total != 2 || page.Orders[0].Number != w.Orders[1].Number && page.Orders[0].Number != w.Orders[0].Number {
			t.Fatalf("the filter finds %+v", page.Orders)
		}
		cancelWaitingForPostage(t, b)
		if calm := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK); calm.Shops[0].UnfixedPostage.Count != 0 {
			t.Fatalf("cancelled orders still wait: %+v", calm.Shops[0].UnfixedPostage)
		}
	})
}

// cancelWaitingForPostage has the marketplace cancel the fixture's orders waiting for their
// postage, as RMS does 14 days after the order.
func cancelWaitingForPostage(t *testing.T, b *testBundle) {
	t.Helper()
	orders := storetest.MakeOrders(1, len(b.orderID), base)
	for i := range orders {
		if !orders[i].Amounts.Postage.Fixed() {
			orders[i].MarketplaceStatus, orders[i].MarketplaceStatusRaw = order.StatusCancelled, "900"
		}
	}
	if _, err := b.st.UpsertOrders(context.Background(), b.shop.ID, orders, store.UpsertOptions{}); err != nil {
		t.Fatal(err)
	}
}
