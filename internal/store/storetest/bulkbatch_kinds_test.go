package storetest

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// A batch of any bulk action keeps its kind and each order's job or outcome, and leaves out an
// order that does not exist (issue 20 item 2).
func init() {
	conformanceTests["BatchKeepsItsKindJobsAndOutcomes"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 3, base), store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		entries := []store.BatchEntry{{OrderID: res.IDs[0], JobID: 41}, {OrderID: res.IDs[1], JobID: 41}, {OrderID: res.IDs[2], Outcome: store.BatchFailed},
			{OrderID: 999_999, JobID: 42}}
		id, err := b.st.CreateBatch(ctx, store.BulkBatch{CreatedAt: base, Kind: "mail", Actor: "hanako"}, entries)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.st.GetBulkBatch(ctx, id)
		if err != nil || got.Kind != "mail" || got.PhaseID != 0 {
			t.Fatalf("batch %+v, %v", got, err)
		}
		orders, err := b.st.BulkBatchOrders(ctx, id)
		if err != nil || len(orders) != 3 {
			t.Fatalf("orders %+v, %v", orders, err)
		}
		for _, o := range orders {
			want := store.BatchOrder{JobID: 41}
			if o.ID == res.IDs[2] {
				want = store.BatchOrder{Outcome: store.BatchFailed}
			}
			if o.JobID != want.JobID || o.Outcome != want.Outcome {
				t.Fatalf("order %d: job %d outcome %q, want %d %q", o.ID, o.JobID, o.Outcome, want.JobID, want.Outcome)
			}
		}
	}
}
