package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestABadAnswerFailsTheImportAndLosesNothing: an import whose marketplace answer is larger than
// RMS can send, or a 200 carrying RMS's ERROR, is a failed import recorded in 連携履歴 with a
// Japanese message — not a success with 0 orders — stores none of the orders, and the import
// after it brings them all.
func TestABadAnswerFailsTheImportAndLosesNothing(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		faults simkit.Faults
		op     string
		want   string // in the history row's message
	}{
		{"oversized", simkit.Faults{OversizeBytes: 20 << 20, Operations: []string{"getOrder"}}, "getOrder", "応答が大きすぎます"},
		{"error in a 200", simkit.Faults{ErrorInOK: 1, Operations: []string{"searchOrder"}}, "searchOrder", "リクエストの内容に誤りがあります"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			onEachEngine(t, func(t *testing.T, db string) {
				ctx := context.Background()
				b := setupRakutenOn(t, rakutensim.Config{}, db, 1)
				sim, srv, sh := b.sim, b.srv, b.shop
				rule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
				zero := 0.0
				numbers := sim.Generate(rakutensim.GenerateOptions{Count: 150, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
				sim.Sim.Faults.Set(c.faults)
				if _, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: rule.ID}, nil); err != nil {
					t.Fatal(err)
				}
				var failed channel.Call
				recorded := func() bool {
					calls, err := srv.Store.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, PageSize: 100})
					if err != nil {
						t.Fatal(err)
					}
					for _, call := range calls {
						if call.Outcome != channel.OutcomeOK {
							failed = call
						}
					}
					return failed.ID != 0
				}
				if !storetest.Await(t, 30*time.Second, recorded, srv.Queue) {
					t.Fatal("no failed call recorded")
				}
				if failed.Operation != c.op || !strings.Contains(failed.ErrorMessage, c.want) || failed.JobKind != string(workflow.JobImport) {
					t.Fatalf("history row %+v, want %s failing with %q", failed, c.op, c.want)
				}
				page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID})
				if err != nil || page.Total != 0 {
					t.Fatalf("%d orders stored from a failed import: %v", page.Total, err)
				}
				if got, _ := srv.Store.GetRule(ctx, rule.ID); !got.LastRunAt.Equal(rule.LastRunAt) {
					t.Fatal("the failed import was recorded as a run")
				}

				sim.Sim.Faults.Set(simkit.Faults{}) // the retry brings every order
				retried := func() bool {
					got, _ := srv.Store.GetRule(ctx, rule.ID)
					return !got.LastRunAt.Equal(rule.LastRunAt)
				}
				if !storetest.Await(t, 30*time.Second, retried, srv.Queue) {
					t.Fatal("the import was not retried")
				}
				targets := 0 // selective-settlement orders wait for 発送待ち
				for _, n := range numbers {
					if m, _ := sim.Order(n); rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementCommon {
						targets++
					}
				}
				if page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID}); err != nil || page.Total != int64(targets) || targets <= rakuten.MaxOrdersPerCall {
					t.Fatalf("after the retry: %d of %d orders, %v", page.Total, targets, err)
				}
			})
		})
	}
}
