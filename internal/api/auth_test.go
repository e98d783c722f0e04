package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestRequestsWithoutAUsableTokenAre401: no header, another scheme, a wrong token, a revoked
// token, a disabled user's token and a web login cookie alone are all refused with 401, a
// Bearer challenge and a Japanese message; nothing is done.
func TestRequestsWithoutAUsableTokenAre401(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		revoked := b.admin(t)
		rt, err := b.st.GetAPIToken(ctx, user.HashAPIToken(revoked))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.st.DeleteAPIToken(ctx, rt.ID); err != nil {
			t.Fatal(err)
		}
		g, err := b.st.CreateGroup(ctx, user.Group{Name: "無効", Permissions: user.AdminPermissions()})
		if err != nil {
			t.Fatal(err)
		}
		u, err := b.st.CreateUser(ctx, user.User{Login: "gone", Name: "退職者", PasswordHash: "x", GroupID: g.ID, Disabled: true})
		if err != nil {
			t.Fatal(err)
		}
		disabled, hash := user.NewAPIToken()
		if _, err := b.st.CreateAPIToken(ctx, user.APIToken{TokenHash: hash, UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
		valid := b.admin(t)
		cases := map[string]struct {
			header, cookie, detail string
		}{
			"no header":        {detail: msgNoToken},
			"basic auth":       {header: "Basic YWRtaW46cGFzcw==", detail: msgNoToken},
			"empty bearer":     {header: "Bearer ", detail: msgNoToken},
			"wrong token":      {header: "Bearer " + valid + "x", detail: msgBadToken},
			"revoked token":    {header: "Bearer " + revoked, detail: msgBadToken},
			"disabled user":    {header: "Bearer " + disabled, detail: msgDisabledUser},
			"web cookie alone": {cookie: "ichigen_session=" + valid, detail: msgNoToken},
		}
		hold := b.phases["保留"].ID
		for name, c := range cases {
			r := httptest.NewRequest(http.MethodPost, Prefix+"/orders/move", strings.NewReader(`{"ids":[`+i64(b.orderID[0])+`],"phase_id":`+i64(hold)+`}`))
			r.Header.Set("Content-Type", "application/json")
			if c.header != "" {
				r.Header.Set("Authorization", c.header)
			}
			if c.cookie != "" {
				r.Header.Set("Cookie", c.cookie)
			}
			w := httptest.NewRecorder()
			b.h.ServeHTTP(w, r)
			p := problem(t, w, http.StatusUnauthorized)
			if p.Detail != c.detail {
				t.Errorf("%s: detail %q, want %q", name, p.Detail, c.detail)
			}
			if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("%s: WWW-Authenticate %q", name, got)
			}
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); o.PhaseID == hold {
			t.Fatal("a refused request moved the order")
		}
		// The same request with the token is done, and the token's use is recorded.
		w := b.do(t, valid, http.MethodPost, "/orders/move", map[string]any{"ids": []int64{b.orderID[0]}, "phase_id": hold})
		decode[BulkResult](t, w, http.StatusOK)
		vt, err := b.st.GetAPIToken(ctx, user.HashAPIToken(valid))
		if err != nil {
			t.Fatal(err)
		}
		if vt.LastUsedAt.IsZero() {
			t.Error("the token's last use is not recorded")
		}
	})
}

// TestMeShowsTheTokensUserAndPermissions: any valid token may ask who it is.
func TestMeShowsTheTokensUserAndPermissions(t *testing.T) {
	t.Parallel()
	b := setup(t, storetestSQLite)
	me := decode[Me](t, b.do(t, b.tokenFor(t, only(user.MenuHistory, user.View)), http.MethodGet, "/me", nil), http.StatusOK)
	if me.Permissions["history"] != "view" || me.Permissions["orders"] != "none" || me.Login == "" || me.TokenName != "test" {
		t.Errorf("me: %+v", me)
	}
}
