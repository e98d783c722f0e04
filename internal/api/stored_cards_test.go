package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestStoredCardsOfACartMember: an order the cart posts with a member id is found by the member
// id; the member's cards are listed masked as webコレクト answers them, one is deleted by a user
// who may update orders (not by one who may only view), in 操作履歴 with the member id and the
// masked card; a second delete of it, a guest's member id and a wrong access key each get a
// Japanese message saying what to do.
func TestStoredCardsOfACartMember(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		sim := ownshopsim.New(ownshopsim.Config{Secret: testCartSecret})
		ts := httptest.NewServer(sim.Handler())
		t.Cleanup(ts.Close)
		creds := shop.Credentials(sim.Credentials())
		creds["endpoint"] = ts.URL
		sh, err := b.st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		b.h.deps.Client = func(s shop.Shop) (channel.Client, error) {
			return ownshop.NewClient(channel.Account{ShopID: s.ID, ShopName: s.Name, Credentials: s.Credentials.Plain(), BaseURL: ts.URL, HTTP: &http.Client{Timeout: 5 * time.Second}})
		}
		taro := webcollect.Member{ID: "M-000123", AuthenticationKey: "k7f3a9c1"}
		for _, last4 := range []string{"1111", "4242"} {
			if _, ok := sim.Gateway.StoreCard(taro, last4, "1229", "TARO YAMADA"); !ok {
				t.Fatal("card not stored")
			}
		}
		raw, _ := json.Marshal(cartOrderExample) // the OpenAPI example carries the member
		posted := decode[CartOrderResult](t, b.postCart(t, sh.ID, raw, testCartSecret), http.StatusOK)
		guest := cartOrderExample
		guest.Number, guest.Payment.OrderNo, guest.Payment.MemberID, guest.Payment.AuthenticationKey = "C-guest", "Cguest", "", ""
		raw, _ = json.Marshal(guest)
		decode[CartOrderResult](t, b.postCart(t, sh.ID, raw, testCartSecret), http.StatusOK)

		base := "/shops/" + strconv.FormatInt(sh.ID, 10) + "/members/"
		viewer, updater := b.tokenFor(t, only(user.MenuOrders, user.View)), b.tokenFor(t, only(user.MenuOrders, user.Update))
		got := decode[StoredCards](t, b.do(t, viewer, http.MethodGet, base+taro.ID+"/cards", nil), http.StatusOK)
		if got.MemberID != taro.ID || len(got.OrderIDs) != 1 || got.OrderIDs[0] != posted.OrderID || len(got.Cards) != 2 {
			t.Fatalf("listed %+v", got)
		}
		for i, c := range got.Cards {
			if !strings.HasPrefix(c.MaskedNumber, "****") || !strings.HasSuffix(c.MaskedNumber, []string{"1111", "4242"}[i]) || c.Expiry != "1229" {
				t.Fatalf("card %d not masked as A03 answers it: %+v", i, c)
			}
		}
		del := base + taro.ID + "/cards/" + got.Cards[0].CardKey
		problem(t, b.do(t, viewer, http.MethodDelete, del, nil), http.StatusForbidden)
		if n := sim.Sim.Counters.Snapshot().Operations[webcollect.FuncCreditInfoDelete.Name]; n != 0 {
			t.Fatalf("a viewer's delete reached webコレクト %d times", n)
		}
		msg := decode[MessageResult](t, b.do(t, updater, http.MethodDelete, del, nil), http.StatusOK)
		if !strings.Contains(msg.Message, "************1111") {
			t.Fatalf("delete: %q", msg.Message)
		}
		if got = decode[StoredCards](t, b.do(t, viewer, http.MethodGet, base+taro.ID+"/cards", nil), http.StatusOK); len(got.Cards) != 1 || !strings.HasSuffix(got.Cards[0].MaskedNumber, "4242") {
			t.Fatalf("after the delete: %+v", got.Cards)
		}
		events, err := b.st.ListAudit(ctx, 1, 10)
		if err != nil || len(events) == 0 || events[0].Action != "お預かりカードを削除" || !strings.Contains(events[0].Target, taro.ID) || !strings.Contains(events[0].Detail, "************1111") {
			t.Fatalf("操作履歴: %+v, %v", events, err)
		}
		if p := problem(t, b.do(t, updater, http.MethodDelete, del, nil), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "一覧を読み直して") {
			t.Errorf("deleted twice: %q", p.Detail)
		}
		if p := problem(t, b.do(t, viewer, http.MethodGet, base+"M-nobody/cards", nil), http.StatusNotFound); !strings.Contains(p.Detail, "会員IDを確かめて") {
			t.Errorf("unknown member: %q", p.Detail)
		}
		creds["accessKey"] = "9999999"
		if err := b.st.SetShopCredentials(ctx, sh.ID, creds, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if p := problem(t, b.do(t, viewer, http.MethodGet, base+taro.ID+"/cards", nil), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "アクセスキー") {
			t.Errorf("wrong access key: %q", p.Detail)
		}
	})
}
