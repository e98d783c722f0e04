package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

func TestCardCancelIsSentOnlyWhileAuthorized(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		sim := ownshopsim.New(ownshopsim.Config{})
		ts := httptest.NewServer(sim.Handler())
		t.Cleanup(ts.Close)
		creds := shop.Credentials(sim.Credentials())
		creds["endpoint"] = ts.URL
		sh, err := b.st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		b.h.deps.Client = func(s shop.Shop) (channel.Client, error) {
			return ownshop.NewClient(channel.Account{ShopID: s.ID, ShopName: s.Name, Credentials: s.Credentials.Plain(), BaseURL: ts.URL, HTTP: &http.Client{Timeout: time.Second}})
		}
		sim.Place(3, true)
		fetched, err := (&ownshop.Client{FeedURL: ts.URL + "/cart/v1", Secret: creds["cartSecret"]}).Fetch(ctx, sim.Now().Add(-time.Hour), sim.Now().Add(time.Hour))
		if err != nil || len(fetched) != 3 {
			t.Fatalf("fetch: %d, %v", len(fetched), err)
		}
		fetched[1].PaymentStatus, fetched[1].MarketplaceUpdatedAt = order.CardCaptured, fetched[1].MarketplaceUpdatedAt.Add(time.Second)
		fetched[2].PaymentStatus = order.CardUnsettled
		res, err := b.st.UpsertOrders(ctx, sh.ID, fetched, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		type results struct {
			Results []CardResult `json:"results"`
		}
		got := decode[results](t, b.do(t, token, http.MethodPost, "/orders/card-cancel", map[string]any{"ids": res.IDs}), http.StatusOK)
		if len(got.Results) != 3 {
			t.Fatalf("results: %+v", got)
		}
		authorized, captured, unsettled := got.Results[0], got.Results[1], got.Results[2]
		if !authorized.OK || authorized.PaymentStatus != string(order.CardCancelled) {
			t.Errorf("仮売上: %+v", authorized)
		}
		if captured.OK || !strings.Contains(captured.Message, "管理画面より") {
			t.Errorf("決済完了: %+v", captured)
		}
		if unsettled.OK || !strings.Contains(unsettled.Message, "連動されません") {
			t.Errorf("要確認: %+v", unsettled)
		}
		if o, _ := b.st.GetOrder(ctx, res.IDs[0]); o.PaymentStatus != order.CardCancelled || o.MarketplaceStatus != order.StatusCancelled {
			t.Errorf("stored after the cancel: %s %s", o.PaymentStatus.Label(), o.MarketplaceStatus)
		}
		writes := 0
		for _, n := range sim.Sim.Counters.Snapshot().WriteRequests {
			writes += n
		}
		if writes != 1 {
			t.Errorf("%d cancels sent to webコレクト, want only the 仮売上 order's", writes)
		}
	})
}
