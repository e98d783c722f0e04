package orderops_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// postageQueue records the postage fixes queued.
type postageQueue struct{ queued [][3]int64 }

func (q *postageQueue) QueueSetPostage(_ context.Context, shopID, orderID, postage int64) error {
	q.queued = append(q.queued, [3]int64{shopID, orderID, postage})
	return nil
}

// TestPlanSetPostageTakesOnlyOrdersWhosePostageIsNotFixed: a bulk postage fix takes the
// selected orders whose postage is not fixed, leaves those whose postage is fixed and the
// finished ones alone and says so, always asks for the count to be confirmed, queues a job per
// order taken; a selection with none to fix, or of a shop stopped by an auth error, is refused.
func TestPlanSetPostageTakesOnlyOrdersWhosePostageIsNotFixed(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "postage")
			base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
			orders := storetest.MakeOrders(1, 6, base)
			for i := range orders[:4] {
				orders[i].Amounts.Postage = order.Unfixed()
			}
			orders[0].MarketplaceStatus = order.StatusCancelled
			var ids, fixed []int64
			for i, o := range seed(t, st, sh.ID, phases["新規受付"].ID, orders...) {
				ids = append(ids, o.ID)
				if i >= 4 {
					fixed = append(fixed, o.ID)
				}
			}

			p, err := orderops.PlanSetPostage(ctx, st, ids, 660, false)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.IDs, ids[1:4]) || p.Final != 1 || p.Postage == nil || p.Postage.Fixed != 2 || !p.NeedsConfirm() {
				t.Fatalf("plan: ids %v (want %v), final %d, postage %+v, confirm %v", p.IDs, ids[1:4], p.Final, p.Postage, p.NeedsConfirm())
			}
			for _, want := range []string{"3件の注文の送料を660円にしてモールに反映します。", "モールで完了・キャンセルの1件は含めません。", "2件は送料が確定しているため反映しません。"} {
				if !strings.Contains(p.Text(), want) {
					t.Errorf("preview %q lacks %q", p.Text(), want)
				}
			}
			q := &postageQueue{}
			done, err := orderops.SetPostage(ctx, st, q, p)
			if err != nil || !slices.Equal(done, ids[1:4]) || len(q.queued) != 3 || q.queued[0] != [3]int64{sh.ID, ids[1], 660} {
				t.Fatalf("queued %v (%v), err %v", q.queued, done, err)
			}

			if _, err := orderops.PlanSetPostage(ctx, st, fixed, 660, false); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "どれも送料が確定しています") {
				t.Errorf("only fixed orders: %v", err)
			}
			if _, err := orderops.PlanSetPostage(ctx, st, ids, 1_000_001, false); !apperror.Is(err, apperror.Invalid) {
				t.Errorf("a postage above the bound: %v", err)
			}
			if _, err := st.MarkAuthError(ctx, sh.ID, "expired"); err != nil {
				t.Fatal(err)
			}
			if _, err := orderops.PlanSetPostage(ctx, st, ids, 660, false); err == nil || !strings.Contains(err.Error(), "認証エラーで止まっているため送料を反映できません") {
				t.Errorf("a shop stopped by an auth error: %v", err)
			}
		})
	}
}
