package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// wantAccess is what each operation must need, written out apart from the operation table: an
// operation added to the table without a line here fails TestOperationTableMatchesTheWrittenPermissions,
// so each new operation's permission is a decision someone wrote down.
var wantAccess = map[string]string{
	"GET /me": "token",

	"POST /ownshop/shops/{id}/orders": "signature",

	"GET /shops/{id}/members/{member}/cards":               "orders:view",
	"DELETE /shops/{id}/members/{member}/cards/{card_key}": "orders:update",
	"GET /upload-progress/{key}":                           "orders:view",

	"GET /attention":                   "orders:view",
	"GET /orders":                      "orders:view",
	"GET /saved-searches":              "orders:view",
	"POST /saved-searches":             "orders:update",
	"DELETE /saved-searches/{id}":      "orders:update",
	"PATCH /saved-searches/{id}":       "orders:update",
	"GET /saved-searches/{id}/orders":  "orders:view",
	"GET /orders/phase-counts":         "orders:view",
	"GET /orders/export.csv":           "orders:view",
	"GET /orders/{id}":                 "orders:view",
	"PUT /orders/{id}/shipments":       "orders:update",
	"POST /orders/move":                "orders:update",
	"POST /orders/confirm":             "orders:update",
	"POST /orders/link-status":         "orders:update",
	"POST /orders/refetch":             "orders:update",
	"POST /orders/bundle":              "orders:update",
	"POST /orders/card-cancel":         "orders:update",
	"POST /orders/{id}/payment-method": "orders:update",
	"POST /orders/{id}/payment-status": "orders:update",
	"POST /orders/{id}/unbundle":       "orders:update",
	"POST /orders/{id}/split":          "orders:update",
	"POST /orders/{id}/unsplit":        "orders:update",
	"GET /shops":                       "shops:view",
	"GET /shops/{id}":                  "shops:view",
	"POST /shops":                      "shops:update",
	"PUT /shops/{id}":                  "shops:update",
	"PUT /shops/{id}/credentials":      "shops:update",
	"POST /shops/{id}/connection-test": "shops:update",
	"POST /shops/{id}/import":          "orders:update",

	"POST /orders/mail":                   "orders:update",
	"POST /orders/postage":                "orders:update",
	"POST /orders/{id}/postage":           "orders:update",
	"POST /orders/{id}/paid":              "orders:update",
	"PUT /orders/{id}/memo":               "orders:update",
	"POST /orders/paid":                   "orders:update",
	"POST /orders/{id}/cancel":            "orders:update",
	"POST /orders/cancel":                 "orders:update",
	"POST /orders/{id}/edit":              "orders:update",
	"GET /orders/{id}/mails":              "orders:view",
	"GET /mails":                          "orders:view",
	"GET /shops/{id}/mail-templates":      "shops:view",
	"POST /mail-templates":                "shops:update",
	"PUT /mail-templates/{id}":            "shops:update",
	"DELETE /mail-templates/{id}":         "shops:update",
	"POST /mail-templates/preview":        "shops:update",
	"GET /shops/{id}/mail-settings":       "shops:view",
	"PUT /shops/{id}/mail-settings":       "shops:update",
	"GET /settings/notify":                "shops:view",
	"PUT /settings/notify":                "shops:update",
	"GET /users":                          "users:view",
	"POST /users":                         "users:update",
	"PUT /users/{id}":                     "users:update",
	"PUT /users/{id}/disabled":            "users:update",
	"PUT /users/{id}/password":            "users:update",
	"GET /groups":                         "users:view",
	"GET /audit":                          "users:view",
	"POST /groups":                        "users:update",
	"PUT /groups/{id}":                    "users:update",
	"PUT /phases/{id}":                    "workflow:update",
	"PUT /phases/{id}/expected-hours":     "workflow:update",
	"DELETE /phases/{id}":                 "workflow:update",
	"GET /shops/{id}/rules":               "workflow:view",
	"POST /shops/{id}/rules":              "workflow:update",
	"PUT /rules/{id}":                     "workflow:update",
	"POST /rules/{id}/start":              "workflow:update",
	"POST /rules/{id}/stop":               "workflow:update",
	"GET /rules/{id}/preview":             "workflow:view",
	"GET /shops/{id}/rules/preview":       "workflow:view",
	"GET /calls":                          "history:view",
	"GET /calls/{id}":                     "history:view",
	"GET /orders/labels.csv":              "orders:view",
	"POST /tracking-imports":              "orders:update",
	"GET /shops/{id}/sender":              "shops:view",
	"GET /shops/{id}/csv-mapping":         "shops:view",
	"PUT /shops/{id}/csv-mapping":         "shops:update",
	"POST /shops/{id}/csv-orders":         "orders:update",
	"GET /shops/{id}/csv-shipment-layout": "shops:view",
	"PUT /shops/{id}/csv-shipment-layout": "shops:update",
	"GET /shops/{id}/csv-shipments.csv":   "orders:view",
	"PUT /shops/{id}/sender":              "shops:update",
	"GET /phases":                         "workflow:view",
	"POST /phases":                        "workflow:update",
	"PUT /phases/order":                   "workflow:update",
}

// TestOperationTableMatchesTheWrittenPermissions: every operation of the table is in wantAccess
// with the same need, every line of wantAccess is an operation, and nothing but a read is open
// to view.
func TestOperationTableMatchesTheWrittenPermissions(t *testing.T) {
	t.Parallel()
	h := New(Deps{})
	seen := map[string]bool{}
	for _, o := range h.Operations() {
		key := o.Method + " " + o.Path
		seen[key] = true
		want, ok := wantAccess[key]
		if !ok {
			t.Errorf("operation %s is not in wantAccess: add it with the permission it needs", key)
			continue
		}
		if got := h.ops[o.ID].permission(); got != want {
			t.Errorf("operation %s needs %s, want %s", key, got, want)
		}
		if o.Method != http.MethodGet && o.Menu != "" && o.Level != user.Update {
			t.Errorf("operation %s changes something but is open to view", key)
		}
	}
	for key := range wantAccess {
		if !seen[key] {
			t.Errorf("wantAccess names %s, which is not in the operation table", key)
		}
	}
}

// registeredOperations lists what huma registered, from the OpenAPI document, as "METHOD PATH".
func registeredOperations(h *Handler) []string {
	var out []string
	for path, item := range h.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodPut: item.Put,
			http.MethodPatch: item.Patch, http.MethodDelete: item.Delete, http.MethodHead: item.Head, http.MethodOptions: item.Options} {
			if op != nil {
				out = append(out, method+" "+path)
			}
		}
	}
	return out
}

// undeclared lists the registered operations that are not in the operation table.
func undeclared(h *Handler) []string {
	table := map[string]bool{}
	for _, o := range h.Operations() {
		table[o.Method+" "+o.Path] = true
	}
	var out []string
	for _, op := range registeredOperations(h) {
		if !table[op] {
			out = append(out, op)
		}
	}
	return out
}

// TestEveryRegisteredOperationIsInTheTable: the OpenAPI document, which lists what huma
// registered, has exactly the table's operations, so nothing answers without a declared
// permission.
func TestEveryRegisteredOperationIsInTheTable(t *testing.T) {
	t.Parallel()
	h := New(Deps{})
	if u := undeclared(h); len(u) > 0 {
		t.Errorf("registered but not in the operation table: %v", u)
	}
	if n, m := len(registeredOperations(h)), len(h.Operations()); n != m {
		t.Errorf("%d operations registered, %d in the table", n, m)
	}
}

// TestOperationOutsideTheTableIsRefused: an operation registered with huma directly, past the
// table, is found by the check above and refused to every token, an admin's too.
func TestOperationOutsideTheTableIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	huma.Register(b.h.api, huma.Operation{OperationID: "rogue", Method: http.MethodPost, Path: "/rogue"},
		func(context.Context, *struct{}) (*struct{}, error) { return nil, nil })
	if u := undeclared(b.h); len(u) != 1 || u[0] != "POST /rogue" {
		t.Errorf("undeclared operations %v, want POST /rogue", u)
	}
	if p := problem(t, b.do(t, b.admin(t), http.MethodPost, "/rogue", nil), http.StatusForbidden); p.Detail != msgUndeclaredOp {
		t.Errorf("detail %q", p.Detail)
	}
}

// concrete turns an operation's path into a URL that reaches it.
func (b *testBundle) concrete(path string) string {
	id := b.orderID[0]
	switch {
	case strings.HasPrefix(path, "/shops/"):
		id = b.shop.ID
	case strings.HasPrefix(path, "/phases/"):
		id = b.phases["保留"].ID
	case strings.HasPrefix(path, "/rules/"):
		id = b.ruleID
	case strings.HasPrefix(path, "/calls/"):
		id = b.callID
	}
	return strings.ReplaceAll(path, "{id}", strconv.FormatInt(id, 10))
}

// TestEveryOperationChecksItsPermission walks every operation of the OpenAPI document (what huma
// registered) at every level of the menu its table line names: at none it answers 403, at view only reads are allowed, at update
// everything is; without a token it answers 401.
func TestEveryOperationChecksItsPermission(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		tokens := map[user.Menu]map[user.Level]string{}
		for _, m := range user.Menus {
			tokens[m] = map[user.Level]string{}
			for _, l := range []user.Level{user.None, user.View, user.Update} {
				tokens[m][l] = b.tokenFor(t, only(m, l))
			}
		}
		none := b.tokenFor(t, only("", user.None))
		table := map[string]OperationInfo{}
		for _, o := range b.h.Operations() {
			table[o.Method+" "+o.Path] = o
		}
		for _, key := range registeredOperations(b.h) {
			o, ok := table[key]
			if !ok {
				t.Errorf("%s is registered without a line in the operation table", key)
				continue
			}
			target := b.concrete(o.Path)
			if o.Method == http.MethodDelete && o.Path == "/phases/{id}" { // a phase of the walk's own, not 保留 that other lines use
				p, err := b.st.CreatePhase(t.Context(), "削除用")
				if err != nil {
					t.Fatal(err)
				}
				target = "/phases/" + strconv.FormatInt(p.ID, 10)
			}
			var body any
			if o.Method != http.MethodGet {
				body = map[string]any{}
			}
			if w := b.do(t, "", o.Method, target, body); w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s without a token: %d, want 401", o.Method, target, w.Code)
			}
			if o.Signed { // no token opens it: only the signature, which the walk does not make
				continue
			}
			for _, level := range []user.Level{user.None, user.View, user.Update} {
				token := none
				if o.Menu != "" {
					token = tokens[o.Menu][level]
				}
				w := b.do(t, token, o.Method, target, body)
				allowed := o.Menu == "" || level == user.Update || level == user.View && o.Method == http.MethodGet
				switch {
				case w.Code == http.StatusUnauthorized:
					t.Errorf("%s %s at level %d: 401 with a valid token", o.Method, target, level)
				case allowed && w.Code == http.StatusForbidden:
					t.Errorf("%s %s at level %d: 403, want it allowed", o.Method, target, level)
				case !allowed && w.Code != http.StatusForbidden:
					t.Errorf("%s %s at level %d: %d, want 403", o.Method, target, level, w.Code)
				case !allowed:
					if p := problem(t, w, http.StatusForbidden); p.Detail != msgForbidden {
						t.Errorf("403 detail %q", p.Detail)
					}
				}
			}
		}
	})
}
