package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// A bulk batch keeps exactly the orders it was given that exist, the order list finds exactly
// them by it, and a batch older than a week goes when the next one is made.
func init() {
	conformanceTests["BulkBatchFindsExactlyItsOrders"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 5, base), store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		picked := []int64{res.IDs[1], res.IDs[3], 999_999} // an id that does not exist is left out
		hold := b.phases["保留"].ID
		old, err := b.st.CreateBulkBatch(ctx, store.BulkBatch{CreatedAt: base.AddDate(0, 0, -8), PhaseID: hold, Actor: "hanako"}, res.IDs)
		if err != nil {
			t.Fatal(err)
		}
		id, err := b.st.CreateBulkBatch(ctx, store.BulkBatch{CreatedAt: base, PhaseID: hold, Actor: "hanako"}, picked)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.st.GetBulkBatch(ctx, id)
		if err != nil || got.PhaseID != hold || got.Actor != "hanako" || !got.CreatedAt.Equal(base) {
			t.Fatalf("batch %+v, %v", got, err)
		}
		orders, err := b.st.BulkBatchOrders(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, o := range orders {
			if o.ShopID != b.shop.ID || o.PhaseDone {
				t.Fatalf("batch order %+v", o)
			}
			ids = append(ids, o.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, picked[:2]) {
			t.Fatalf("batch orders %v, want %v", ids, picked[:2])
		}
		page, err := b.st.SearchOrders(ctx, store.OrderQuery{Batch: id})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 || len(page.Orders) != 2 {
			t.Fatalf("the list finds %d orders of the batch (%d on the page), want 2", page.Total, len(page.Orders))
		}
		if _, err := b.st.GetBulkBatch(ctx, old); apperror.CodeOf(err) != apperror.NotFound {
			t.Fatalf("the 8-day-old batch: %v, want not found", err)
		}
		if page, err := b.st.SearchOrders(ctx, store.OrderQuery{Batch: old}); err != nil || page.Total != 0 {
			t.Fatalf("the 8-day-old batch's orders are still found: %d, %v", page.Total, err)
		}
	}
}
