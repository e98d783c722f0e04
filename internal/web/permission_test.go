package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// wantAccess is what each route must need, written out apart from the route table: a route added
// to the table without a line here fails TestEveryRouteChecksItsPermission, so each new route's
// permission is a decision someone wrote down.
var wantAccess = map[string]string{
	"GET /login":                      "public",
	"POST /login":                     "public",
	"GET /lang/{lang}":                "public",
	"GET /{$}":                        "login",
	"POST /logout":                    "login",
	"GET /account/password":           "login",
	"POST /account/password":          "login",
	"GET /attention":                  "orders:view",
	"GET /orders":                     "orders:view",
	"GET /orders/phase-counts":        "orders:view",
	"GET /orders/export.csv":          "orders:view",
	"GET /orders/{id}":                "orders:view",
	"POST /orders/move":               "orders:update",
	"POST /orders/link-status":        "orders:update",
	"POST /orders/{id}/shipments":     "orders:update",
	"POST /orders/{id}/move":          "orders:update",
	"POST /orders/{id}/link-status":   "orders:update",
	"POST /orders/{id}/postage":       "orders:update",
	"POST /orders/{id}/paid":          "orders:update",
	"POST /orders/paid":               "orders:update",
	"POST /orders/{id}/cancel":        "orders:update",
	"POST /orders/{id}/edit":          "orders:update",
	"POST /orders/cancel":             "orders:update",
	"GET /orders/watch":               "orders:view",
	"GET /orders/import":              "orders:update",
	"GET /orders/labels.csv":          "orders:view",
	"GET /orders/labels":              "orders:view",
	"GET /orders/tracking":            "orders:update",
	"POST /orders/tracking":           "orders:update",
	"GET /orders/csv-orders":          "orders:update",
	"POST /orders/csv-orders":         "orders:update",
	"GET /orders/csv-orders/progress": "orders:update",

	"GET /orders/{id}/cards":         "orders:view",
	"GET /shops/{id}/cards":          "orders:view",
	"POST /shops/{id}/cards/delete":  "orders:update",
	"POST /orders/saved/{id}/rename": "orders:update",
	"POST /orders/saved/{id}/move":   "orders:update",
	"GET /orders/csv-shipments.csv":  "orders:view",
	"POST /orders/import":            "orders:update",
	"POST /orders/confirm":           "orders:update",
	"POST /orders/refetch":           "orders:update",
	"POST /orders/mail":              "orders:update",
	"POST /orders/postage":           "orders:update",
	"POST /orders/bundle":            "orders:update",
	"POST /orders/{id}/unbundle":     "orders:update",
	"POST /orders/{id}/split":        "orders:update",
	"POST /orders/{id}/unsplit":      "orders:update",
	"POST /orders/{id}/memo":         "orders:update",
	"GET /orders/{id}/slip":          "orders:view",
	"GET /orders/slips":              "orders:view",
	"GET /history":                   "history:view",
	"GET /mails":                     "orders:view",
	"GET /history/{id}":              "history:view",

	"POST /orders/card-cancel":         "orders:update",
	"POST /orders/{id}/card-cancel":    "orders:update",
	"POST /orders/{id}/payment-method": "orders:update",
	"POST /orders/{id}/payment-status": "orders:update",

	"GET /settings":                                 "login",
	"GET /settings/shops":                           "shops:view",
	"POST /settings/shops":                          "shops:update",
	"GET /settings/shops/{id}":                      "shops:view",
	"POST /settings/shops/{id}":                     "shops:update",
	"POST /settings/shops/{id}/credentials":         "shops:update",
	"POST /settings/shops/{id}/authorize":           "shops:update",
	"POST /settings/shops/{id}/connection-test":     "shops:update",
	"GET /settings/shops/authorized":                "shops:update",
	"GET /settings/shops/{id}/sender":               "shops:view",
	"POST /settings/shops/{id}/sender":              "shops:update",
	"GET /shops/{id}/logo":                          "login",
	"POST /settings/shops/{id}/logo":                "shops:update",
	"POST /settings/shops/{id}/logo/delete":         "shops:update",
	"GET /settings/mail":                            "shops:view",
	"POST /settings/mail/smtp/{id}":                 "shops:update",
	"POST /settings/mail/templates":                 "shops:update",
	"POST /settings/mail/defaults/{id}":             "shops:update",
	"POST /settings/mail/templates/{id}":            "shops:update",
	"POST /settings/mail/templates/{id}/delete":     "shops:update",
	"GET /settings/notify":                          "shops:view",
	"POST /settings/notify":                         "shops:update",
	"GET /settings/phases":                          "workflow:view",
	"POST /settings/phases":                         "workflow:update",
	"POST /settings/phases/{id}/rename":             "workflow:update",
	"POST /settings/phases/{id}/move":               "workflow:update",
	"POST /settings/phases/{id}/delete":             "workflow:update",
	"GET /settings/rules":                           "workflow:view",
	"POST /settings/rules":                          "workflow:update",
	"GET /settings/rules/{id}":                      "workflow:view",
	"POST /settings/rules/{id}":                     "workflow:update",
	"POST /settings/rules/{id}/enabled":             "workflow:update",
	"GET /settings/rules/preview":                   "workflow:view",
	"GET /settings/users":                           "users:view",
	"GET /settings/audit":                           "users:view",
	"POST /settings/users":                          "users:update",
	"POST /settings/users/{id}":                     "users:update",
	"POST /settings/users/{id}/disabled":            "users:update",
	"POST /settings/users/{id}/password":            "users:update",
	"POST /settings/groups":                         "users:update",
	"GET /settings/groups/{id}":                     "users:view",
	"POST /settings/groups/{id}":                    "users:update",
	"GET /settings/shops/{id}/csv":                  "shops:view",
	"POST /settings/shops/{id}/csv/mapping":         "shops:update",
	"POST /settings/shops/{id}/csv/shipment-layout": "shops:update",
	"POST /settings/phases/{id}/expected":           "workflow:update",
	"GET /orders/saved":                             "orders:view",
	"POST /orders/saved":                            "orders:update",
	"POST /orders/saved/{id}/delete":                "orders:update",
	"POST /orders/{id}/mails/{mail}/acknowledge":    "orders:update",
	"GET /bounces/{id}":                             "orders:view",
	"POST /bounces/{id}/acknowledge":                "orders:update",
}

func accessOf(ri RouteInfo) string {
	switch {
	case ri.Public:
		return "public"
	case ri.Menu == "":
		return "login"
	case ri.Level == user.Update:
		return string(ri.Menu) + ":update"
	}
	return string(ri.Menu) + ":view"
}

// TestRouteTableMatchesTheWrittenPermissions: every route of the table is in wantAccess with the
// same need, every line of wantAccess is a route, and nothing but a read is open to view.
func TestRouteTableMatchesTheWrittenPermissions(t *testing.T) {
	t.Parallel()
	h := New(Deps{})
	seen := map[string]bool{}
	for _, ri := range h.Routes() {
		key := ri.Method + " " + ri.Path
		seen[key] = true
		want, ok := wantAccess[key]
		if !ok {
			t.Errorf("route %s is not in wantAccess: add it with the permission it needs", key)
			continue
		}
		if got := accessOf(ri); got != want {
			t.Errorf("route %s needs %s, want %s", key, got, want)
		}
		if ri.Method != http.MethodGet && !ri.Public && ri.Menu != "" && ri.Level != user.Update {
			t.Errorf("route %s changes something but is open to view", key)
		}
	}
	for key := range wantAccess {
		if !seen[key] {
			t.Errorf("wantAccess names %s, which is not in the route table", key)
		}
	}
}

// concrete turns a route pattern into a URL that reaches it.
func (b *testBundle) concrete(path string) string {
	p := strings.ReplaceAll(path, "{$}", "")
	p = strings.ReplaceAll(p, "{lang}", "en")
	id := b.orderID[0]
	switch {
	case strings.HasPrefix(p, "/history/"):
		id = b.callID
	case strings.HasPrefix(p, "/settings/shops/"):
		id = b.shop.ID
	case strings.HasPrefix(p, "/settings/phases/"):
		id = b.phases["保留"].ID
	case strings.HasPrefix(p, "/settings/rules/"):
		id = b.ruleID
	case strings.HasPrefix(p, "/settings/users/"):
		id = b.userID
	case strings.HasPrefix(p, "/settings/groups/"):
		id = b.groupID
	case strings.HasPrefix(p, "/bounces/"), strings.HasPrefix(p, "/shops/"):
		id = b.shop.ID
	}
	p = strings.ReplaceAll(p, "{mail}", "1")
	return strings.ReplaceAll(p, "{id}", i64toa(id))
}

// TestEveryRouteChecksItsPermission walks every route of the table at every level of its menu:
// below the route's level it answers 403, at or above it does not; without a login it sends
// the visitor to log in.
func TestEveryRouteChecksItsPermission(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		for _, ri := range b.h.Routes() {
			if ri.Public {
				continue
			}
			target := b.concrete(ri.Path)
			if ri.Path == "/settings/phases/{id}/delete" { // a phase of the walk's own, not 保留 that other routes use
				p, err := b.st.CreatePhase(t.Context(), "削除用")
				if err != nil {
					t.Fatal(err)
				}
				target = "/settings/phases/" + i64toa(p.ID) + "/delete"
			}
			var form url.Values
			if ri.Method == http.MethodPost {
				form = url.Values{}
			}
			anon := &session{b: b}
			if w := anon.do(ri.Method, target, form); w.Code != http.StatusSeeOther && w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s without login: %d, want a redirect to /login or 401", ri.Method, target, w.Code)
			}
			for _, level := range []user.Level{user.None, user.View, user.Update} {
				s := b.loginAs(t, only(ri.Menu, level))
				w := s.do(ri.Method, target, form)
				allowed := ri.Menu == "" || level >= ri.Level
				if allowed && w.Code == http.StatusForbidden {
					t.Errorf("%s %s at level %d: 403, want it allowed", ri.Method, target, level)
				}
				if allowed && w.Code >= http.StatusInternalServerError {
					t.Errorf("%s %s at level %d: %d, want an answer (an empty form is refused with a message, not a failure)", ri.Method, target, level, w.Code)
				}
				if !allowed && w.Code != http.StatusForbidden {
					t.Errorf("%s %s at level %d: %d, want 403", ri.Method, target, level, w.Code)
				}
			}
		}
	})
}

// TestMenuAtNoneIsHidden: the navigation shows only the menus a group may view, and a view-only
// group sees no action that would change an order.
func TestMenuAtNoneIsHidden(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuHistory, user.View))
		body := s.do(http.MethodGet, "/history", nil).Body.String()
		if strings.Contains(body, `href="/orders"`) {
			t.Error("the orders menu is shown to a group without it")
		}
		if !strings.Contains(body, `href="/history"`) {
			t.Error("the history menu is not shown to a group that may view it")
		}
		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		list := viewer.do(http.MethodGet, "/orders", nil).Body.String()
		if strings.Contains(list, `formaction="/orders/move"`) || strings.Contains(list, `formaction="/orders/link-status"`) {
			t.Error("a view-only group is offered bulk actions")
		}
		detail := viewer.do(http.MethodGet, "/orders/"+i64toa(b.orderID[0]), nil).Body.String()
		if strings.Contains(detail, "/move\"") || strings.Contains(detail, `>保存<`) {
			t.Error("a view-only group is offered changes on the order page")
		}
	})
}

// TestWritesNeedTheSessionsCSRFToken: a write without the token, with another session's
// token, or from another site is refused, and changes nothing.
func TestWritesNeedTheSessionsCSRFToken(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		admin := b.loginAs(t, user.AdminPermissions())
		other := b.loginAs(t, user.AdminPermissions())
		hold := b.phases["保留"].ID
		form := url.Values{"id": {i64toa(b.orderID[0])}, "phase_id": {i64toa(hold)}}
		for name, s := range map[string]*session{
			"no token":         {b: b, token: admin.token},
			"other's token":    {b: b, token: admin.token, csrf: other.csrf},
			"cross-site write": {b: b, token: admin.token, csrf: admin.csrf, origin: "https://evil.example"},
		} {
			if w := s.do(http.MethodPost, "/orders/move", form); w.Code != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", name, w.Code)
			}
		}
		o, err := b.st.GetOrder(t.Context(), b.orderID[0])
		if err != nil {
			t.Fatal(err)
		}
		if o.PhaseID == hold {
			t.Fatal("a refused write moved the order")
		}
		if w := admin.do(http.MethodPost, "/orders/move", form); w.Code != http.StatusSeeOther {
			t.Fatalf("the same write with the token: %d", w.Code)
		}
	})
}
