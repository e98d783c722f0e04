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

// TestOrdersHeldInAPhaseLongerThanExpectedAreCountedPerShop: a phase's expected time is the
// company's (phases are shared), and 要対応 counts each shop's orders that came into the phase
// longer ago than that. A move into the phase starts the time again; a phase without an
// expected time counts nothing; the count's query finds the orders, the longest held first. On
// both engines.
func TestOrdersHeldInAPhaseLongerThanExpectedAreCountedPerShop(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			a, phases := storetest.NewShop(t, st, "stuck-a")
			b, _ := storetest.NewShop(t, st, "stuck-b")
			inbox, ready, hold := phases["新規受付"], phases["出荷待ち"], phases["保留"]
			base := time.Now().Add(-30 * 24 * time.Hour)
			idsA := must(st.UpsertOrders(ctx, a.ID, storetest.MakeOrders(1, 3, base), store.UpsertOptions{PhaseID: inbox.ID})).IDs
			must(st.UpsertOrders(ctx, b.ID, storetest.MakeOrders(1, 1, base), store.UpsertOptions{PhaseID: inbox.ID}))
			entered := func(id int64) time.Time {
				t.Helper()
				o := must(st.GetOrder(ctx, id))
				if o.PhaseEnteredAt.IsZero() {
					t.Fatalf("order %d has no time it entered its phase", id)
				}
				return o.PhaseEnteredAt
			}
			imported := entered(idsA[0])
			// A2 leaves the inbox and comes back: its time starts again. A3 goes on to 出荷待ち.
			must(st.MoveOrders(ctx, idsA[1:2], hold.ID, "test"))
			must(st.MoveOrders(ctx, idsA[1:2], inbox.ID, "test"))
			back := entered(idsA[1])
			must(st.MoveOrders(ctx, idsA[2:3], ready.ID, "test"))
			shipped := entered(idsA[2])
			if !imported.Before(back) || !back.Before(shipped) {
				t.Fatalf("entered: imported %v, moved back %v, moved on %v: a move must start the time again", imported, back, shipped)
			}
			for _, p := range []int64{inbox.ID, ready.ID} {
				if err := st.SetPhaseExpectedHours(ctx, p, 2); err != nil {
					t.Fatal(err)
				}
			}
			if err := st.SetPhaseExpectedHours(ctx, hold.ID, -1); err == nil {
				t.Error("a negative expected time was taken")
			}

			stuck := func(now time.Time) map[int64]map[int64]int64 {
				t.Helper()
				r, err := attention.Gather(ctx, st, now)
				if err != nil {
					t.Fatal(err)
				}
				got := map[int64]map[int64]int64{}
				for _, s := range r.Shops {
					for _, p := range s.Stuck {
						if got[s.Shop.ID] == nil {
							got[s.Shop.ID] = map[int64]int64{}
						}
						got[s.Shop.ID][p.Phase.ID] = p.Total
						if p.Total > 0 && !s.Needed() {
							t.Errorf("shop %d has orders stuck but needs nothing", s.Shop.ID)
						}
					}
				}
				return got
			}
			// Two hours after A2 came back: A1 and B1 are overdue in the inbox, A2 just not.
			got := stuck(back.Add(2 * time.Hour))
			if got[a.ID][inbox.ID] != 1 || got[b.ID][inbox.ID] != 1 || got[a.ID][ready.ID] != 0 {
				t.Fatalf("two hours after the move back: %v", got)
			}
			// Past A3's two hours in 出荷待ち too.
			now := shipped.Add(2*time.Hour + time.Second)
			got = stuck(now)
			if got[a.ID][inbox.ID] != 2 || got[b.ID][inbox.ID] != 1 || got[a.ID][ready.ID] != 1 {
				t.Fatalf("after every expected time: %v", got)
			}
			page := must(st.SearchOrders(ctx, attention.StuckQuery(a.ID, must(phaseOf(ctx, st, inbox.ID)), now)))
			if page.Total != 2 || page.Orders[0].ID != idsA[0] || page.Orders[1].ID != idsA[1] {
				t.Fatalf("the list of shop A's orders stuck in the inbox: %+v", page)
			}
			// Without an expected time, nothing is counted however long the orders wait.
			if err := st.SetPhaseExpectedHours(ctx, inbox.ID, 0); err != nil {
				t.Fatal(err)
			}
			if got = stuck(now.Add(365 * 24 * time.Hour)); got[a.ID][inbox.ID] != 0 || got[b.ID][inbox.ID] != 0 {
				t.Fatalf("a phase without an expected time: %v", got)
			}
		})
	}
}

func phaseOf(ctx context.Context, st store.Store, id int64) (workflow.Phase, error) {
	phases, err := st.ListPhases(ctx)
	for _, p := range phases {
		if p.ID == id {
			return p, err
		}
	}
	return workflow.Phase{}, err
}
