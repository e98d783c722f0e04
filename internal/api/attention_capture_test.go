package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAttentionCountsAuthorizationsNearTheirLimit: 要対応 lists an own cart's orders still in 仮売上
// from 7 days before their 58 days end, with the days left; once captured they are gone.
func TestAttentionCountsAuthorizationsNearTheirLimit(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
		b.h.deps.Now = func() time.Time { return now }
		sh, err := b.st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart",
			Credentials: shop.Credentials{"cartSecret": testCartSecret, "traderCode": "888888709"}})
		if err != nil {
			t.Fatal(err)
		}
		near, far := ownshop.ToOrder(cartOrderExample), ownshop.ToOrder(cartOrderExample)
		near.Number, near.OrderedAt = "NEAR", now.Add(-53*24*time.Hour)
		far.Number, far.OrderedAt = "FAR", now.Add(-50*24*time.Hour-time.Hour)
		res, err := b.st.UpsertOrders(ctx, sh.ID, []order.Order{near, far}, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		attention := func() CaptureWaits {
			got := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
			for _, s := range got.Shops {
				if s.ShopID == sh.ID {
					return s.ExpiringAuthorizations
				}
			}
			t.Fatal("no own-cart shop in 要対応")
			return CaptureWaits{}
		}
		if w := attention(); w.Count != 1 || len(w.Orders) != 1 || w.Orders[0].Number != "NEAR" || w.Orders[0].DaysLeft != 5 {
			t.Fatalf("near their limit: %+v", w)
		}
		near.PaymentStatus, near.MarketplaceUpdatedAt = order.CardCaptured, near.MarketplaceUpdatedAt.Add(time.Second)
		if _, err := b.st.UpsertOrders(ctx, sh.ID, []order.Order{near}, store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		if w := attention(); w.Count != 0 {
			t.Fatalf("a captured order still counted: %+v (ids %v)", w, res.IDs)
		}
	})
}
