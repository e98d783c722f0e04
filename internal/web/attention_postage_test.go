package web

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

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
