package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// sameUser is another browser of the session's user: a new session, no cookies of the first.
func (s *session) sameUser(t *testing.T) *session {
	t.Helper()
	u, err := s.b.st.GetUserByLogin(t.Context(), s.login)
	if err != nil {
		t.Fatal(err)
	}
	token, csrf := newToken(), newToken()
	now := time.Now()
	if err := s.b.st.CreateSession(t.Context(), user.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFToken: csrf, CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	return &session{b: s.b, token: token, csrf: csrf, login: s.login}
}

// pageSizeShown is the page size the list's select shows.
func pageSizeShown(page string) string {
	i := strings.Index(page, "data-page-size")
	if i < 0 {
		return ""
	}
	rest := page[i:]
	j := strings.Index(rest, `" selected>`)
	if j < 0 {
		return ""
	}
	k := strings.LastIndex(rest[:j], `value="`)
	return rest[k+len(`value="`) : j]
}

// TestPageSizeFollowsTheUser: a page size chosen on one machine is the list's on another
// (kept with the user, not only in the browser's cookie); another user keeps the default; the
// cookie of a user who never chose one is taken and kept with them; on both engines.
func TestPageSizeFollowsTheUser(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		office := b.loginAs(t, only(user.MenuOrders, user.Update))
		if got := pageSizeShown(office.do(http.MethodGet, "/orders", nil).Body.String()); got != "50" {
			t.Fatalf("a new user's page size: %q, want 50", got)
		}
		if w := office.do(http.MethodGet, "/orders?size=200", nil); w.Code != http.StatusOK {
			t.Fatalf("size=200: %d", w.Code)
		}
		home := office.sameUser(t)
		if got := pageSizeShown(home.do(http.MethodGet, "/orders", nil).Body.String()); got != "200" {
			t.Fatalf("the same user on another machine: page size %q, want 200", got)
		}
		other := b.loginAs(t, only(user.MenuOrders, user.Update))
		if got := pageSizeShown(other.do(http.MethodGet, "/orders", nil).Body.String()); got != "50" {
			t.Fatalf("another user: page size %q, want 50", got)
		}

		// A browser that remembers 100 from before: taken, and kept with the user.
		old := b.loginAs(t, only(user.MenuOrders, user.Update))
		r := httptest.NewRequest(http.MethodGet, "/orders", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: old.token})
		r.AddCookie(&http.Cookie{Name: pageSizeCookie, Value: "100"})
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		if got := pageSizeShown(w.Body.String()); got != "100" {
			t.Fatalf("the cookie's page size: %q, want 100", got)
		}
		if got := pageSizeShown(old.sameUser(t).do(http.MethodGet, "/orders", nil).Body.String()); got != "100" {
			t.Fatalf("the cookie's page size on another machine: %q, want 100", got)
		}
	})
}
