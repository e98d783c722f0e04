package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/userops"
)

// notifyView is 通知先: the addresses saved in the settings, the start-up configuration's that
// apply while none are, and the form to change them.
type notifyView struct {
	Saved    store.NotifySetting
	Fallback []string // --notify-to
	// Admins are the administrators' addresses, which get every error e-mail too.
	Admins      []string
	MailEnabled bool
	CanUpdate   bool
	// Text is the form's text: the saved addresses one a line, or as entered when a save was
	// refused with Error.
	Text  string
	Error string
}

// InEffect are the addresses the next error e-mail goes to.
func (v notifyView) InEffect() []string { return v.Saved.Recipients(v.Fallback) }

// notifySettings shows where the error e-mails go and, to the update level, the form that
// changes it.
func (h *Handler) notifySettings(w http.ResponseWriter, r *http.Request) {
	h.renderNotify(w, r, http.StatusOK, notifyView{})
}

// renderNotify fills v with what is saved and configured. A v without Error shows the saved
// addresses in the form; one with Error keeps the text as entered.
func (h *Handler) renderNotify(w http.ResponseWriter, r *http.Request, status int, v notifyView) {
	saved, err := h.deps.Store.NotifyAddresses(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Admins, err = userops.AdminAddresses(r.Context(), h.deps.Store); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Saved, v.Fallback, v.MailEnabled, v.CanUpdate = saved, h.deps.NotifyTo, h.deps.MailEnabled, canUpdate(r.Context(), user.MenuShops)
	if v.Error == "" {
		v.Text = strings.Join(saved.Addresses, "\n")
	}
	h.render(w, r, status, notifyPage(v))
}

// saveNotify replaces the notification addresses with the form's, one a line. The jobs read
// them for each e-mail, so the next error e-mail goes to them. A refused list is shown again
// as entered, with what to fix.
func (h *Handler) saveNotify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	text := r.PostFormValue("addresses")
	saved, err := h.deps.Store.SetNotifyAddresses(ctx, notify.SplitAddresses(text), stateOf(ctx).user.Login)
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.renderNotify(w, r, statusOf(err), notifyView{Text: text, Error: apperror.MessageOf(err)})
		return
	}
	var msg string
	switch {
	case len(saved.Addresses) > 0:
		msg = fmt.Sprintf("通知先を保存しました(%d件)。次のエラー通知から、この宛先に送ります。", len(saved.Addresses))
	case len(h.deps.NotifyTo) > 0:
		msg = "保存した通知先を削除しました。エラー通知は起動時の設定(--notify-to)の宛先に送ります。"
	default:
		msg = "保存した通知先を削除しました。起動時の設定(--notify-to)の宛先もないため、エラーがあってもメールは送られません。"
	}
	if !h.deps.MailEnabled && len(saved.Recipients(h.deps.NotifyTo)) > 0 {
		msg += "ただし、メールの送信サーバー(--smtp-addr)が設定されていないため、今はメールは送られません。"
	}
	h.settingsDone(w, r, "/settings/notify", msg)
}
