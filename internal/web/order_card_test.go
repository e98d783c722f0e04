package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// cardBundle is an own-cart shop on the webコレクト simulator with n card orders authorised on
// it, as the cart sent them but for what edit changes, the UI's client pointed at the simulator.
func cardBundle(t *testing.T, b *testBundle, n int, edit func(i int, o *order.Order)) (*ownshopsim.Server, []int64) {
	t.Helper()
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
		return ownshop.NewClient(channel.Account{ShopID: s.ID, ShopName: s.Name, Credentials: s.Credentials.Plain(), BaseURL: ts.URL, HTTP: &http.Client{Timeout: 5 * time.Second}})
	}
	sim.Place(n, true)
	fetched, err := (&ownshop.Client{FeedURL: ts.URL + "/cart/v1", Secret: creds["cartSecret"]}).Fetch(ctx, sim.Now().Add(-time.Hour), sim.Now().Add(time.Hour))
	if err != nil || len(fetched) != n {
		t.Fatalf("fetch: %d, %v", len(fetched), err)
	}
	for i := range fetched {
		if edit != nil {
			edit(i, &fetched[i])
		}
	}
	res, err := b.st.UpsertOrders(ctx, sh.ID, fetched, store.UpsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sim, res.IDs
}

// card sets an order's payment status and order time.
func card(o *order.Order, ps order.PaymentStatus, orderedAt time.Time) {
	o.PaymentStatus, o.OrderedAt = ps, orderedAt
}

func writesTo(sim *ownshopsim.Server) int {
	n := 0
	for _, c := range sim.Sim.Counters.Snapshot().WriteRequests {
		n += c
	}
	return n
}

// TestCardPaymentIsCancelledFromTheOrderPageAndTheList: a 仮売上 order shows its days left and
// offers the card cancel, a 決済完了 one does not; the cancel needs the box ticked and then
// reaches webコレクト once; the cancelled order offers the seed's method table (no NP後払い
// without CSV) and the change resets the fee; the list's bulk cancel previews what it will do
// and to how many orders, sends nothing until the count is confirmed, and leaves the captured
// order alone.
func TestCardPaymentIsCancelledFromTheOrderPageAndTheList(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		now := time.Now()
		sim, ids := cardBundle(t, b, 4, func(i int, o *order.Order) {
			if i == 1 {
				card(o, order.CardCaptured, now.Add(-10*24*time.Hour))
			} else {
				card(o, order.CardAuthorized, now.Add(-10*24*time.Hour))
			}
		})
		s := b.loginAs(t, only(user.MenuOrders, user.Update))

		page := html.UnescapeString(htmlOf(s, idPath(ids[0])))
		if !strings.Contains(page, `action="`+idPath(ids[0])+`/card-cancel"`) || !strings.Contains(page, `data-days-left="48"`) || !strings.Contains(page, "あと48日") {
			t.Fatalf("a 仮売上 order ordered 10 days ago shows no cancel or not 48 days left:\n%s", page)
		}
		if strings.Contains(page, "/payment-status") {
			t.Fatal("the by-hand payment status is offered to a user who is not an administrator")
		}
		if page := htmlOf(s, idPath(ids[1])); strings.Contains(page, "/card-cancel") {
			t.Fatal("a 決済完了 order offers the card cancel")
		}
		if msg := flash(s.do(http.MethodPost, idPath(ids[0])+"/card-cancel", url.Values{})); !strings.Contains(msg, "チェックを入れてから") || writesTo(sim) != 0 {
			t.Fatalf("without the box ticked: %q, %d writes", msg, writesTo(sim))
		}
		if msg := flash(s.do(http.MethodPost, idPath(ids[1])+"/card-cancel", url.Values{"sure": {"1"}})); !strings.Contains(msg, "管理画面より") || writesTo(sim) != 0 {
			t.Fatalf("決済完了: %q, %d writes", msg, writesTo(sim))
		}
		if msg := flash(s.do(http.MethodPost, idPath(ids[0])+"/card-cancel", url.Values{"sure": {"1"}})); !strings.Contains(msg, "カード決済をキャンセルしました") {
			t.Fatalf("cancel: %q", msg)
		}
		if o, _ := b.st.GetOrder(ctx, ids[0]); o.PaymentStatus != order.CardCancelled || writesTo(sim) != 1 {
			t.Fatalf("after the cancel: %s, %d writes", o.PaymentStatus.Label(), writesTo(sim))
		}

		page = htmlOf(s, idPath(ids[0]))
		if !strings.Contains(page, `action="`+idPath(ids[0])+`/payment-method"`) || !strings.Contains(page, `value="銀行振込"`) || strings.Contains(page, `value="NP後払い"`) {
			t.Fatalf("the cancelled order's method change is not the seed's table without NP後払い:\n%s", page)
		}
		if msg := flash(s.do(http.MethodPost, idPath(ids[0])+"/payment-method", url.Values{"method": {"NP後払い"}})); !strings.Contains(msg, "手動連携(CSV運用)") {
			t.Fatalf("NP後払い without CSV: %q", msg)
		}
		if msg := flash(s.do(http.MethodPost, idPath(ids[0])+"/payment-method", url.Values{"method": {"代金引換"}})); !strings.Contains(msg, "手数料は0円") {
			t.Fatalf("method change: %q", msg)
		}
		if o, _ := b.st.GetOrder(ctx, ids[0]); o.PaymentMethod != "代金引換" || o.Amounts.PaymentFee != order.YenOf(0) || o.MarketplaceStatus != order.StatusAwaitingShipment {
			t.Fatalf("after the method change: %s, fee %v, %s", o.PaymentMethod, o.Amounts.PaymentFee, o.MarketplaceStatus)
		}

		form := url.Values{"id": {i64toa(ids[1]), i64toa(ids[2]), i64toa(ids[3])}}
		w := s.do(http.MethodPost, "/orders/card-cancel", form)
		page = html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(page, "2件の注文のカード決済をクロネコwebコレクトでキャンセルします") ||
			!strings.Contains(page, "1件はキャンセルできないため含めません。") || !strings.Contains(page, "2件のカード決済をキャンセルする") || !strings.Contains(page, `name="confirm_count" value="2"`) {
			t.Fatalf("preview %d:\n%s", w.Code, page)
		}
		if n := writesTo(sim); n != 1 {
			t.Fatalf("%d writes before the count was confirmed", n)
		}
		form.Set("confirm_count", "3")
		if w := s.do(http.MethodPost, "/orders/card-cancel", form); !strings.Contains(html.UnescapeString(w.Body.String()), "確認した件数(3件)と") || writesTo(sim) != 1 {
			t.Fatalf("a wrong count confirmed: %d writes", writesTo(sim))
		}
		form.Set("confirm_count", "2")
		if msg := flash(s.do(http.MethodPost, "/orders/card-cancel", form)); !strings.Contains(msg, "2件の注文のカード決済をキャンセルしました") {
			t.Fatalf("confirmed: %q", msg)
		}
		for _, id := range ids[2:] {
			if o, _ := b.st.GetOrder(ctx, id); o.PaymentStatus != order.CardCancelled {
				t.Errorf("order %d after the bulk cancel: %s", id, o.PaymentStatus.Label())
			}
		}
		if o, _ := b.st.GetOrder(ctx, ids[1]); o.PaymentStatus != order.CardCaptured || writesTo(sim) != 3 {
			t.Errorf("the captured order: %s; %d writes, want 3", o.PaymentStatus.Label(), writesTo(sim))
		}
		if msg := flash(s.do(http.MethodPost, "/orders/card-cancel", url.Values{"id": {i64toa(ids[1]), i64toa(b.orderID[0])}})); !strings.Contains(msg, "キャンセルできる注文(自社カートの「仮売上」)がありません") {
			t.Fatalf("nothing to cancel: %q", msg)
		}
	})
}

// TestOnlyAnAdministratorSetsThePaymentStatusByHand: 見た目上のステータス変更 is offered to and
// taken from administrators only, needs a reason, keeps it in the order's history and sends
// nothing to webコレクト.
func TestOnlyAnAdministratorSetsThePaymentStatusByHand(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		sim, ids := cardBundle(t, b, 1, nil)
		clerk := b.loginAs(t, only(user.MenuOrders, user.Update))
		form := url.Values{"status": {string(order.CardCancelled)}, "reason": {"クロネコ側で実売上後のキャンセルに成功したため"}}
		if msg := flash(clerk.do(http.MethodPost, idPath(ids[0])+"/payment-status", form)); !strings.Contains(msg, "管理者だけ") {
			t.Fatalf("a clerk setting the payment status: %q", msg)
		}
		if o, _ := b.st.GetOrder(ctx, ids[0]); o.PaymentStatus != order.CardAuthorized {
			t.Fatalf("a clerk set the payment status: %s", o.PaymentStatus.Label())
		}
		admin := b.loginAs(t, user.AdminPermissions())
		if page := htmlOf(admin, idPath(ids[0])); !strings.Contains(page, `action="`+idPath(ids[0])+`/payment-status"`) {
			t.Fatal("an administrator is not offered the by-hand payment status")
		}
		if msg := flash(admin.do(http.MethodPost, idPath(ids[0])+"/payment-status", url.Values{"status": {string(order.CardCancelled)}, "reason": {"  "}})); !strings.Contains(msg, "理由を指定してください") {
			t.Fatalf("without a reason: %q", msg)
		}
		if msg := flash(admin.do(http.MethodPost, idPath(ids[0])+"/payment-status", form)); !strings.Contains(msg, "連携していません") {
			t.Fatalf("by hand: %q", msg)
		}
		o, _ := b.st.GetOrder(ctx, ids[0])
		events, _ := b.st.ListOrderEvents(ctx, ids[0])
		found := false
		for _, e := range events {
			found = found || strings.Contains(e.Message, "実売上後のキャンセルに成功したため")
		}
		if o.PaymentStatus != order.CardCancelled || !found || writesTo(sim) != 0 {
			t.Fatalf("by hand: %s, reason kept %v, %d writes", o.PaymentStatus.Label(), found, writesTo(sim))
		}
	})
}

// TestAttentionCountsDownAuthorizationsNearTheirLimit: 要対応 lists an own cart's 仮売上 orders
// from 7 days before their 58 days, with the days left and a link to the list, and not those
// further from it.
func TestAttentionCountsDownAuthorizationsNearTheirLimit(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		now := time.Now()
		_, ids := cardBundle(t, b, 3, func(i int, o *order.Order) {
			switch i {
			case 0:
				card(o, order.CardAuthorized, now.Add(-55*24*time.Hour))
			case 1:
				card(o, order.CardAuthorized, now.Add(-50*24*time.Hour))
			default:
				card(o, order.CardCaptured, now.Add(-56*24*time.Hour))
			}
		})
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		page := html.UnescapeString(htmlOf(s, attentionPath))
		if !strings.Contains(page, `data-countdown="expiring-authorizations" data-count="1"`) || !strings.Contains(page, `data-days-left="3"`) ||
			!strings.Contains(page, "売上確定の期限(注文から58日)まで7日以内の注文が1件あります。") || !strings.Contains(page, "payment=card_authorized") {
			t.Fatalf("要対応 without the countdown of the order 3 days from its limit:\n%s", page)
		}
		if strings.Contains(page, idPath(ids[1])+`"`) || strings.Contains(page, idPath(ids[2])+`"`) {
			t.Fatal("要対応 lists an order 8 days from its limit or a captured one")
		}
	})
}
