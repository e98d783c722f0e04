package jobs_test

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestRefetchIsSpreadOverJobsOfAtMostRefetchPerJobOrders: a large selection becomes several jobs
// per shop, in the order given, each with its id.
func TestRefetchIsSpreadOverJobsOfAtMostRefetchPerJobOrders(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			q, err := jobs.New(ctx, st, jobs.Config{})
			if err != nil {
				t.Fatal(err)
			}
			many := make([]int64, 2*jobs.RefetchPerJob+1)
			for i := range many {
				many[i] = int64(i + 1)
			}
			queued, err := q.QueueRefetch(ctx, []jobs.ShopOrders{{ShopID: 7, OrderIDs: many}, {ShopID: 8, OrderIDs: []int64{9}}})
			if err != nil {
				t.Fatal(err)
			}
			want := []jobs.QueuedRefetch{{ShopID: 7, Orders: jobs.RefetchPerJob}, {ShopID: 7, Orders: jobs.RefetchPerJob}, {ShopID: 7, Orders: 1}, {ShopID: 8, Orders: 1}}
			if len(queued) != len(want) {
				t.Fatalf("queued %+v", queued)
			}
			seen := map[int64]bool{}
			for i, j := range queued {
				if j.ShopID != want[i].ShopID || j.Orders != want[i].Orders || j.JobID == 0 || seen[j.JobID] {
					t.Fatalf("job %d: %+v, want %+v", i, j, want[i])
				}
				seen[j.JobID] = true
			}
		})
	}
}
