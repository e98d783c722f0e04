package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// The cookies the UI sets.
const (
	sessionCookie    = "ichigen_session"
	loginCSRFCookie  = "ichigen_login_csrf"
	languageCookie   = "ichigen_lang"
	flashCookie      = "ichigen_flash"
	csrfHeader       = "X-CSRF-Token"
	csrfField        = "csrf_token"
	touchAfterPeriod = 5 // a session's expiry moves after a fifth of its idle time has passed
)

// state is what a request knows about who sent it.
type state struct {
	user    *user.User
	group   user.Group
	session user.Session
	lang    string
	flash   string
	// flashError marks the flash as a refusal, shown as an error.
	flashError bool
}

type stateKey struct{}

// stateOf returns the request's state; an empty one outside a request.
func stateOf(ctx context.Context) *state {
	if s, ok := ctx.Value(stateKey{}).(*state); ok {
		return s
	}
	return &state{lang: langJA}
}

// validCSRF reports whether a write carries the session's token, as the htmx header or as a
// form field.
func (s *state) validCSRF(r *http.Request) bool {
	got := r.Header.Get(csrfHeader)
	switch {
	case got != "":
	case isMultipart(r):
		// An upload is read as it arrives: its form carries the token in its action (see
		// uploadAction) rather than in the body, which is not parsed here.
		got = r.URL.Query().Get(csrfField)
	default:
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.session.CSRFToken)) == 1
}

// isMultipart tells a multipart/form-data request (a file upload).
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// uploadAction is the action of an upload form: path with the session's CSRF token, so that a
// browser without script (which sends no X-CSRF-Token header) has the upload checked without
// its body being read whole before the handler streams it.
func uploadAction(ctx context.Context, path string) string {
	return path + "?" + csrfField + "=" + url.QueryEscape(stateOf(ctx).session.CSRFToken)
}

// newToken returns 32 random bytes as hex.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// hashToken is how a session token is kept at rest.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// withSession finds the request's session, user and group, and its language, and caps the
// request's body: small without a session, a mebibyte with one.
func (h *Handler) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &state{lang: languageOf(r)}
		if c, err := r.Cookie(flashCookie); err == nil {
			st.flash = decodeFlash(c.Value)
			if rest, ok := strings.CutPrefix(st.flash, flashErrorMark); ok {
				st.flash, st.flashError = rest, true
			}
			h.setCookie(w, r, flashCookie, "", -1)
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			if err := h.loadSession(r.Context(), st, c.Value); err != nil {
				if !apperror.Is(err, apperror.NotFound) {
					h.fail(w, r, err)
					return
				}
				h.setCookie(w, r, sessionCookie, "", -1) // expired or logged out elsewhere
			}
		}
		capBody(w, r, st.user != nil)
		ctx := context.WithValue(context.WithValue(r.Context(), stateKey{}, st), requestKey{}, r)
		if st.user != nil {
			ctx = user.WithActor(ctx, st.user.Login)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (h *Handler) loadSession(ctx context.Context, st *state, token string) error {
	now := h.deps.Now()
	sess, err := h.deps.Store.GetSession(ctx, hashToken(token), now)
	if err != nil {
		return err
	}
	u, err := h.deps.Store.GetUser(ctx, sess.UserID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return apperror.New(apperror.NotFound, "disabled")
	}
	g, err := h.deps.Store.GetGroup(ctx, u.GroupID)
	if err != nil {
		return err
	}
	// Each request keeps the session alive for the idle period, within its maximum; the
	// expiry is written only now and then, not on every request.
	expires := now.Add(user.SessionIdle)
	if limit := sess.CreatedAt.Add(user.SessionMax); limit.Before(expires) {
		expires = limit
	}
	if expires.Sub(sess.ExpiresAt) > user.SessionIdle/touchAfterPeriod {
		if err := h.deps.Store.TouchSession(ctx, sess.TokenHash, now, expires); err != nil {
			return err
		}
		sess.ExpiresAt = expires
	}
	st.user, st.group, st.session = &u, g, sess
	return nil
}

// startSession logs the user in: a new session, its cookie.
func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, u user.User) error {
	now := h.deps.Now()
	token := newToken()
	sess := user.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFToken: newToken(), CreatedAt: now,
		ExpiresAt: now.Add(user.SessionIdle), LastSeenAt: now}
	if err := h.deps.Store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	h.setCookie(w, r, sessionCookie, token, 0)
	return nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site; maxAge 0 lasts the
// browser session, -1 deletes.
func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: h.deps.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// setFlash leaves a message for the next page the browser shows.
func (h *Handler) setFlash(w http.ResponseWriter, r *http.Request, msg string) {
	h.setCookie(w, r, flashCookie, encodeFlash(msg), 60)
}

// setFlashError leaves a refusal for the next page, shown as an error.
func (h *Handler) setFlashError(w http.ResponseWriter, r *http.Request, msg string) {
	h.setFlash(w, r, flashErrorMark+msg)
}

// flashErrorMark starts the flash of a refusal.
const flashErrorMark = "\x00"

func encodeFlash(msg string) string { return hex.EncodeToString([]byte(msg)) }

func decodeFlash(v string) string {
	b, err := hex.DecodeString(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// needLogin sends a visitor without a session to the login page, coming back afterwards.
func (h *Handler) needLogin(w http.ResponseWriter, r *http.Request) {
	next := "/login"
	if r.Method == http.MethodGet {
		next += "?next=" + urlQueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", next)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodGet {
		h.render(w, r, http.StatusUnauthorized, errorPage(http.StatusUnauthorized, "ログインの有効期限が切れました。もう一度ログインしてから操作してください。"))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
