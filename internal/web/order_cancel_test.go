package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestOrdersAreCancelledFromTheOrderPageAndTheList: an order RMS lets cancel offers
// 「モールでキャンセル」 with RMS's reasons on its page, a shipped one does not; the cancellation
// needs the box ticked, then queues its job; the list's bulk cancellation always shows its
// preview first, with the orders it leaves out, and queues a job per order once confirmed.
func TestOrdersAreCancelledFromTheOrderPageAndTheList(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		var open, other []int64
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch o.MarketplaceStatus {
			case order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingShipment:
				open = append(open, id)
			default:
				other = append(other, id)
			}
		}
		if len(other) == 0 && len(open) > 3 { // RMS ships one: the next import refreshes its status
			o, _ := b.st.GetOrder(ctx, open[len(open)-1])
			o.MarketplaceStatus, o.MarketplaceStatusRaw = order.StatusShipped, "500"
			if _, err := b.st.UpsertOrders(ctx, b.shop.ID, []order.Order{o}, store.UpsertOptions{}); err != nil {
				t.Fatal(err)
			}
			open, other = open[:len(open)-1], []int64{o.ID}
		}
		if len(open) < 3 || len(other) == 0 {
			t.Fatalf("the fixture has %d orders RMS lets cancel and %d others", len(open), len(other))
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		if page := htmlOf(s, idPath(open[0])); !strings.Contains(page, `action="`+idPath(open[0])+`/cancel"`) || !strings.Contains(page, "店舗都合: 欠品") {
			t.Fatal("an order RMS lets cancel offers no cancellation with RMS's reasons")
		}
		if page := htmlOf(s, idPath(other[0])); strings.Contains(page, `/cancel"`) {
			t.Fatal("an order RMS does not let cancel offers the cancellation")
		}
		if msg := flash(s.do(http.MethodPost, idPath(open[0])+"/cancel", url.Values{"reason": {"8"}})); !strings.Contains(msg, "チェックを入れてから") {
			t.Fatalf("without the box ticked: %q", msg)
		}
		if msg := flash(s.do(http.MethodPost, idPath(open[0])+"/cancel", url.Values{"reason": {"8"}, "sure": {"1"}})); !strings.Contains(msg, "モールでのキャンセルを受け付けました") {
			t.Fatalf("cancel: %q", msg)
		}
		queued := b.queued(t, jobs.CancelOrderArgs{}.Kind())
		var args jobs.CancelOrderArgs
		if len(queued) != 1 || json.Unmarshal([]byte(queued[0]), &args) != nil || args.OrderID != open[0] || args.Reason != "8" {
			t.Fatalf("queued %v", queued)
		}

		form := url.Values{"cancel_reason": {"1"}, "id": {i64toa(open[1]), i64toa(open[2]), i64toa(other[0])}}
		w := s.do(http.MethodPost, "/orders/cancel", form)
		page := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(page, "2件の注文をモールでキャンセルします(取り消せません)。") || !strings.Contains(page, "1件はキャンセルできないため含めません。") || !strings.Contains(page, "2件をモールでキャンセルする") {
			t.Fatalf("preview %d:\n%s", w.Code, page)
		}
		if n := len(b.queued(t, jobs.CancelOrderArgs{}.Kind())); n != 1 {
			t.Fatalf("%d jobs before the count was confirmed", n)
		}
		form.Set("confirm_count", strconv.Itoa(2))
		if msg := flash(s.do(http.MethodPost, "/orders/cancel", form)); !strings.Contains(msg, "2件の注文のモールでのキャンセルを受け付けました。") {
			t.Fatalf("confirmed: %q", msg)
		}
		if n := len(b.queued(t, jobs.CancelOrderArgs{}.Kind())); n != 3 {
			t.Fatalf("%d jobs, want 3", n)
		}
		// 「検索結果すべて」 with the list's other fields as the browser posts them: the preview, not
		// a refusal of the unknown search condition.
		w = s.do(http.MethodPost, "/orders/cancel", url.Values{"all": {"1"}, "cancel_reason": {"1"}, "paid_on": {""}, "postage_amount": {""}})
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(page, "件の注文をモールでキャンセルします(取り消せません)。") {
			t.Fatalf("every result: %d %q", w.Code, flash(w))
		}
	})
}
