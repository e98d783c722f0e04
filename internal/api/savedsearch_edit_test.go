package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestSavedSearchesAreRenamedMovedAndRelative: PATCH renames a saved search (refusing another's
// name) and moves it to a position, the list following; date=today finds today's orders in
// Japan time, is refused beside fixed dates, and a search saved with it keeps the range (its
// query carries date=today, as the UI's side bar links to it); on both engines.
func TestSavedSearchesAreRenamedMovedAndRelative(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		j := time.Now().In(order.JST)
		today := time.Date(j.Year(), j.Month(), j.Day(), 0, 0, 0, 0, order.JST)
		res, err := b.st.UpsertOrders(t.Context(), b.shop.ID, append(storetest.MakeOrders(901, 1, today.Add(-901*time.Minute)),
			storetest.MakeOrders(902, 1, today.Add(-time.Minute-902*time.Minute))...), store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))

		page := decode[OrderPage](t, b.do(t, viewer, http.MethodGet, "/orders?date=today&page_size=1000", nil), http.StatusOK)
		if len(page.Orders) != 1 || page.Orders[0].ID != res.IDs[0] {
			t.Fatalf("date=today finds %d orders, want today's one (%d)", len(page.Orders), res.IDs[0])
		}
		if p := problem(t, b.do(t, viewer, http.MethodGet, "/orders?date=today&ordered_from=2026-01-01", nil), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "どちらか一方") {
			t.Errorf("date beside ordered_from: %q", p.Detail)
		}

		var ids []int64
		for _, f := range []map[string]any{{"date": "today"}, {"q": "x"}, {"q": "y"}} {
			name := "条件" + string(rune('A'+len(ids)))
			s := decode[SavedSearch](t, b.do(t, token, http.MethodPost, "/saved-searches", map[string]any{"name": name, "filter": f}), http.StatusCreated)
			if s.Position != len(ids)+1 {
				t.Fatalf("%s saved at position %d, want %d", name, s.Position, len(ids)+1)
			}
			ids = append(ids, s.ID)
		}
		first, _ := b.st.GetSavedSearch(t.Context(), ids[0])
		if first.Query != "date=today" || first.Filter.OrderedWithin != order.DayToday || !first.Filter.OrderedFrom.IsZero() {
			t.Fatalf("the search of today keeps %q / %+v, want the range", first.Query, first.Filter)
		}
		if got := decode[[]SavedSearch](t, b.do(t, viewer, http.MethodGet, "/saved-searches", nil), http.StatusOK); got[0].Count != 1 || got[0].Filter.Date != "today" {
			t.Fatalf("the search of today: %+v, want 1 order and date today", got[0])
		}

		problem(t, b.do(t, viewer, http.MethodPatch, "/saved-searches/"+i64(ids[2]), map[string]any{"position": 1}), http.StatusForbidden)
		moved := decode[SavedSearch](t, b.do(t, token, http.MethodPatch, "/saved-searches/"+i64(ids[2]), map[string]any{"position": 1}), http.StatusOK)
		if moved.Position != 1 {
			t.Fatalf("moved to %d, want 1", moved.Position)
		}
		list := decode[[]SavedSearch](t, b.do(t, viewer, http.MethodGet, "/saved-searches", nil), http.StatusOK)
		if len(list) != 3 || list[0].ID != ids[2] || list[1].ID != ids[0] || list[2].ID != ids[1] || list[2].Position != 3 {
			t.Fatalf("after the move: %+v", list)
		}
		if p := problem(t, b.do(t, token, http.MethodPatch, "/saved-searches/"+i64(ids[2]), map[string]any{"name": "条件A"}), http.StatusConflict); !strings.Contains(p.Detail, "別の名前") {
			t.Errorf("rename to another's name: %q", p.Detail)
		}
		renamed := decode[SavedSearch](t, b.do(t, token, http.MethodPatch, "/saved-searches/"+i64(ids[2]), map[string]any{"name": "出荷待ち (楽天)"}), http.StatusOK)
		if renamed.Name != "出荷待ち (楽天)" || renamed.Position != 1 {
			t.Fatalf("renamed: %+v", renamed)
		}
		problem(t, b.do(t, token, http.MethodPatch, "/saved-searches/999999", map[string]any{"name": "z"}), http.StatusNotFound)
	})
}
