package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestTheListRefusesAnUnknownSearchParameter: a parameter the search does not know is refused
// naming it (?phase_id= for ?phase= would otherwise list, count and export every order), while
// every link the list itself writes (sort, pages, phase counts, export, the watch banner) still
// answers.
func TestTheListRefusesAnUnknownSearchParameter(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		phase := i64toa(b.phases["確認待ち"].ID)
		for _, target := range []string{"/orders?phase_id=" + phase, "/orders/phase-counts?phase_id=" + phase, "/orders/export.csv?phase_id=" + phase} {
			w := s.do(http.MethodGet, target, nil)
			if body := html.UnescapeString(w.Body.String()); w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "検索条件「phase_id」は使えません") {
				t.Errorf("%s: %d, want 422 naming phase_id", target, w.Code)
			}
		}
		list := s.do(http.MethodGet, "/orders?phase="+phase+"&sort=number&dir=asc&size=10&watch="+phase, nil)
		if list.Code != http.StatusOK {
			t.Fatalf("the list with its own parameters: %d", list.Code)
		}
		links := regexp.MustCompile(`(?:href|hx-get)="(/orders[^"#]*)"`).FindAllStringSubmatch(list.Body.String(), -1)
		if len(links) < 5 {
			t.Fatalf("only %d links to the list found", len(links))
		}
		for _, l := range links {
			target := html.UnescapeString(l[1])
			if strings.HasPrefix(target, "/orders/") && !strings.HasPrefix(target, "/orders/phase-counts") && !strings.HasPrefix(target, "/orders/export.csv") && !strings.HasPrefix(target, "/orders/watch") {
				continue // an order's page
			}
			if w := s.do(http.MethodGet, target, nil); w.Code != http.StatusOK {
				t.Errorf("the list's own link %s answers %d", target, w.Code)
			}
		}
	})
}

// TestABulkActionOnAllResultsRefusesAnUnknownFilter: 「検索結果すべて」 with a filter field the
// list does not know (a hand-made form, an old bookmark's field) moves nothing and names the
// field, instead of moving every order.
func TestABulkActionOnAllResultsRefusesAnUnknownFilter(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		hold := i64toa(b.phases["保留"].ID)
		for _, target := range []string{"/orders/move", "/orders/confirm"} {
			w := s.do(http.MethodPost, target, url.Values{"all": {"1"}, "markt": {"awaiting_shipment"}, "phase_id": {hold}})
			if msg := flash(w); !strings.Contains(msg, "検索条件「markt」は使えません") {
				t.Errorf("%s: %d %q, want a refusal naming markt", target, w.Code, msg)
			}
		}
		page, err := b.st.SearchOrders(t.Context(), store.OrderQuery{PhaseID: b.phases["保留"].ID})
		if err != nil || page.Total != 0 {
			t.Fatalf("%d orders moved to 保留 (%v)", page.Total, err)
		}
	})
}
