package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestStoredCardsPageListsMaskedAndDeletesAfterConfirmation: the demo cart's member order links
// to its member's stored cards, a guest's does not; the page lists them masked; a user who may
// only view sees no delete and cannot post one; the delete asks for confirmation naming the
// card, sends nothing without the box ticked, then reaches webコレクト once and is in 操作履歴.
func TestStoredCardsPageListsMaskedAndDeletesAfterConfirmation(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		sim, ids := cardBundle(t, b, ownshopsim.MemberEvery, func(_ int, o *order.Order) { card(o, order.CardAuthorized, time.Now()) })
		guestID, memberID := ids[0], ids[ownshopsim.MemberEvery-1]
		o, err := b.st.GetOrder(ctx, memberID)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := ownshop.MemberOf(o)
		if !ok {
			t.Fatal("the demo cart's third order has no member")
		}
		if err := b.st.SetOrderMembers(ctx, o.ShopID, map[int64]string{memberID: m.ID}); err != nil { // as the intake does
			t.Fatal(err)
		}
		viewer, updater := b.loginAs(t, only(user.MenuOrders, user.View)), b.loginAs(t, only(user.MenuOrders, user.Update))
		if page := htmlOf(viewer, idPath(guestID)); strings.Contains(page, "/cards") {
			t.Fatal("a guest's order links to stored cards")
		}
		if page := htmlOf(viewer, idPath(memberID)); !strings.Contains(page, idPath(memberID)+"/cards") {
			t.Fatal("a member's order does not link to the member's stored cards")
		}
		w := viewer.do(http.MethodGet, idPath(memberID)+"/cards", nil)
		cards := "/shops/" + strconv.FormatInt(o.ShopID, 10) + "/cards"
		if loc := w.Header().Get("Location"); loc != cards+"?member="+url.QueryEscape(m.ID) {
			t.Fatalf("the order's link goes to %q", loc)
		}
		page := htmlOf(viewer, cards+"?member="+url.QueryEscape(m.ID))
		if !strings.Contains(page, "data-card-key=") || !strings.Contains(page, "************") || strings.Contains(page, "confirm=") {
			t.Fatalf("the viewer's page does not list the card masked, or offers the delete:\n%s", page)
		}
		stored, _ := ownshopStoredCards(sim, m)
		if len(stored) != 1 {
			t.Fatalf("the simulator holds %d cards for the member", len(stored))
		}
		key := stored[0].CardKey
		del := url.Values{"member": {m.ID}, "card_key": {key}, "sure": {"1"}}
		if w := viewer.do(http.MethodPost, cards+"/delete", del); w.Code != http.StatusForbidden {
			t.Fatalf("a viewer's delete answered %d", w.Code)
		}
		page = htmlOf(updater, cards+"?member="+url.QueryEscape(m.ID))
		if !strings.Contains(page, "confirm="+key) {
			t.Fatalf("the updater is not offered the delete:\n%s", page)
		}
		page = htmlOf(updater, confirmCardPath(o.ShopID, m.ID, key))
		if !strings.Contains(page, `data-confirm-card="`+key+`"`) || !strings.Contains(page, stored[0].MaskingCardNo) || !strings.Contains(page, "取り消せません") {
			t.Fatalf("no confirmation naming the card:\n%s", page)
		}
		deletes := func() int { return sim.Sim.Counters.Snapshot().Operations[webcollect.FuncCreditInfoDelete.Name] }
		if msg := flash(updater.do(http.MethodPost, cards+"/delete", url.Values{"member": {m.ID}, "card_key": {key}})); !strings.Contains(msg, "チェックを入れて") || deletes() != 0 {
			t.Fatalf("unconfirmed delete: %q, %d deletes", msg, deletes())
		}
		if msg := flash(updater.do(http.MethodPost, cards+"/delete", del)); !strings.Contains(msg, "削除しました") || deletes() != 1 {
			t.Fatalf("delete: %q, %d deletes", msg, deletes())
		}
		if left, _ := ownshopStoredCards(sim, m); len(left) != 0 {
			t.Fatalf("still stored: %+v", left)
		}
		events, err := b.st.ListAudit(ctx, 1, 5)
		if err != nil || len(events) == 0 || events[0].Action != "お預かりカードを削除" || !strings.Contains(events[0].Target, m.ID) || !strings.Contains(events[0].Detail, stored[0].MaskingCardNo) {
			t.Fatalf("操作履歴: %+v, %v", events, err)
		}
	})
}

// ownshopStoredCards reads a member's cards straight from the simulator's gateway.
func ownshopStoredCards(sim *ownshopsim.Server, m webcollect.Member) ([]webcollect.CardData, error) {
	return sim.Gateway.StoredCardsOf(m), nil
}
