package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// dayOrders stores four orders around today's and last week's first minutes in Japan time, on
// the store's own (real) clock: today 00:00, yesterday 23:59, six days ago 00:00 (the first day
// of 過去7日) and the minute before it.
func dayOrders(t *testing.T, b *testBundle) (ids map[string]int64) {
	t.Helper()
	j := time.Now().In(order.JST)
	today := time.Date(j.Year(), j.Month(), j.Day(), 0, 0, 0, 0, order.JST)
	at := map[string]time.Time{"today": today, "yesterday": today.Add(-time.Minute),
		"week": today.AddDate(0, 0, -6), "before": today.AddDate(0, 0, -6).Add(-time.Minute)}
	ids = map[string]int64{}
	k := 500
	for name, when := range at {
		k++
		res, err := b.st.UpsertOrders(t.Context(), b.shop.ID, storetest.MakeOrders(k, 1, when.Add(-time.Duration(k)*time.Minute)), store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = res.IDs[0]
	}
	return ids
}

// listed reports which of the named orders a list page links to.
func listed(page string, ids map[string]int64) map[string]bool {
	out := map[string]bool{}
	for name, id := range ids {
		if strings.Contains(page, `href="/orders/`+i64toa(id)+`"`) {
			out[name] = true
		}
	}
	return out
}

func sameSet(got map[string]bool, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if !got[w] {
			return false
		}
	}
	return true
}

// TestRelativeDaysAreReadWhenTheListOpens: the list's date=today / yesterday / last7 find the
// orders of those days in Japan time; a range stands for the date fields (from and to are left
// out of its URL); an unknown range is refused in Japanese; and a search saved with 「今日」 keeps
// the range, not the day it was saved, and its side bar count and link find today's orders, on
// both engines.
func TestRelativeDaysAreReadWhenTheListOpens(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ids := dayOrders(t, b)
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		for token, want := range map[string][]string{"today": {"today"}, "yesterday": {"yesterday"}, "last7": {"today", "yesterday", "week"}} {
			w := s.do(http.MethodGet, "/orders?date="+token+"&from=2020-01-01&to=2020-01-02&size=500", nil)
			if w.Code != http.StatusOK {
				t.Fatalf("date=%s: %d %s", token, w.Code, w.Body.String())
			}
			page := w.Body.String()
			if got := listed(page, ids); !sameSet(got, want...) {
				t.Errorf("date=%s lists %v, want %v", token, got, want)
			}
			if !strings.Contains(page, `<option value="`+token+`" selected>`) {
				t.Errorf("date=%s: the form does not show the range chosen", token)
			}
			if strings.Contains(html.UnescapeString(page), "from=2020-01-01") {
				t.Errorf("date=%s: the list's links still carry the fixed dates", token)
			}
		}
		if w := s.do(http.MethodGet, "/orders?date=last8", nil); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "過去7日") {
			t.Fatalf("date=last8: %d, want 422 naming the ranges", w.Code)
		}

		w := s.do(http.MethodPost, "/orders/saved", url.Values{"date": {"today"}, "name": {"今日の注文"}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "保存しました") {
			t.Fatalf("save: %d %q", w.Code, flash(w))
		}
		list, err := b.st.ListSavedSearches(t.Context())
		if err != nil || len(list) != 1 {
			t.Fatalf("saved searches: %v %v", list, err)
		}
		if f := list[0].Filter; f.OrderedWithin != order.DayToday || !f.OrderedFrom.IsZero() || !f.OrderedTo.IsZero() || list[0].Query != "date=today" {
			t.Fatalf("the saved search keeps %+v (query %q), want the range today and no fixed day", f, list[0].Query)
		}
		bar := html.UnescapeString(s.do(http.MethodGet, "/orders/saved", nil).Body.String())
		m := regexp.MustCompile(`<a href="([^"]+)"[^>]*><span>今日の注文</span> <span class="num">(\d+)</span>`).FindStringSubmatch(bar)
		if m == nil || m[1] != "/orders?date=today" || m[2] != "1" {
			t.Fatalf("the side bar's 今日の注文: %v, want /orders?date=today with 1: %s", m, bar)
		}
		if got := listed(s.do(http.MethodGet, m[1], nil).Body.String(), ids); !sameSet(got, "today") {
			t.Fatalf("the saved search lists %v, want today's order", got)
		}
	})
}

// TestSavedSearchesAreRenamedAndReordered: a new saved search goes last; ↑ ↓ move one to a
// position and the side bar lists them so; a rename to another's name is refused and to a new
// one is shown; a viewer can do neither; on both engines.
func TestSavedSearchesAreRenamedAndReordered(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		for _, n := range []string{"B 保留", "A 出荷待ち", "C 入金待ち"} {
			if w := s.do(http.MethodPost, "/orders/saved", url.Values{"name": {n}, "q": {n}}); !strings.Contains(flash(w), "保存しました") {
				t.Fatalf("save %s: %q", n, flash(w))
			}
		}
		order := func() []string {
			bar := html.UnescapeString(s.do(http.MethodGet, "/orders/saved", nil).Body.String())
			var out []string
			for _, m := range regexp.MustCompile(`<li data-saved="(\d+)"[^>]*><a [^>]*><span>([^<]+)</span>`).FindAllStringSubmatch(bar, -1) {
				out = append(out, m[1]+":"+m[2])
			}
			return out
		}
		first := order()
		if len(first) != 3 || !strings.HasSuffix(first[0], ":B 保留") || !strings.HasSuffix(first[2], ":C 入金待ち") {
			t.Fatalf("the side bar lists %v, want the order they were saved in", first)
		}
		idOf := func(entry string) string { return entry[:strings.Index(entry, ":")] }
		c := idOf(first[2])
		if w := s.do(http.MethodPost, "/orders/saved/"+c+"/move", url.Values{"position": {"1"}}); w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "1番目") {
			t.Fatalf("move: %d %q", w.Code, flash(w))
		}
		if got := order(); strings.Join(got, ",") != strings.Join([]string{first[2], first[0], first[1]}, ",") {
			t.Fatalf("after C to 1: %v", got)
		}
		if w := s.do(http.MethodPost, "/orders/saved/"+idOf(first[0])+"/move", url.Values{"position": {"3"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("move B down: %d %q", w.Code, flash(w))
		}
		if got := order(); strings.Join(got, ",") != strings.Join([]string{first[2], first[1], first[0]}, ",") {
			t.Fatalf("after B to 3: %v", got)
		}
		if w := s.do(http.MethodPost, "/orders/saved/"+c+"/rename", url.Values{"name": {"A 出荷待ち"}}); !strings.Contains(flash(w), "もうあります") {
			t.Fatalf("rename to another's name: %q, want a refusal", flash(w))
		}
		if w := s.do(http.MethodPost, "/orders/saved/"+c+"/rename", url.Values{"name": {"  今日の入金待ち "}}); !strings.Contains(flash(w), "「今日の入金待ち」に変えました") {
			t.Fatalf("rename: %q", flash(w))
		}
		if got := order(); got[0] != c+":今日の入金待ち" {
			t.Fatalf("after the rename: %v", got)
		}
		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		for _, path := range []string{"/move", "/rename"} {
			if w := viewer.do(http.MethodPost, "/orders/saved/"+c+path, url.Values{"position": {"2"}, "name": {"x"}}); w.Code != http.StatusForbidden {
				t.Fatalf("a viewer's %s: %d, want 403", path, w.Code)
			}
		}
		if bar := viewer.do(http.MethodGet, "/orders/saved", nil).Body.String(); strings.Contains(bar, "/move") || strings.Contains(bar, "/rename") {
			t.Fatalf("a viewer's side bar offers to move or rename: %s", bar)
		}
	})
}
