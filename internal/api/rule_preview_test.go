package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestRulePreviewIsARead: a user who may only view the rules previews a rule before saving it
// (the orders waiting in its target phase, each with what the rule would do) and a saved one; a
// kind the shop's channel lacks, or a missing target phase, is refused with what to do.
func TestRulePreviewIsARead(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("workflow", 1))
		draft := "/shops/" + i64(b.shop.ID) + "/rules/preview?kind=confirm&target_phase_id=" + i64(b.phases["新規受付"].ID)
		got := decode[RulePreview](t, b.do(t, token, http.MethodGet, draft, nil), http.StatusOK)
		if got.Waiting != 30 || len(got.Orders) != 30 || got.BatchSize != 100 {
			t.Fatalf("preview of 30 waiting orders: waiting %d, %d shown, batch %d", got.Waiting, len(got.Orders), got.BatchSize)
		}
		for _, o := range got.Orders {
			if o.Outcome == "" || o.OutcomeLabel == "" || o.Number == "" {
				t.Fatalf("order without its outcome: %+v", o)
			}
		}
		saved := decode[RulePreview](t, b.do(t, token, http.MethodGet, "/rules/"+i64(b.ruleID)+"/preview", nil), http.StatusOK)
		if saved.Kind != "ship_report" || saved.Waiting != 0 || len(saved.Orders) != 0 {
			t.Fatalf("saved rule's preview: %+v", saved)
		}
		if p := problem(t, b.do(t, token, http.MethodGet, "/shops/"+i64(b.shop.ID)+"/rules/preview?kind=confirm", nil), http.StatusUnprocessableEntity); p.Detail != "対象処理フェーズを選んでからプレビューしてください。" {
			t.Errorf("no target phase: %q", p.Detail)
		}
		// Sending the reads spends the marketplace's quota: the viewer may not, with what to do.
		for _, path := range []string{draft + "&read_through=true", "/rules/" + i64(b.ruleID) + "/preview?read_through=true"} {
			if p := problem(t, b.do(t, token, http.MethodGet, path, nil), http.StatusForbidden); !strings.Contains(p.Detail, "自動処理の更新権限が必要です") {
				t.Errorf("%s by a viewer: %q", path, p.Detail)
			}
		}
	})
}

// TestAttentionAnswersABacklog: 130 orders waiting for a started 決済審査結果確認 on Rakuten are a
// backlog of 2 calls of 100, 2 seconds at one call a second, in GET /attention.
func TestAttentionAnswersABacklog(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		review := b.phases["確認待ち"]
		if _, err := b.st.UpsertOrders(ctx, b.shop.ID, storetest.MakeOrders(500, 130, base), store.UpsertOptions{PhaseID: review.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: review.ID, Enabled: true, Interval: 5 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		got := decode[Attention](t, b.do(t, b.tokenFor(t, only("orders", 1)), http.MethodGet, "/attention", nil), http.StatusOK)
		if len(got.Shops) != 1 || len(got.Shops[0].Backlogs) != 1 {
			t.Fatalf("backlogs: %+v", got.Shops)
		}
		bl := got.Shops[0].Backlogs[0]
		if bl.Kind != "payment_review" || bl.Waiting != 130 || bl.OrdersPerCall != 100 || bl.Calls != 2 || bl.SweepSeconds != 2 || bl.OldestOrderedAt.IsZero() {
			t.Fatalf("backlog %+v; want 130 waiting, 2 calls of 100, 2 s", bl)
		}
	})
}

// TestRulePreviewSaysWhatWaitsBeyondTheFirstRound: with 130 orders waiting for 決済審査結果確認,
// the preview shows the first 100 and says that 30 more wait, 2 rounds in all; without the
// shop's client it claims no time (jobs' TestPreviewSaysWhatWaitsBeyondTheFirstRound proves the
// time with one). A phase the first round empties carries no backlog.
func TestRulePreviewSaysWhatWaitsBeyondTheFirstRound(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		review := b.phases["確認待ち"]
		if _, err := b.st.UpsertOrders(context.Background(), b.shop.ID, storetest.MakeOrders(700, 130, base), store.UpsertOptions{PhaseID: review.ID}); err != nil {
			t.Fatal(err)
		}
		token := b.tokenFor(t, only("workflow", 1))
		got := decode[RulePreview](t, b.do(t, token, http.MethodGet, "/shops/"+i64(b.shop.ID)+"/rules/preview?kind=payment_review&target_phase_id="+i64(review.ID), nil), http.StatusOK)
		bl := got.Backlog
		if len(got.Orders) != 100 || bl == nil || bl.Beyond != 30 || bl.Rounds != 2 || !strings.Contains(bl.Message, "ほかに30件") {
			t.Fatalf("%d orders shown, backlog %+v; want 30 beyond in 2 rounds", len(got.Orders), bl)
		}
		// The bundle's handler has no channel client: no call is built, so no time is claimed.
		if len(got.Calls) != 0 || bl.CallsPerRound != 0 || bl.Seconds != 0 || !strings.Contains(bl.Message, "見積もれません") {
			t.Fatalf("problem %q, backlog %+v; want no time claimed without a client", got.Problem, bl)
		}
		small := decode[RulePreview](t, b.do(t, token, http.MethodGet, "/shops/"+i64(b.shop.ID)+"/rules/preview?kind=confirm&target_phase_id="+i64(b.phases["新規受付"].ID), nil), http.StatusOK)
		if small.Backlog != nil {
			t.Fatalf("a phase of %d orders has a backlog %+v", small.Waiting, small.Backlog)
		}
	})
}
