package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// A saved search keeps its name, the list's query string and the store query it stands for;
// names are unique, at most MaxSavedSearches are kept, and CountOrders counts what the filter
// finds as the list does.
func init() {
	conformanceTests["SavedSearchesKeepTheirFilter"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		if _, err := b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 5, base), store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		hold := b.phases["保留"].ID
		page, err := b.st.SearchOrders(ctx, store.OrderQuery{PageSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.MoveOrders(ctx, []int64{page.Orders[0].ID, page.Orders[1].ID}, hold, "hanako"); err != nil {
			t.Fatal(err)
		}
		blank := ""
		filter := store.OrderQuery{ShopID: b.shop.ID, PhaseID: hold, LinkStatus: &blank, OrderedFrom: base.AddDate(0, 0, -1)}
		id, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: "保留中", Query: fmt.Sprintf("phase=%d", hold), Filter: filter, CreatedAt: base, CreatedBy: "hanako"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.st.GetSavedSearch(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "保留中" || got.Query != fmt.Sprintf("phase=%d", hold) || got.CreatedBy != "hanako" || !got.CreatedAt.Equal(base) ||
			got.Filter.PhaseID != hold || got.Filter.LinkStatus == nil || *got.Filter.LinkStatus != "" || !got.Filter.OrderedFrom.Equal(filter.OrderedFrom) {
			t.Fatalf("saved search %+v", got)
		}
		if n, err := b.st.CountOrders(ctx, got.Filter); err != nil || n != 2 {
			t.Fatalf("the saved filter counts %d, %v, want 2", n, err)
		}
		if n, err := b.st.CountOrders(ctx, store.OrderQuery{}); err != nil || n != 5 {
			t.Fatalf("every order counts %d, %v, want 5", n, err)
		}
		if _, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: "保留中", CreatedAt: base}); !apperror.Is(err, apperror.Conflict) || !strings.Contains(err.Error(), "別の名前") {
			t.Fatalf("the same name again: %v, want a conflict that says what to do", err)
		}
		if _, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: strings.Repeat("長", store.MaxSavedSearchName+1), CreatedAt: base}); !apperror.Is(err, apperror.Invalid) {
			t.Fatalf("a long name: %v, want invalid", err)
		}
		for i := 1; i < store.MaxSavedSearches; i++ {
			if _, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: fmt.Sprintf("条件%02d", i), CreatedAt: base}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: "51件目", CreatedAt: base}); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "削除してから") {
			t.Fatalf("past the bound: %v, want invalid", err)
		}
		list, err := b.st.ListSavedSearches(ctx)
		if err != nil || len(list) != store.MaxSavedSearches {
			t.Fatalf("%d saved searches, %v", len(list), err)
		}
		if err := b.st.DeleteSavedSearch(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.GetSavedSearch(ctx, id); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("deleted: %v, want not found", err)
		}
		if err := b.st.DeleteSavedSearch(ctx, id); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("deleted twice: %v, want not found", err)
		}
		if _, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: "保留中", CreatedAt: base}); err != nil {
			t.Fatalf("the name is free again after the delete: %v", err)
		}
	}
}
