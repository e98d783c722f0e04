package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The side bar's saved searches can be renamed and put in the order the operators work them in
// (issue 20 item 3): 「名前を変更」 and ↑ ↓ beside each.

// savedBack is the list the operator was on, where a change of the side bar returns.
func savedBack(r *http.Request) orderFilter {
	if u, err := url.Parse(r.Referer()); err == nil && u.Path == "/orders" {
		return readFilter(u.Query())
	}
	return orderFilter{}
}

// savedOf reads the path's saved search.
func (h *Handler) savedOf(r *http.Request) (store.SavedSearch, error) {
	id, err := pathID(r)
	if err != nil {
		return store.SavedSearch{}, apperror.New(apperror.NotFound, "この検索条件は見つかりません。一覧を開き直して、「保存した検索条件」から選んでください。")
	}
	return h.deps.Store.GetSavedSearch(r.Context(), id)
}

// renameSavedSearch gives a saved search the name the form carries.
func (h *Handler) renameSavedSearch(w http.ResponseWriter, r *http.Request) {
	back := savedBack(r)
	name := strings.TrimSpace(r.PostForm.Get("name"))
	s, err := h.savedOf(r)
	if err == nil {
		err = h.deps.Store.RenameSavedSearch(r.Context(), s.ID, name)
	}
	if err != nil {
		h.bulkFail(w, r, back, err)
		return
	}
	h.bulkDone(w, r, back, tf(r.Context(), "検索条件「%s」の名前を「%s」に変えました。", s.Name, name))
}

// moveSavedSearch puts a saved search at the position the form carries (↑ is its position - 1,
// ↓ its position + 1).
func (h *Handler) moveSavedSearch(w http.ResponseWriter, r *http.Request) {
	back := savedBack(r)
	s, err := h.savedOf(r)
	pos, perr := strconv.Atoi(r.PostForm.Get("position"))
	if err == nil && (perr != nil || pos < 1) {
		err = apperror.New(apperror.Invalid, "並び順「%s」が読めません。↑ ↓ のボタンで動かしてください。", r.PostForm.Get("position"))
	}
	if err == nil {
		err = h.deps.Store.MoveSavedSearch(r.Context(), s.ID, pos)
	}
	if err != nil {
		h.bulkFail(w, r, back, err)
		return
	}
	h.bulkDone(w, r, back, tf(r.Context(), "検索条件「%s」を%d番目にしました。", s.Name, pos))
}
