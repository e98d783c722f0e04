package app

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
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestAnOwnCartEditChangesTheAuthorisedAmountThroughTheJob (issue 16, seed 004): an operator's
// change of the postage of an own-cart card order in 仮売上 goes through the edit job to
// webコレクト's amount change (A07) in the same step; the stored order, its cart payload and the
// trade all hold the new amount, and the history has the line before → after. On both engines.
func TestAnOwnCartEditChangesTheAuthorisedAmountThroughTheJob(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, db string) {
		ctx := context.Background()
		sim := ownshopsim.New(ownshopsim.Config{})
		ts := httptest.NewServer(sim.Handler())
		t.Cleanup(ts.Close)
		srv, _ := startInstances(t, db, 1, notifytest.StartInbox(t), WithClock(sim.Now))
		creds := shop.Credentials(sim.Credentials())
		creds["endpoint"] = ts.URL
		sh, err := srv.Store.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		c, err := ownshop.NewClient(channel.Account{ShopID: sh.ID, ShopName: sh.Name, Credentials: creds.Plain(), BaseURL: ts.URL, HTTP: &http.Client{Timeout: 5 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		client := c.(*ownshop.Client)
		sim.Place(1, true)
		fetched, err := client.Fetch(ctx, sim.Now().Add(-time.Hour), sim.Now().Add(time.Hour))
		if err != nil || len(fetched) != 1 || fetched[0].PaymentStatus != order.CardAuthorized {
			t.Fatalf("fetch: %d, %v", len(fetched), err)
		}
		phases, _ := srv.Store.ListPhases(ctx)
		res, err := srv.Store.UpsertOrders(ctx, sh.ID, fetched, store.UpsertOptions{PhaseID: phases[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		id := res.IDs[0]
		o, _ := srv.Store.GetOrder(ctx, id)
		postage := int64(1650)
		old, _ := o.Amounts.Postage.Value()
		total, _ := o.Amounts.Requested.Value()
		want := total + postage - old
		if _, err := orderops.EditOne(ctx, srv.Store, srv.Queue, id, order.Change{Postage: &postage}, "operator"); err != nil {
			t.Fatal(err)
		}
		var got order.Order
		if !storetest.Await(t, 30*time.Second, func() bool {
			got, _ = srv.Store.GetOrder(ctx, id)
			return got.Amounts.Requested == order.YenOf(want)
		}, srv.Queue) {
			t.Fatalf("order never changed: %v, %q", got.Amounts.Requested, got.LinkMessage)
		}
		info, found, err := client.Gateway.TradeInfo(ctx, ownshop.TradeOf(got))
		if err != nil || !found || info.SettlePrice != want {
			t.Fatalf("webコレクト holds %d (%v, %v), want %d", info.SettlePrice, found, err, want)
		}
		if got.PaymentStatus != order.CardAuthorized || !strings.Contains(string(got.RawPayload), `"postage":1650`) {
			t.Fatalf("stored: %s, payload %s", got.PaymentStatus.Label(), got.RawPayload)
		}
		events, _ := srv.Store.ListOrderEvents(ctx, id)
		found = false
		for _, e := range events {
			found = found || (e.Kind == order.EventEdited && strings.Contains(e.Message, "送料: "+o.Amounts.Postage.String()+" → ¥1,650"))
		}
		if !found {
			t.Fatalf("no change in the history: %+v", events)
		}
	})
}
