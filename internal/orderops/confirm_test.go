package orderops_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestConfirmIsAMoveIntoTheStartedConfirmRulesPhase: the web UI and the API confirm through
// PlanConfirm, which refuses an order of a channel that does not confirm and a shop without a
// started confirm rule before anything moves, and otherwise plans the move into its phase.
func TestConfirmIsAMoveIntoTheStartedConfirmRulesPhase(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "confirm")
			res, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 3, time.Now().Add(-time.Hour)), store.UpsertOptions{PhaseID: phases["新規受付"].ID})
			if err != nil {
				t.Fatal(err)
			}
			ids := map[int64][]int64{sh.ID: res.IDs}
			au := shop.Shop{ID: sh.ID + 1000, Name: "au店", Channel: shop.Channel(aupay.Channel)}
			_, err = orderops.PlanConfirm(ctx, st, []shop.Shop{sh, au}, map[int64][]int64{sh.ID: res.IDs, au.ID: {1, 2}})
			if apperror.CodeOf(err) != apperror.Invalid || !strings.Contains(err.Error(), "以外の注文が含まれています: 「au店」(au PAY マーケット)の2件") {
				t.Fatalf("an au PAY shop: %v", err)
			}
			var missing *orderops.NoConfirmRuleError
			if _, err := orderops.PlanConfirm(ctx, st, []shop.Shop{sh}, ids); !errors.As(err, &missing) || missing.Stopped || apperror.CodeOf(err) != apperror.Invalid {
				t.Fatalf("no confirm rule: %v", err)
			}
			target := phases["確認待ち"].ID
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobConfirm, TargetPhaseID: target,
				SuccessPhaseID: phases["入金待ち"].ID, ErrorPhaseID: phases["エラー"].ID})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := orderops.PlanConfirm(ctx, st, []shop.Shop{sh}, ids); !errors.As(err, &missing) || !missing.Stopped || !strings.Contains(apperror.MessageOf(err), "停止中") {
				t.Fatalf("a stopped confirm rule: %v", err)
			}
			if err := st.SetRuleEnabled(ctx, rule.ID, true); err != nil {
				t.Fatal(err)
			}
			plans, err := orderops.PlanConfirm(ctx, st, []shop.Shop{sh}, ids)
			if err != nil || len(plans) != 1 || plans[0].Move == nil || plans[0].Move.PhaseID != target || len(plans[0].Move.Rules) != 1 || !plans[0].Move.Rules[0].Runs || !slices.Equal(plans[0].IDs, res.IDs) {
				t.Fatalf("plans %+v: %v", plans, err)
			}
		})
	}
}

// refetchQueue records what it is asked to queue.
type refetchQueue struct{ asked [][]jobs.ShopOrders }

func (q *refetchQueue) QueueRefetch(_ context.Context, orders []jobs.ShopOrders) ([]jobs.QueuedRefetch, error) {
	q.asked = append(q.asked, orders)
	return nil, nil
}

// TestRefetchRefusesAStoppedShopBeforeQueueingAnything: 再取得 of a selection with a shop stopped
// by an auth error, or of a channel that reads nothing back, queues nothing for any shop.
func TestRefetchRefusesAStoppedShopBeforeQueueingAnything(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ok := shop.Shop{ID: 1, Name: "楽天店", Channel: shop.Channel(rakuten.Name)}
	ids := map[int64][]int64{1: {10, 11}, 2: {20}, 3: {30}}
	q := &refetchQueue{}
	for name, other := range map[string]shop.Shop{
		"auth error":     {ID: 2, Name: "止まった店", Channel: shop.Channel(aupay.Channel), Status: shop.AuthError},
		"no marketplace": {ID: 3, Name: "CSV店", Channel: shop.Channel("csvshop")},
	} {
		if _, err := orderops.Refetch(ctx, q, []shop.Shop{ok, other}, ids); apperror.CodeOf(err) != apperror.Invalid || !strings.Contains(err.Error(), other.Name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if len(q.asked) != 0 {
		t.Fatalf("queued %v", q.asked)
	}
	if _, err := orderops.Refetch(ctx, q, []shop.Shop{ok, {ID: 2, Name: "au店", Channel: shop.Channel(aupay.Channel)}}, ids); err != nil {
		t.Fatal(err)
	}
	want := []jobs.ShopOrders{{ShopID: 1, OrderIDs: []int64{10, 11}}, {ShopID: 2, OrderIDs: []int64{20}}}
	if len(q.asked) != 1 || !slices.EqualFunc(q.asked[0], want, func(a, b jobs.ShopOrders) bool { return a.ShopID == b.ShopID && slices.Equal(a.OrderIDs, b.OrderIDs) }) {
		t.Fatalf("queued %v, want %v", q.asked, want)
	}
}
