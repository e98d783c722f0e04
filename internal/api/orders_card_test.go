package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
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
		// 決済方法の変更 after the cancel: the seed's table, fee 0, back to 未配送, a warning kept.
		problem(t, b.do(t, token, http.MethodPost, "/orders/"+strconv.FormatInt(res.IDs[0], 10)+"/payment-method", map[string]any{"method": "NP後払い"}), http.StatusUnprocessableEntity)
		problem(t, b.do(t, token, http.MethodPost, "/orders/"+strconv.FormatInt(res.IDs[2], 10)+"/payment-method", map[string]any{"method": "銀行振込"}), http.StatusConflict)
		decode[MessageResult](t, b.do(t, token, http.MethodPost, "/orders/"+strconv.FormatInt(res.IDs[0], 10)+"/payment-method", map[string]any{"method": "銀行振込"}), http.StatusOK)
		o, _ := b.st.GetOrder(ctx, res.IDs[0])
		if o.PaymentMethod != "銀行振込" || o.Amounts.PaymentFee != order.YenOf(0) || o.MarketplaceStatus != order.StatusAwaitingShipment {
			t.Errorf("after the method change: %s, fee %v, %s", o.PaymentMethod, o.Amounts.PaymentFee, o.MarketplaceStatus)
		}
		// 見た目上のステータス変更 is an administrator's: a user who may only update orders is refused.
		clerk := b.tokenFor(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		if p := problem(t, b.do(t, clerk, http.MethodPost, "/orders/"+strconv.FormatInt(res.IDs[1], 10)+"/payment-status",
			map[string]any{"status": "card_cancelled", "reason": "試し"}), http.StatusForbidden); !strings.Contains(p.Detail, "管理者") {
			t.Errorf("a clerk's by-hand status: %+v", p)
		}
		// 見た目上のステータス変更: by hand, by an administrator, with the reason in the order's history.
		decode[MessageResult](t, b.do(t, b.admin(t), http.MethodPost, "/orders/"+strconv.FormatInt(res.IDs[1], 10)+"/payment-status",
			map[string]any{"status": "card_cancelled", "reason": "クロネコ側で実売上後のキャンセルに成功したため"}), http.StatusOK)
		events, _ := b.st.ListOrderEvents(ctx, res.IDs[1])
		found := false
		for _, e := range events {
			found = found || strings.Contains(e.Message, "実売上後のキャンセル")
		}
		if o, _ := b.st.GetOrder(ctx, res.IDs[1]); o.PaymentStatus != order.CardCancelled || !found {
			t.Errorf("by hand: %s, reason kept %v", o.PaymentStatus.Label(), found)
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
