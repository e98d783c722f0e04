package web

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// loginPage shows the login form. A visitor without a session has no session CSRF token yet:
// the form carries one that must match a cookie of its own (double submit).
func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if stateOf(r.Context()).user != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	token := newToken()
	h.setCookie(w, r, loginCSRFCookie, token, 3600)
	h.render(w, r, http.StatusOK, loginView(token, r.URL.Query().Get("next"), "", ""))
}

// login checks a login and password, at most a few tries a minute per login and address and a
// few more per address across logins. The body is capped (withSession) and a login longer
// than any user may have is refused before anything is counted or looked up.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	formErr := r.ParseForm()
	login := strings.TrimSpace(r.PostFormValue("login"))
	password := r.PostFormValue("password")
	next := r.PostFormValue("next")
	again := func(status int, msg string) {
		token := newToken()
		h.setCookie(w, r, loginCSRFCookie, token, 3600)
		h.render(w, r, status, loginView(token, next, login, msg))
	}
	if tooLarge(formErr) {
		again(http.StatusRequestEntityTooLarge, "送信された内容が大きすぎます。ログインIDとパスワードを確かめて、もう一度ログインしてください。")
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if formErr != nil || err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue(csrfField))) != 1 {
		again(http.StatusForbidden, "ログイン画面の有効期限が切れました。もう一度ログインしてください。")
		return
	}
	if err := user.CheckLoginLength(login); err != nil {
		again(http.StatusBadRequest, apperror.MessageOf(err)+"ログインIDを確かめて、もう一度ログインしてください。")
		return
	}
	ctx := r.Context()
	address := addressOf(r)
	addressKey, loginKey := addressLimit.key(address), loginLimit.key(login, address)
	// The address is counted first: past its limit no key for the login is even made.
	for _, try := range []struct {
		limit attemptLimit
		key   string
	}{{addressLimit, addressKey}, {loginLimit, loginKey}} {
		refused, err := h.tryAttempt(ctx, try.limit, try.key)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if refused != nil {
			again(http.StatusTooManyRequests, "ログインの試行が多すぎます。"+refused.wait(w, h.deps.Now())+"、もう一度お試しください。")
			return
		}
	}
	u, err := h.deps.Store.GetUserByLogin(ctx, login)
	switch {
	case apperror.Is(err, apperror.NotFound):
		user.CheckNoUser(password)
		again(http.StatusUnauthorized, "ログインIDまたはパスワードが違います。入力し直してください。")
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	if !user.CheckPassword(u.PasswordHash, password) || u.Disabled {
		again(http.StatusUnauthorized, "ログインIDまたはパスワードが違います。入力し直してください。")
		return
	}
	if err := h.startSession(w, r, u); err != nil {
		h.fail(w, r, err)
		return
	}
	// Expired sessions go when someone logs in: no schedule needed, and the table stays small.
	if _, err := h.deps.Store.PruneSessions(ctx, h.deps.Now()); err != nil {
		h.deps.Logger.Warn("prune expired sessions", "error", err)
	}
	// The login's tries are forgotten, and the address gets this try back: only failures add up.
	if err := errors.Join(h.deps.Store.ForgetLoginAttempts(ctx, loginKey), h.deps.Store.UncountLoginAttempt(ctx, addressKey)); err != nil {
		h.deps.Logger.Warn("forget login attempts", "error", err)
	}
	h.setCookie(w, r, loginCSRFCookie, "", -1)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// logout ends the session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.deps.Store.DeleteSession(r.Context(), stateOf(r.Context()).session.TokenHash); err != nil {
		h.fail(w, r, err)
		return
	}
	h.setCookie(w, r, sessionCookie, "", -1)
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", "/login")
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// home shows 要対応 to whoever may view orders: the day starts with what needs the operator.
// Anyone else goes to the first menu their group may see.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	g := stateOf(r.Context()).group
	if g.Allows(user.MenuOrders, user.View) {
		h.attention(w, r)
		return
	}
	for _, m := range navMenus {
		if g.Allows(m.menu, user.View) {
			http.Redirect(w, r, m.path, http.StatusSeeOther)
			return
		}
	}
	if p := firstSettingsPage(g); p != "" {
		http.Redirect(w, r, p, http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, emptyHome())
}

// clientIP is the address the request came from. X-Forwarded-For is not trusted: a client
// could set it to slip past the login limit.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
