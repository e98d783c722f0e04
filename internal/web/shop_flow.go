package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/shopflow"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// credentialsComplete reports whether a shop has every credential its channel requires: one
// that has not is not working, whatever its status says (認証情報未設定, not 稼働中). A channel
// without credentials (the CSV shop) needs none.
func credentialsComplete(sh shop.Shop) bool {
	if len(sh.Channel.CredentialKeys()) == 0 {
		return true
	}
	return sh.Channel.CheckCredentials(sh.Credentials) == nil
}

// intervalLabel says how often a polling rule runs as it is: 「30秒ごと」 for the demo's
// half-minute import, never 「0分ごと」.
func intervalLabel(ctx context.Context, d time.Duration) string {
	switch {
	case d <= 0:
		return intervalLabel(ctx, workflow.DefaultPollInterval)
	case d%time.Minute != 0:
		return tf(ctx, "%s秒ごと", strconv.Itoa(int(d/time.Second)))
	case d%time.Hour == 0:
		return tf(ctx, "%s時間ごと", strconv.Itoa(int(d/time.Hour)))
	}
	return tf(ctx, "%s分ごと", minutes(d))
}

// testConnection is 接続テスト: one harmless read through the shop's client, paced and recorded
// like any other call, and the answer in the operator's words.
func (h *Handler) testConnection(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	back := shopPath(sh.ID)
	if !credentialsComplete(sh) {
		h.settingsFail(w, r, back, apperror.New(apperror.Invalid, "認証情報がまだ揃っていません。先に認証情報を入力して保存し、それから接続テストしてください。"))
		return
	}
	if h.deps.Client == nil {
		h.settingsFail(w, r, back, apperror.New(apperror.Invalid, "この画面からはモールに接続できません。"))
		return
	}
	client, err := h.deps.Client(sh)
	if err != nil {
		h.settingsFail(w, r, back, apperror.New(apperror.Invalid, "%s", err.Error()))
		return
	}
	v := shopflow.CheckConnection(r.Context(), client, sh, h.deps.Now())
	if !v.OK {
		h.setFlashError(w, r, v.Message)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	h.settingsDone(w, r, back, v.Message)
}

// failureLine says why a shop's calls fail, from its newest failed call: when (Japan time), the
// operation, and the marketplace's or the connection's words.
func failureLine(ctx context.Context, f *channel.Call) string {
	return tf(ctx, "最後の失敗(%s %s): %s", f.At.In(order.JST).Format("15:04"), f.Operation, f.ErrorMessage)
}
