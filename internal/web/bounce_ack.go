package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// bounceNote reads the operator's note on a bounce (電話で連絡済み), or refuses a long one.
func bounceNote(r *http.Request) (string, error) {
	note := strings.TrimSpace(r.PostFormValue("note"))
	if utf8.RuneCountInString(note) > buyermail.MaxAcknowledgeNote {
		return "", apperror.New(apperror.Invalid, "メモは%d文字までです。短くしてから、もう一度「確認済みにする」を押してください。", buyermail.MaxAcknowledgeNote)
	}
	return note, nil
}

// acknowledgeOrderBounce marks one bounced mail of an order 確認済み from the order page: it
// leaves 要対応's count and stays 不達 in the order's history, with the operator and the note.
func (h *Handler) acknowledgeOrderBounce(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mailID, _ := strconv.ParseInt(r.PathValue("mail"), 10, 64)
	note, err := bounceNote(r)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	o, err := h.deps.Store.GetOrder(r.Context(), id)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	mails, err := h.deps.Store.ListOrderMails(r.Context(), id)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	var ids []int64
	for _, m := range mails {
		if m.ID == mailID {
			ids = append(ids, m.ID)
		}
	}
	done, err := h.deps.Store.AcknowledgeBounces(r.Context(), o.ShopID, ids, stateOf(r.Context()).user.Login, note)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	if len(done) == 0 {
		h.setFlashError(w, r, "確認済みにできる不達メールがありません。すでに確認済みか、不達ではありません。画面を再読み込みしてください。")
	} else {
		h.setFlash(w, r, "不達メールを確認済みにしました。")
	}
	http.Redirect(w, r, idPath(id)+"#mails", http.StatusSeeOther)
}

// bounceAckView is the bulk acknowledge's confirmation: every bounce of the shop not yet
// acknowledged, counted before the operator confirms.
type bounceAckView struct {
	Shop    shop.Shop
	Bounces []buyermail.Record
}

// bouncesToAcknowledge shows a shop's unacknowledged bounces with their count and the form that
// marks exactly these 確認済み.
func (h *Handler) bouncesToAcknowledge(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	list, err := h.deps.Store.ListUnacknowledgedBounces(r.Context(), sh.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, bounceAckPage(bounceAckView{Shop: sh, Bounces: list}))
}

// acknowledgeShopBounces marks the listed bounced mails of a shop 確認済み: the bulk form sends
// the ones it showed (a bounce that came in meanwhile is not swept along), a row of 要対応 one.
func (h *Handler) acknowledgeShopBounces(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	note, err := bounceNote(r)
	if err != nil {
		h.setFlashError(w, r, apperror.MessageOf(err))
		http.Redirect(w, r, "/bounces/"+i64toa(sh.ID), http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, apperror.New(apperror.Invalid, "フォームが読めません。画面を再読み込みしてください。"))
		return
	}
	var ids []int64
	for _, s := range r.PostForm["mail"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	done, err := h.deps.Store.AcknowledgeBounces(r.Context(), sh.ID, ids, stateOf(r.Context()).user.Login, note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(done) == 0 {
		h.setFlashError(w, r, "確認済みにできる不達メールがありません。すでに確認済みです。画面を再読み込みしてください。")
	} else {
		h.setFlash(w, r, tf(r.Context(), "%sの不達メール%d件を確認済みにしました。", sh.Name, len(done)))
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
