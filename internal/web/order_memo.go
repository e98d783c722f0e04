package web

import (
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// saveMemo writes the shop's memo on one order (備考・メモ) from the order page. The memo is
// ichigen's own: an import never changes it, and each change is a line in the order's history.
func (h *Handler) saveMemo(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	memo, ok := order.NormaliseMemo(r.PostFormValue("memo"))
	if !ok {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "メモは%d文字までです。短くしてから保存してください。", order.MemoMaxRunes))
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if version <= 0 {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "注文の版が読めません。画面を再読み込みしてから、もう一度保存してください。"))
		return
	}
	changed, err := h.deps.Store.SetOrderMemo(r.Context(), id, version, memo, stateOf(r.Context()).user.Login)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	msg := "メモは変わっていません。"
	if changed {
		msg = "メモを保存しました。"
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, idPath(id)+"#memo", http.StatusSeeOther)
}
