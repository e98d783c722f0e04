package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Imported orders landing in the confirm rule's target phase are confirmed once each — also
// when confirmations time out after RMS applied them — and orders with postage -9999 are never
// sent but moved to the error phase with the fix.
func TestRakutenConfirmOnceEvenWhenAnswersAreLost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 7})
	sim, srv, sh, byName, inbox := b.sim, b.srv, b.shop, b.phases, b.inbox
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	b.rule(t, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: byName["新規受付"], SuccessPhaseID: byName["確認待ち"], ErrorPhaseID: byName["エラー"]})
	sim.Generate(rakutensim.GenerateOptions{Count: 60, At: sim.Sim.Clock.Now().Add(-time.Hour), UnfixedPostageShare: 0.2})
	sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 0.5})
	runImport(t, srv, importRule)

	waitPhaseEmpty(t, srv.Store, sh.ID, byName["新規受付"])
	all, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	counts := sim.Sim.Counters.Snapshot()
	if counts.HungWrites == 0 {
		t.Fatal("the fault run lost no answer: the test proves nothing")
	}
	confirmed, unfixed := 0, 0
	for _, o := range all.Orders {
		m, _ := sim.Order(o.Number)
		switch {
		case !o.Amounts.Postage.Fixed():
			unfixed++
			if o.PhaseID != byName["エラー"] || o.LinkStatus != string(workflow.LinkConfirmError) || o.LinkMessage != rakuten.MsgPostageUnset {
				t.Fatalf("unset postage: phase %d link %q %q", o.PhaseID, o.LinkStatus, o.LinkMessage)
			}
			if m.OrderProgress != rakuten.ProgressUnconfirmed || counts.Writes[o.Number] != 0 {
				t.Fatalf("an order with postage -9999 was sent to RMS: %d", m.OrderProgress)
			}
		default:
			confirmed++
			if o.PhaseID != byName["確認待ち"] || o.LinkStatus != string(workflow.LinkConfirmed) {
				t.Fatalf("order %s: phase %d link %q %q", o.Number, o.PhaseID, o.LinkStatus, o.LinkMessage)
			}
			if m.OrderProgress != rakuten.ProgressInReview || counts.Writes[o.Number] != 1 {
				t.Fatalf("order %s: progress %d, %d writes; want confirmed exactly once", o.Number, m.OrderProgress, counts.Writes[o.Number])
			}
		}
		if o.Settlement == order.SettlementSelective {
			t.Fatalf("a selective-settlement order was imported before 発送待ち: %s", o.Number)
		}
	}
	if confirmed == 0 || unfixed == 0 {
		t.Fatalf("sample lacks a case: %d confirmed, %d unfixed", confirmed, unfixed)
	}
	// One e-mail for the run, listing every refused order with the fix.
	var mails []notifytest.Received
	for deadline := time.Now().Add(10 * time.Second); len(mails) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mails = inbox.Messages()
	}
	if len(mails) != 1 || mails[0].Subject != "(ichigen) 楽天自動注文確認結果のお知らせ(エラー情報)" || mails[0].To[0] != "ops@example.jp" {
		t.Fatalf("e-mails: %+v", mails)
	}
	if got := strings.Count(mails[0].Body, rakuten.MsgPostageUnset); got != unfixed {
		t.Fatalf("the e-mail lists %d refusals, want %d:\n%s", got, unfixed, mails[0].Body)
	}
	t.Logf("%d confirmed, %d refused for postage, %d answers lost", confirmed, unfixed, counts.HungWrites)
}
