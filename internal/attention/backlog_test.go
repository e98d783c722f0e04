package attention_test

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestABacklogSaysHowManyWaitAndHowLongALookTakes: 250 orders waiting for a started 決済審査結果確認
// on Rakuten (getOrder reads 100 a call, at 1 call a second) are a backlog of 3 calls, 3 seconds
// a look, the oldest order looked at first; 99 waiting are no backlog; a stopped rule's waiting
// orders are told elsewhere (停止中). On both engines.
func TestABacklogSaysHowManyWaitAndHowLongALookTakes(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			a, phases := storetest.NewShop(t, st, "backlog-a")
			b, _ := storetest.NewShop(t, st, "backlog-b")
			review := phases["確認待ち"]
			base := time.Now().Add(-10 * 24 * time.Hour)
			must(st.UpsertOrders(ctx, a.ID, storetest.MakeOrders(1, 250, base), store.UpsertOptions{PhaseID: review.ID}))
			must(st.UpsertOrders(ctx, b.ID, storetest.MakeOrders(1, 99, base), store.UpsertOptions{PhaseID: review.ID}))
			ruleA := must(st.SaveRule(ctx, workflow.Rule{ShopID: a.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: review.ID, Enabled: true, Interval: 5 * time.Minute}))
			must(st.SaveRule(ctx, workflow.Rule{ShopID: b.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: review.ID, Enabled: true, Interval: 5 * time.Minute}))

			r := must(attention.Gather(ctx, st, time.Now()))
			byShop := map[int64]attention.Shop{}
			for _, s := range r.Shops {
				byShop[s.Shop.ID] = s
			}
			got := byShop[a.ID].Backlogs
			if len(got) != 1 {
				t.Fatalf("shop with 250 waiting: %d backlogs, want 1", len(got))
			}
			bl := got[0]
			if bl.Rule.ID != ruleA.ID || bl.Waiting != 250 || bl.OrdersPerCall != 100 || bl.Calls != 3 || bl.Sweep != 3*time.Second || bl.PhaseName != review.Name {
				t.Fatalf("backlog %+v; want 250 waiting, 3 calls of 100, 3 s at 1 call a second", bl)
			}
			if want := base.Add(time.Minute); bl.Oldest.Sub(want).Abs() > time.Millisecond {
				t.Fatalf("oldest %s, want %s: the rule looks at the oldest first", bl.Oldest, want)
			}
			if !byShop[a.ID].Needed() {
				t.Fatal("a backlog does not make the shop need the operator")
			}
			if len(byShop[b.ID].Backlogs) != 0 {
				t.Fatalf("99 waiting made a backlog: %+v", byShop[b.ID].Backlogs)
			}
			if err := st.SetRuleEnabled(ctx, ruleA.ID, false); err != nil {
				t.Fatal(err)
			}
			r = must(attention.Gather(ctx, st, time.Now()))
			for _, s := range r.Shops {
				if len(s.Backlogs) != 0 {
					t.Fatalf("a stopped rule's orders reported as a backlog: %+v", s.Backlogs)
				}
			}
		})
	}
}
