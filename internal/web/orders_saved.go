package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// Saved searches (issue 20 item 3, Next Engine's 「オリジナルステータス」): 「この条件を保存」 on the
// order list keeps the list's filter under a name; the side bar lists them with their counts.

// savedSearchesPath is the side bar's list of saved searches, and where one is saved.
const savedSearchesPath = "/orders/saved"

// savedRow is one saved search of the side bar with its count, up to store.CountCap+1.
type savedRow struct {
	Search  store.SavedSearch
	Count   int64
	Current bool // the list shows its filter
}

// savedSearchesView is the side bar's list of saved searches.
type savedSearchesView struct {
	Rows      []savedRow
	CanUpdate bool
}

// savedListURL is the order list of a saved search's query string.
func savedListURL(s store.SavedSearch) string {
	if s.Query == "" {
		return "/orders"
	}
	return "/orders?" + s.Query
}

// savedSearches answers the side bar's saved searches, each with one bounded count; the one whose
// filter the list shows (the query's filter) is marked current.
func (h *Handler) savedSearches(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query()); err != nil {
		h.fail(w, r, err)
		return
	}
	current := savedQuery(readFilter(r.URL.Query()))
	list, err := h.deps.Store.ListSavedSearches(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := savedSearchesView{Rows: make([]savedRow, len(list)), CanUpdate: stateOf(r.Context()).group.Allows(user.MenuOrders, user.Update)}
	for i, s := range list {
		v.Rows[i].Search, v.Rows[i].Current = s, s.Query == current
		if v.Rows[i].Count, err = h.deps.Store.CountOrders(r.Context(), s.Filter); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, savedSearchesFragment(v))
}

// saveSearch keeps the filter the form carries under the name it gives.
func (h *Handler) saveSearch(w http.ResponseWriter, r *http.Request) {
	f := readFilter(r.PostForm)
	err := checkParams(r.PostForm, "name", csrfField)
	var q store.OrderQuery
	if err == nil && f.Batch != "" {
		err = apperror.New(apperror.Invalid, "一括操作の結果の一覧は7日で消えるため、検索条件として保存できません。処理フェーズや連携ステータスなどで条件を指定し直してから保存してください。")
	}
	if err == nil {
		q, err = f.query()
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if err == nil {
		_, err = h.deps.Store.CreateSavedSearch(r.Context(), store.SavedSearch{Name: name, Query: savedQuery(f), Filter: savedFilter(q),
			CreatedAt: h.deps.Now(), CreatedBy: stateOf(r.Context()).user.Login})
	}
	if err != nil {
		h.bulkFail(w, r, f, err)
		return
	}
	h.bulkDone(w, r, f, tf(r.Context(), "検索条件「%s」を保存しました。左の「保存した検索条件」から開けます。", name))
}

// savedQuery is the list's query string a saved search links to: the filter without the page and
// its size, which are the browser's.
func savedQuery(f orderFilter) string {
	f.Page, f.Size = 0, 0
	v := f.values()
	return v.Encode()
}

// savedFilter is the store query a saved search keeps: the filter without the page.
func savedFilter(q store.OrderQuery) store.OrderQuery {
	q.Page, q.PageSize = 0, 0
	return q
}

// deleteSavedSearch deletes a saved search once the operator confirmed it (hx-confirm).
func (h *Handler) deleteSavedSearch(w http.ResponseWriter, r *http.Request) {
	back := orderFilter{} // back to the list the operator was on
	if u, perr := url.Parse(r.Referer()); perr == nil && u.Path == "/orders" {
		back = readFilter(u.Query())
	}
	id, err := pathID(r)
	if err != nil {
		err = apperror.New(apperror.NotFound, "この検索条件は見つかりません。一覧を開き直して、「保存した検索条件」から選んでください。")
	}
	var s store.SavedSearch
	if err == nil {
		s, err = h.deps.Store.GetSavedSearch(r.Context(), id)
	}
	if err == nil {
		err = h.deps.Store.DeleteSavedSearch(r.Context(), id)
	}
	if err != nil {
		h.bulkFail(w, r, back, err)
		return
	}
	h.bulkDone(w, r, back, tf(r.Context(), "検索条件「%s」を削除しました。", s.Name))
}
