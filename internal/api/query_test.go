package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestUnknownQueryParametersAreRefused: a query parameter an operation does not declare is a
// 422 naming it, never ignored: ?phase_id= for ?phase= would otherwise select every order, and
// a bulk move would move them all. Declared parameters still work.
func TestUnknownQueryParametersAreRefused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		phase := i64(b.phases["確認待ち"].ID)
		for _, c := range []struct {
			method, target, param string
			body                  any
		}{
			{http.MethodGet, "/orders?phase_id=" + phase, "phase_id", nil},
			{http.MethodGet, "/orders?phase=" + phase + "&shopid=1", "shopid", nil},
			{http.MethodGet, "/orders/export.csv?phase_id=" + phase, "phase_id", nil},
			{http.MethodGet, "/orders/phase-counts?keyword=x", "keyword", nil},
			{http.MethodPost, "/orders/move?phase=" + phase, "phase", map[string]any{"ids": []int64{b.orderID[0]}, "phase_id": b.phases["確認待ち"].ID}},
		} {
			p := problem(t, b.do(t, token, c.method, c.target, c.body), http.StatusUnprocessableEntity)
			if !strings.Contains(p.Detail, "「"+c.param+"」") || len(p.Errors) == 0 || p.Errors[0].Location != "query."+c.param {
				t.Errorf("%s %s: %+v, want a refusal naming %s", c.method, c.target, p, c.param)
			}
		}
		if w := b.do(t, token, http.MethodGet, "/orders?phase="+phase+"&sort=number&order=asc&page=1&page_size=10", nil); w.Code != http.StatusOK {
			t.Errorf("declared parameters: %d %s", w.Code, w.Body)
		}
	})
}
