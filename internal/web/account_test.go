package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// csrfOf opens a page in the browser and returns the session's CSRF token from its forms.
func (br *browser) csrfOf(t *testing.T, target string) string {
	t.Helper()
	page := br.do(http.MethodGet, target, nil)
	m := csrfInForm.FindStringSubmatch(page.Body.String())
	if page.Code != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no CSRF token", target, page.Code)
	}
	return m[1]
}

// loggedIn reports whether the browser's session still opens a page.
func (br *browser) loggedIn() bool {
	return br.do(http.MethodGet, "/history", nil).Code == http.StatusOK
}

func newBrowser(b *testBundle) *browser {
	return &browser{h: b.h, cookies: map[string]*http.Cookie{}}
}

// TestOwnPasswordChangeEndsTheOtherSessions: パスワード変更 refuses a wrong current password, a
// mismatched confirmation and a short password, each with its message and changing nothing;
// the right one saves the new password, logs out every other browser of the user while this
// one stays logged in on a new session, and from then on only the new password logs in.
func TestOwnPasswordChangeEndsTheOtherSessions(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		const old, next = "correct horse battery", "staple gun 2026 spring"
		addUser(t, b, "hanako", old)
		here, there := newBrowser(b), newBrowser(b)
		here.login(t, "hanako", old)
		there.login(t, "hanako", old)
		if page := here.do(http.MethodGet, "/history", nil).Body.String(); !strings.Contains(page, `href="/account/password"`) {
			t.Fatal("the header has no link to パスワード変更")
		}
		csrf := here.csrfOf(t, accountPasswordPath)

		for _, c := range []struct {
			name, current, password, confirm, want string
		}{
			{"wrong current", "guess guess guess", next, next, "現在のパスワードが違います。入力し直してください。"},
			{"mismatch", old, next, next + "!", "パスワードと確認用のパスワードが一致しません。もう一度入力してください。"},
			{"too short", old, "short", "short", "パスワードは10文字以上にしてください。"},
		} {
			w := here.do(http.MethodPost, accountPasswordPath, url.Values{"csrf_token": {csrf}, "current_password": {c.current},
				"password": {c.password}, "password_confirm": {c.confirm}})
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(w.Body.String()), c.want) {
				t.Errorf("%s: %d, want 422 with %q", c.name, w.Code, c.want)
			}
		}
		if !there.loggedIn() {
			t.Fatal("a refused change ended another session")
		}

		sessionBefore := here.cookies[sessionCookie].Value
		w := here.do(http.MethodPost, accountPasswordPath, url.Values{"csrf_token": {csrf}, "current_password": {old},
			"password": {next}, "password_confirm": {next}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != accountPasswordPath || flash(w) != "パスワードを変更しました。" {
			t.Fatalf("change: %d to %q, flash %q", w.Code, w.Header().Get("Location"), flash(w))
		}
		if page := here.do(http.MethodGet, accountPasswordPath, nil); page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "パスワードを変更しました。") {
			t.Fatalf("after the change this browser got %d, want its page with the message", page.Code)
		}
		if here.cookies[sessionCookie].Value == sessionBefore {
			t.Error("the session token stayed the same across the change")
		}
		if there.loggedIn() {
			t.Error("another browser of the user is still logged in after the change")
		}
		stale := &browser{h: b.h, cookies: map[string]*http.Cookie{sessionCookie: {Name: sessionCookie, Value: sessionBefore}}}
		if stale.loggedIn() {
			t.Error("the session token from before the change still opens pages")
		}
		if w := newBrowser(b).login(t, "hanako", old); w.Code != http.StatusUnauthorized {
			t.Errorf("the old password: %d, want 401", w.Code)
		}
		if w := newBrowser(b).login(t, "hanako", next); w.Code != http.StatusSeeOther {
			t.Errorf("the new password: %d, want it let in", w.Code)
		}
	})
}

// TestOwnPasswordGuessesAreRateLimited: after a burst of wrong current passwords the form is
// refused even with the right one, so a session left open cannot be used to guess.
func TestOwnPasswordGuessesAreRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	const old, next = "correct horse battery", "staple gun 2026 spring"
	addUser(t, b, "hanako", old)
	br := newBrowser(b)
	br.login(t, "hanako", old)
	csrf := br.csrfOf(t, accountPasswordPath)
	post := func(current string) int {
		return br.do(http.MethodPost, accountPasswordPath, url.Values{"csrf_token": {csrf}, "current_password": {current},
			"password": {next}, "password_confirm": {next}}).Code
	}
	for range loginBurst {
		if code := post("guess guess guess"); code != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong guess: %d", code)
		}
	}
	if code := post(old); code != http.StatusTooManyRequests {
		t.Fatalf("after %d wrong guesses: %d, want 429", loginBurst, code)
	}
	if w := newBrowser(b).login(t, "hanako", old); w.Code != http.StatusSeeOther {
		t.Fatalf("the password changed while limited: login with the old one got %d", w.Code)
	}
}

// TestAdminResetsAPassword: in ユーザー・権限設定 a group with update sets another user's password
// without knowing the old one, which ends all of that user's sessions; view level is offered no
// form and refused.
func TestAdminResetsAPassword(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		const old, next = "correct horse battery", "reset by the admin 1"
		target := addUser(t, b, "sato", old)
		sato := newBrowser(b)
		sato.login(t, "sato", old)
		path := usersPath + "/" + i64toa(target.ID) + "/password"
		form := url.Values{"password": {next}, "password_confirm": {next}}

		viewer := b.loginAs(t, only(user.MenuUsers, user.View))
		if strings.Contains(htmlOf(viewer, usersPath), path) {
			t.Error("a view-only group is offered the reset form")
		}
		if w := viewer.do(http.MethodPost, path, form); w.Code != http.StatusForbidden {
			t.Errorf("reset at view level: %d, want 403", w.Code)
		}

		admin := b.loginAs(t, only(user.MenuUsers, user.Update))
		if !strings.Contains(htmlOf(admin, usersPath), `action="`+path+`"`) {
			t.Fatal("the users page offers no reset form")
		}
		if msg := flash(admin.do(http.MethodPost, path, url.Values{"password": {next}, "password_confirm": {"something else"}})); !strings.Contains(msg, "一致しません") {
			t.Errorf("a mismatched confirmation: %q", msg)
		}
		if msg := flash(admin.do(http.MethodPost, path, url.Values{"password": {"short"}, "password_confirm": {"short"}})); !strings.Contains(msg, "パスワードは10文字以上にしてください。") {
			t.Errorf("a short password: %q", msg)
		}
		if !sato.loggedIn() {
			t.Fatal("a refused reset ended the user's session")
		}
		w := admin.do(http.MethodPost, path, form)
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "ユーザー「sato」のパスワードを再設定しました。") {
			t.Fatalf("reset: %d, flash %q", w.Code, flash(w))
		}
		if sato.loggedIn() {
			t.Error("the user is still logged in after the reset")
		}
		if admin.do(http.MethodGet, usersPath, nil).Code != http.StatusOK {
			t.Error("the admin's own session ended with another user's reset")
		}
		if w := newBrowser(b).login(t, "sato", old); w.Code != http.StatusUnauthorized {
			t.Errorf("the old password: %d, want 401", w.Code)
		}
		if w := newBrowser(b).login(t, "sato", next); w.Code != http.StatusSeeOther {
			t.Errorf("the new password: %d, want it let in", w.Code)
		}
		if w := admin.do(http.MethodPost, usersPath+"/999999/password", form); w.Code != http.StatusNotFound {
			t.Errorf("an unknown user: %d, want 404", w.Code)
		}
	})
}

// TestPasswordFormsNeedTheSessionsCSRFToken: a password change or reset posted without the
// session's token (from another site's form) is refused and changes nothing.
func TestPasswordFormsNeedTheSessionsCSRFToken(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		const old, next = "correct horse battery", "chosen by the attacker"
		target := addUser(t, b, "hanako", old)
		br := newBrowser(b)
		br.login(t, "hanako", old)
		admin := b.loginAs(t, user.AdminPermissions())
		for path, form := range map[string]url.Values{
			accountPasswordPath: {"current_password": {old}, "password": {next}, "password_confirm": {next}},
			usersPath + "/" + i64toa(target.ID) + "/password": {"password": {next}, "password_confirm": {next}},
		} {
			if w := br.do(http.MethodPost, path, form); w.Code != http.StatusForbidden {
				t.Errorf("POST %s without the token: %d, want 403", path, w.Code)
			}
			noToken := &session{b: b, token: admin.token}
			if w := noToken.do(http.MethodPost, path, form); w.Code != http.StatusForbidden {
				t.Errorf("POST %s as the admin without the token: %d, want 403", path, w.Code)
			}
		}
		if !br.loggedIn() {
			t.Error("a refused post ended the session")
		}
		if w := newBrowser(b).login(t, "hanako", old); w.Code != http.StatusSeeOther {
			t.Errorf("the password changed: the old one got %d", w.Code)
		}
	})
}
