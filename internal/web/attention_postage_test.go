package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

var unfixedPostageLink = regexp.MustCompile(`<a href="([^"]+)">一覧を開く</a>`)

// TestStartPageListsOrdersWaitingForPostage: 要対応 shows a shop's orders whose postage is not
// fixed at 注文確認待ち, with the days left before RMS cancels them and the fix; its link opens the
// order list of exactly them, and the list's postage filter refuses what it cannot read.
func TestStartPageListsOrdersWaitingForPostage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		var want []order.Order // the fixture's orders with postage 未確定 at 注文確認待ち
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !o.Amounts.Postage.Fixed() && o.MarketplaceStatus == order.StatusUnconfirmed {
				want = append(want, o)
			}
		}
		if len(want) < 2 {
			t.Fatalf("the fixture has %d orders waiting for postage", len(want))
		}
		// Three days after the oldest: 11 days before RMS cancels it.
		b.h.deps.Now = func() time.Time { return want[0].OrderedAt.Add(3 * 24 * time.Hour) }

		s := b.loginAs(t, only(user.MenuOrders, user.View))
		page := s.do(http.MethodGet, "/", nil).Body.String()
		text := html.UnescapeString(page)
		for _, w := range []string{`data-unfixed-postage="` + itoa(len(want)) + `"`, `data-days-left="11"`, want[0].Number,
			"送料が未確定の注文が" + itoa(len(want)) + "件あります", "注文日から14日", "直し方: RMSで送料を設定するか"} {
			if !strings.Contains(text, w) {
				t.Errorf("要対応 lacks %q", w)
			}
		}
		link := unfixedPostageLink.FindStringSubmatch(page)
		if link == nil {
			t.Fatal("no link to the list of the orders waiting for postage")
		}
		list := htmlOf(s, html.UnescapeString(link[1]))
		for _, o := range want {
			if !strings.Contains(list, o.Number) {
				t.Errorf("the list lacks %s", o.Number)
			}
		}
		if strings.Count(list, `href="/orders/`) < len(want) || strings.Contains(list, "338005-20261101-00000001") {
			t.Errorf("the list holds other orders than those waiting for postage")
		}
		if msg := htmlOf(s, "/orders?postage=maybe"); !strings.Contains(msg, "送料の指定「maybe」が読めません。一覧から選び直してください。") {
			t.Error("a postage filter it cannot read is not refused with the fix")
		}
	})
}

// TestPostageIsEnteredOnTheOrderPage: an order whose postage is not fixed offers the fix on its
// page; the postage typed (full-width, with 円) queues the job that pushes it to the marketplace,
// and what cannot be read, or an order whose postage is fixed, is refused with what to do.
func TestPostageIsEnteredOnTheOrderPage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		var waiting, fixed order.Order
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.Amounts.Postage.Fixed() {
				fixed = o
			} else {
				waiting = o
			}
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		if page := htmlOf(s, idPath(waiting.ID)); !strings.Contains(page, `action="`+idPath(waiting.ID)+`/postage"`) {
			t.Fatal("the order page of an order waiting for its postage offers no fix")
		}
		if page := htmlOf(s, idPath(fixed.ID)); strings.Contains(page, "/postage") {
			t.Fatal("an order whose postage is fixed offers the fix")
		}
		w := s.do(http.MethodPost, idPath(waiting.ID)+"/postage", url.Values{"postage": {"６６０円"}})
		if msg := flash(w); !strings.Contains(msg, "送料 660 円をモールに反映する処理を受け付けました") {
			t.Fatalf("postage: %q", msg)
		}
		queued := b.queued(t, "set_postage")
		var args jobs.SetPostageArgs
		if len(queued) != 1 || json.Unmarshal([]byte(queued[0]), &args) != nil || args != (jobs.SetPostageArgs{ShopID: b.shop.ID, OrderID: waiting.ID, Postage: 660}) {
			t.Fatalf("queued %v", queued)
		}
		for _, c := range []struct {
			id            int64
			postage, want string
		}{
			{waiting.ID, "六百円", "送料「六百円」が読めません。0から1,000,000までの円の整数で入力してください(例: 660)。"},
			{waiting.ID, "-1", "送料「-1」が読めません。"},
			{fixed.ID, "660", "この注文の送料は確定しています。"},
		} {
			w := s.do(http.MethodPost, idPath(c.id)+"/postage", url.Values{"postage": {c.postage}})
			if msg := flash(w); !strings.HasPrefix(msg, flashErrorMark) || !strings.Contains(msg, c.want) {
				t.Errorf("postage %q: %q, want %q", c.postage, msg, c.want)
			}
		}
		if n := len(b.queued(t, "set_postage")); n != 1 {
			t.Fatalf("%d jobs queued, want no new one for what was refused", n)
		}
	})
}

// TestPostageIsEnteredForASelection: the order list's 「送料をモールに反映」 first says how many of
// the selected orders take the postage and how many are left alone because theirs is fixed;
// confirmed, it queues a job per order whose postage is not fixed, and a selection with none
// is refused with why.
func TestPostageIsEnteredForASelection(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		var waiting, fixed []int64
		form := url.Values{"postage_amount": {"660"}}
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case o.MarketplaceStatus.Final():
			case o.Amounts.Postage.Fixed():
				fixed = append(fixed, id)
				form.Add("id", i64toa(id))
			default:
				waiting = append(waiting, id)
				form.Add("id", i64toa(id))
			}
		}
		if len(waiting) < 2 || len(fixed) == 0 {
			t.Fatalf("the fixture has %d orders waiting for postage and %d fixed", len(waiting), len(fixed))
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		if page := htmlOf(s, "/orders"); !strings.Contains(page, `formaction="/orders/postage"`) {
			t.Fatal("the order list offers no bulk postage fix")
		}
		w := s.do(http.MethodPost, "/orders/postage", form)
		page := html.UnescapeString(w.Body.String())
		want := fmt.Sprintf("%d件の注文の送料を660円にしてモールに反映します。", len(waiting))
		if w.Code != http.StatusOK || !strings.Contains(page, want) || !strings.Contains(page, fmt.Sprintf("%d件は送料が確定しているため反映しません。", len(fixed))) {
			t.Fatalf("preview %d: want %q and the fixed orders left alone in\n%s", w.Code, want, page)
		}
		if n := len(b.queued(t, "set_postage")); n != 0 {
			t.Fatalf("%d jobs queued before the count was confirmed", n)
		}
		form.Set("confirm_count", strconv.Itoa(len(waiting)))
		msg := flash(s.do(http.MethodPost, "/orders/postage", form))
		if !strings.Contains(msg, fmt.Sprintf("%d件の注文の送料 660 円をモールに反映する処理を受け付けました", len(waiting))) {
			t.Fatalf("confirmed: %q", msg)
		}
		var got []int64
		for _, q := range b.queued(t, "set_postage") {
			var args jobs.SetPostageArgs
			if err := json.Unmarshal([]byte(q), &args); err != nil || args.Postage != 660 || args.ShopID != b.shop.ID {
				t.Fatalf("queued %s", q)
			}
			got = append(got, args.OrderID)
		}
		slices.Sort(got)
		slices.Sort(waiting)
		if !slices.Equal(got, waiting) {
			t.Fatalf("queued the postage of %v, want %v", got, waiting)
		}
		only := url.Values{"postage_amount": {"660"}, "id": {i64toa(fixed[0])}}
		if msg := flash(s.do(http.MethodPost, "/orders/postage", only)); !strings.HasPrefix(msg, flashErrorMark) || !strings.Contains(msg, "どれも送料が確定しています") {
			t.Fatalf("only fixed orders: %q", msg)
		}
	})
}
