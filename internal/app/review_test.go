package app

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Confirmation then payment review, by themselves: orders whose review passes reach 出荷待ち
// paid (common settlement), those RMS cancels reach エラー, and those still in review wait.
func TestRakutenConfirmThenPaymentReview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 3, ReviewDelay: time.Minute, ReviewNGShare: 0.2})
	sim, srv, sh, p := b.sim, b.srv, b.shop, b.phases
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	b.rule(t, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["確認待ち"], ErrorPhaseID: p["エラー"]})
	b.rule(t, workflow.Rule{Kind: workflow.JobPaymentReview, TargetPhaseID: p["確認待ち"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"]})
	sim.Generate(rakutensim.GenerateOptions{Count: 40, At: sim.Sim.Clock.Now().Add(-time.Hour)})
	runImport(t, srv, importRule)
	waitPhaseEmpty(t, srv, sh.ID, p["新規受付"])
	// Still in review: everything waits in 確認待ち.
	page, _ := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: p["確認待ち"]})
	if page.Total == 0 {
		t.Fatal("nothing waits for the payment review")
	}
	waiting := page.Total
	// Reviews end; the next look (queued here as the sweep would) moves them on.
	sim.Sim.Clock.Advance(3 * 24 * time.Hour)
	rules, _ := srv.Store.ListRules(ctx, sh.ID)
	for _, r := range rules {
		if r.Kind == workflow.JobPaymentReview {
			if _, err := srv.Queue.Client().Insert(ctx, jobs.DispatchArgs{RuleID: r.ID}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitPhaseEmpty(t, srv, sh.ID, p["確認待ち"])
	all, _ := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	passed, failed := 0, 0
	for _, o := range all.Orders {
		m, _ := sim.Order(o.Number)
		switch o.PhaseID {
		case p["出荷待ち"]:
			passed++
			if m.OrderProgress != rakuten.ProgressAwaitingShip || o.PaymentStatus != order.Paid || o.MarketplaceStatus != order.StatusAwaitingShipment {
				t.Fatalf("passed order %s: progress %d, %s %s", o.Number, m.OrderProgress, o.PaymentStatus, o.MarketplaceStatus)
			}
		case p["エラー"]:
			if o.LinkStatus == string(rakuten.LinkPaymentReviewNG) {
				failed++
				if m.OrderProgress != rakuten.ProgressCancelPending || o.LinkMessage != rakuten.MsgReviewNG {
					t.Fatalf("failed order %s: progress %d %q", o.Number, m.OrderProgress, o.LinkMessage)
				}
			}
		}
	}
	if int64(passed+failed) != waiting || passed == 0 || failed == 0 {
		t.Fatalf("%d waited, %d passed, %d failed", waiting, passed, failed)
	}
}
