package app

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// A 再取得 of several Rakuten orders is one getOrder call; it shows in the history of each of
// them, which without the link said 「この注文の連携履歴はありません。」.
func TestRakutenBatchedCallShowsOnEachOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{})
	rule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	numbers := b.sim.Generate(rakutensim.GenerateOptions{Count: 2, At: b.sim.Sim.Clock.Now().Add(-time.Hour)})
	runImport(t, b.srv, rule)
	var ids []int64
	for _, n := range numbers {
		o, err := b.srv.Store.GetOrderByNumber(ctx, b.shop.ID, n)
		if err != nil {
			t.Fatalf("order %s not imported: %v", n, err)
		}
		ids = append(ids, o.ID)
	}
	refetches := func(id int64) []channel.Call {
		calls, err := b.srv.Store.ListCalls(ctx, store.CallQuery{OrderID: id, JobKind: "refetch"})
		if err != nil {
			t.Fatal(err)
		}
		return calls
	}
	if _, err := b.srv.Queue.Client().Insert(ctx, jobs.RefetchArgs{ShopID: b.shop.ID, OrderIDs: ids}, nil); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, 20*time.Second, func() bool { return len(refetches(ids[1])) > 0 }, b.srv.Queue) {
		t.Fatal("the re-fetch's call is not in the second order's history")
	}
	first, second := refetches(ids[0]), refetches(ids[1])
	if len(first) != 1 || len(second) != 1 || first[0].ID != second[0].ID || first[0].Operation != "getOrder" {
		t.Fatalf("calls of the two orders: %+v and %+v, want the one getOrder in both", first, second)
	}
}
