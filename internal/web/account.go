package web

import (
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// The account pages are every logged-in user's own (パスワード変更): they need a login but no
// menu, and act only on the session's user.

const accountPasswordPath = "/account/password"

// passwordView is the form to change one's own password, with its message.
type passwordView struct {
	Error string
}

// passwordPage shows the form to change one's own password.
func (h *Handler) passwordPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, accountPasswordPage(passwordView{}))
}

// changePassword changes the user's own password once the current one is given, at most a few
// tries a minute per user (as login is limited), so that a session left open cannot be used to
// guess the password. Every session of the user ends with the change; this browser gets a new
// one, so that a session token seen before the change opens nothing after it.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := *stateOf(ctx).user
	again := func(status int, msg string) {
		h.render(w, r, status, accountPasswordPage(passwordView{Error: msg}))
	}
	// The limit counts per user from any address: whoever posts here already holds the
	// user's session, and changing address must not buy more guesses.
	key := passwordLimit.key(strconv.FormatInt(u.ID, 10))
	refused, err := h.tryAttempt(ctx, passwordLimit, key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if refused != nil {
		again(http.StatusTooManyRequests, "現在のパスワードの入力が多すぎます。"+refused.wait(w, h.deps.Now())+"、もう一度お試しください。")
		return
	}
	hash, err := user.ChangePassword(u.PasswordHash, r.PostFormValue("current_password"), r.PostFormValue("password"), r.PostFormValue("password_confirm"))
	if err == nil {
		err = h.deps.Store.ChangePassword(ctx, u.ID, u.PasswordHash, hash)
	}
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		again(statusOf(err), apperror.MessageOf(err))
		return
	}
	if err := h.deps.Store.ForgetLoginAttempts(ctx, key); err != nil {
		h.deps.Logger.Warn("forget password attempts", "user", u.Login, "error", err)
	}
	h.deps.Logger.Info("password changed", "user", u.Login)
	if err := h.startSession(w, r, u); err != nil {
		h.fail(w, r, err)
		return
	}
	h.setFlash(w, r, "パスワードを変更しました。")
	http.Redirect(w, r, accountPasswordPath, http.StatusSeeOther)
}
