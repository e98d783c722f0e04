package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

var csrfInForm = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`)

// browser is a minimal cookie-keeping client of the handler.
type browser struct {
	h       http.Handler
	cookies map[string]*http.Cookie
	remote  string
}

func (br *browser) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	var r *http.Request
	if form != nil {
		r = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	if br.remote != "" {
		r.RemoteAddr = br.remote
	}
	for _, c := range br.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	br.h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(br.cookies, c.Name)
		} else {
			br.cookies[c.Name] = c
		}
	}
	return w
}

// login fills in the login form as a person would.
func (br *browser) login(t *testing.T, login, password string) *httptest.ResponseRecorder {
	t.Helper()
	page := br.do(http.MethodGet, "/login?next=/history", nil)
	m := csrfInForm.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token in the login form:\n%s", page.Body.String())
	}
	return br.do(http.MethodPost, "/login", url.Values{"csrf_token": {m[1]}, "login": {login}, "password": {password}, "next": {"/history"}})
}

func addUser(t *testing.T, b *testBundle, login, password string) user.User {
	t.Helper()
	ctx := context.Background()
	g, err := b.st.CreateGroup(ctx, user.Group{Name: "管理者-" + login, Permissions: user.AdminPermissions()})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.st.CreateUser(ctx, user.User{Login: login, Name: "花子", PasswordHash: hash, GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestLoginStartsASessionKeptHashed: the right password opens a session whose cookie is
// HttpOnly and SameSite=Lax, the store keeps only the token's hash, and logout ends it.
func TestLoginStartsASessionKeptHashed(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	br := &browser{h: b.h, cookies: map[string]*http.Cookie{}}
	w := br.login(t, "hanako", "correct horse battery")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/history" {
		t.Fatalf("login: %d to %q, want 303 to /history", w.Code, w.Header().Get("Location"))
	}
	c := br.cookies[sessionCookie]
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure on plain HTTP", c)
	}
	var stored int
	if err := b.st.DB().QueryRow("SELECT count(*) FROM web_sessions WHERE token_hash = ?", c.Value).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Fatal("the session token is stored as it is")
	}
	if err := b.st.DB().QueryRow("SELECT count(*) FROM web_sessions WHERE token_hash = ?", hashToken(c.Value)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("the token's hash is not stored: %d, %v", stored, err)
	}
	page := br.do(http.MethodGet, "/history", nil)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "花子") {
		t.Fatalf("after login /history: %d", page.Code)
	}
	csrf := csrfInForm.FindStringSubmatch(page.Body.String())
	if out := br.do(http.MethodPost, "/logout", url.Values{"csrf_token": {csrf[1]}}); out.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", out.Code)
	}
	br.cookies[sessionCookie] = c // the old cookie, kept by someone
	if w := br.do(http.MethodGet, "/history", nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Fatalf("a logged-out session still opens pages: %d", w.Code)
	}
}

// TestSecureCookieBehindTLS: with --secure-cookies the session cookie is Secure.
func TestSecureCookieBehindTLS(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	b.h = New(Deps{Store: b.st, Mover: b.queue, SecureCookies: true})
	br := &browser{h: b.h, cookies: map[string]*http.Cookie{}}
	br.login(t, "hanako", "correct horse battery")
	if c := br.cookies[sessionCookie]; c == nil || !c.Secure {
		t.Fatalf("session cookie %+v is not Secure", c)
	}
}

// TestWrongPasswordSaysNotWhich: a wrong password and an unknown login get the same answer.
func TestWrongPasswordSaysNotWhich(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	br := &browser{h: b.h, cookies: map[string]*http.Cookie{}}
	wrong := br.login(t, "hanako", "wrong password!")
	unknown := br.login(t, "nobody", "wrong password!")
	for _, w := range []*httptest.ResponseRecorder{wrong, unknown} {
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "ログインIDまたはパスワードが違います") {
			t.Fatalf("bad login: %d", w.Code)
		}
	}
	if br.cookies[sessionCookie] != nil {
		t.Fatal("a failed login set a session cookie")
	}
}

// TestLoginIsRateLimitedPerLoginAndAddress: after a burst of failures the login is refused
// even with the right password, for that login from that address only.
func TestLoginIsRateLimitedPerLoginAndAddress(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	attacker := &browser{h: b.h, cookies: map[string]*http.Cookie{}, remote: "198.51.100.7:4000"}
	for range loginBurst {
		attacker.login(t, "hanako", "guess guess guess")
	}
	if w := attacker.login(t, "hanako", "correct horse battery"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: %d, want 429", loginBurst, w.Code)
	}
	office := &browser{h: b.h, cookies: map[string]*http.Cookie{}, remote: "203.0.113.9:5000"}
	if w := office.login(t, "hanako", "correct horse battery"); w.Code != http.StatusSeeOther {
		t.Fatalf("the same login from another address: %d, want it let in", w.Code)
	}
}

// TestLoginFormNeedsItsToken: a login post without the form's token (a login CSRF) is refused.
func TestLoginFormNeedsItsToken(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	br := &browser{h: b.h, cookies: map[string]*http.Cookie{}}
	w := br.do(http.MethodPost, "/login", url.Values{"login": {"hanako"}, "password": {"correct horse battery"}})
	if w.Code != http.StatusForbidden || br.cookies[sessionCookie] != nil {
		t.Fatalf("login without the form token: %d", w.Code)
	}
}

// TestNextStaysOnThisSite: the page after login is never another site.
func TestNextStaysOnThisSite(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"/orders?shop=1": "/orders?shop=1", "//evil.example": "/", "https://evil.example": "/", `/\evil.example`: "/", "": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
