package api

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// TestTheCartPostsItsOrdersToTheIntake: the own-cart simulator, as the demo runs it, posts each
// new order to the signed intake and ichigen stores it in 仮売上 with its trade; an order ichigen
// did not take (a 503) is sent again with the next ones, and none is stored twice.
func TestTheCartPostsItsOrdersToTheIntake(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		sim := ownshopsim.New(ownshopsim.Config{})
		sh, err := b.st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: shop.Credentials(sim.Credentials())})
		if err != nil {
			t.Fatal(err)
		}
		var requests atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if requests.Add(1) == 1 {
				http.Error(w, "maintenance", http.StatusServiceUnavailable)
				return
			}
			b.h.ServeHTTP(w, r)
		}))
		t.Cleanup(ts.Close)
		sim.PushTo(ts.URL + Prefix + "/ownshop/shops/" + strconv.FormatInt(sh.ID, 10) + "/orders")

		first := sim.Place(2, true)
		if got := sim.Pushed(); got.Sent != 0 || got.Pending != 2 {
			t.Fatalf("after a 503: %+v, want both orders waiting", got)
		}
		second := sim.Place(1, false)
		if got := sim.Pushed(); got.Sent != 3 || got.Pending != 0 {
			t.Fatalf("after the next order: %+v, want all three sent", got)
		}
		page, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID})
		if err != nil || page.Total != 3 {
			t.Fatalf("%d orders stored, want 3 (%v)", page.Total, err)
		}
		for _, number := range append(first, second...) {
			o, err := b.st.GetOrderByNumber(ctx, sh.ID, number)
			if err != nil || o.PaymentStatus != order.CardAuthorized || ownshop.TradeOf(o) == o.Number {
				t.Errorf("%s: %s, trade %q (%v)", number, o.PaymentStatus.Label(), ownshop.TradeOf(o), err)
			}
		}
		if n := requests.Load(); n != 4 {
			t.Errorf("%d posts, want 4 (one refused, three taken)", n)
		}
	})
}
