package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestSavedSearchesThroughTheAPI: a search saved through the API keeps the order list's query
// string (so the UI's side bar links to it), is listed with its count, runs as the same page as
// GET /orders with exactly its orders, refuses a second of the same name with what to do, is
// read-only for a viewer, and is gone once deleted, on both engines.
func TestSavedSearchesThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		hold := b.phases["保留"].ID
		held := b.orderID[3:7]
		if _, err := b.st.MoveOrders(t.Context(), held, hold, "hanako"); err != nil {
			t.Fatal(err)
		}
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		body := map[string]any{"name": "保留の注文", "filter": map[string]any{"phase": hold, "link_status": "none"}}
		problem(t, b.do(t, viewer, http.MethodPost, "/saved-searches", body), http.StatusForbidden)
		s := decode[SavedSearch](t, b.do(t, token, http.MethodPost, "/saved-searches", body), http.StatusCreated)
		if s.Query != "link=-&phase="+i64(hold) || s.Count != 4 || s.CountCapped || s.Filter.Phase != hold || s.Filter.LinkStatus != "none" || s.Name != "保留の注文" {
			t.Fatalf("saved %+v", s)
		}
		p := problem(t, b.do(t, token, http.MethodPost, "/saved-searches", body), http.StatusConflict)
		if !strings.Contains(p.Detail, "別の名前") {
			t.Errorf("the same name again: %q", p.Detail)
		}
		list := decode[[]SavedSearch](t, b.do(t, viewer, http.MethodGet, "/saved-searches", nil), http.StatusOK)
		if len(list) != 1 || list[0].ID != s.ID || list[0].Count != 4 {
			t.Fatalf("list %+v", list)
		}
		page := decode[OrderPage](t, b.do(t, viewer, http.MethodGet, "/saved-searches/"+i64(s.ID)+"/orders?page_size=2", nil), http.StatusOK)
		if page.Total != 4 || len(page.Orders) != 2 || page.PageSize != 2 {
			t.Fatalf("page %+v", page)
		}
		page = decode[OrderPage](t, b.do(t, viewer, http.MethodGet, "/saved-searches/"+i64(s.ID)+"/orders", nil), http.StatusOK)
		var ids []int64
		for _, o := range page.Orders {
			ids = append(ids, o.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, held) {
			t.Fatalf("the saved search finds %v, want %v", ids, held)
		}
		problem(t, b.do(t, viewer, http.MethodDelete, "/saved-searches/"+i64(s.ID), nil), http.StatusForbidden)
		if w := b.do(t, token, http.MethodDelete, "/saved-searches/"+i64(s.ID), nil); w.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", w.Code, w.Body)
		}
		problem(t, b.do(t, viewer, http.MethodGet, "/saved-searches/"+i64(s.ID)+"/orders", nil), http.StatusNotFound)
		problem(t, b.do(t, token, http.MethodDelete, "/saved-searches/"+i64(s.ID), nil), http.StatusNotFound)
	})
}
