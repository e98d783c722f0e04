package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestSavedSearchListsExactlyItsOrders: 「この条件を保存」 keeps the list's filter; the side bar shows
// it with the count of its orders, its link lists exactly them, a second one of the same name is
// refused in Japanese, a view-only user sees it but can neither save nor delete, and the delete
// removes it, on both engines.
func TestSavedSearchListsExactlyItsOrders(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		hold := i64toa(b.phases["保留"].ID)
		held := b.orderID[3:7]
		if _, err := b.st.MoveOrders(ctx, held, b.phases["保留"].ID, "hanako"); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		if list := s.do(http.MethodGet, "/orders?phase="+hold, nil).Body.String(); !strings.Contains(list, `action="/orders/saved"`) {
			t.Fatal("the list has no 「この条件を保存」 form for a user who may update orders")
		}
		w := s.do(http.MethodPost, "/orders/saved", url.Values{"phase": {hold}, "size": {"100"}, "name": {"保留の注文"}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "保存しました") {
			t.Fatalf("save: %d %q", w.Code, flash(w))
		}
		if w := s.do(http.MethodPost, "/orders/saved", url.Values{"phase": {hold}, "name": {"保留の注文"}}); !strings.Contains(flash(w), "もうあります") {
			t.Fatalf("the same name again: %q, want a refusal", flash(w))
		}
		if w := s.do(http.MethodPost, "/orders/saved", url.Values{"batch": {"1"}, "name": {"一括操作"}}); !strings.Contains(flash(w), "7日で消える") {
			t.Fatalf("a bulk move's orders saved: %q, want a refusal", flash(w))
		}
		bar := html.UnescapeString(s.do(http.MethodGet, "/orders/saved", nil).Body.String())
		m := regexp.MustCompile(`<li data-saved="(\d+)"[^>]*><a href="([^"]+)"[^>]*><span>保留の注文</span> <span class="num">(\d+)</span>`).FindStringSubmatch(bar)
		if m == nil {
			t.Fatalf("the side bar does not list the saved search with a count: %s", bar)
		}
		if m[2] != "/orders?phase="+hold || m[3] != "4" {
			t.Fatalf("the saved search links to %q with count %s, want /orders?phase=%s and 4", m[2], m[3], hold)
		}
		if strings.Count(bar, "data-saved=") != 1 || !strings.Contains(bar, `hx-confirm="検索条件「保留の注文」を削除します。よろしいですか?"`) {
			t.Fatalf("want one saved search with a confirmed delete: %s", bar)
		}
		if bar := s.do(http.MethodGet, "/orders/saved?phase="+hold+"&page=2", nil).Body.String(); !strings.Contains(bar, `class="current"`) {
			t.Fatalf("the side bar of the saved filter's list does not mark it current: %s", bar)
		}
		list := s.do(http.MethodGet, m[2], nil).Body.String()
		for i, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			link := `href="/orders/` + i64toa(id) + `"`
			if in := i >= 3 && i < 7; strings.Contains(list, link) != in {
				t.Fatalf("order %s (held %v) listed %v by the saved search", o.Number, in, !in)
			}
		}

		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		if bar := viewer.do(http.MethodGet, "/orders/saved", nil).Body.String(); !strings.Contains(bar, "保留の注文") || strings.Contains(bar, "/delete") {
			t.Fatalf("a viewer's side bar: %s", bar)
		}
		if w := viewer.do(http.MethodPost, "/orders/saved", url.Values{"name": {"見るだけ"}}); w.Code != http.StatusForbidden {
			t.Fatalf("a viewer saves: %d, want 403", w.Code)
		}
		if w := viewer.do(http.MethodPost, "/orders/saved/"+m[1]+"/delete", url.Values{}); w.Code != http.StatusForbidden {
			t.Fatalf("a viewer deletes: %d, want 403", w.Code)
		}

		if w := s.do(http.MethodPost, "/orders/saved/"+m[1]+"/delete", url.Values{}); w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "削除しました") {
			t.Fatalf("delete: %d %q", w.Code, flash(w))
		}
		if bar := s.do(http.MethodGet, "/orders/saved", nil).Body.String(); strings.Contains(bar, "保留の注文") {
			t.Fatalf("the deleted search is still listed: %s", bar)
		}
	})
}
