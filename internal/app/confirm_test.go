package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
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
	generated := sim.Generate(rakutensim.GenerateOptions{Count: 60, At: sim.Sim.Clock.Now().Add(-time.Hour), UnfixedPostageShare: 0.2})
	sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 0.5})
	runImport(t, srv, importRule)

	waitPhaseEmpty(t, srv, sh.ID, byName["新規受付"])
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
			if o.PhaseID != byName["エラー"] || o.LinkStatus != string(rakuten.LinkConfirmError) || o.LinkMessage != rakuten.MsgPostageUnset {
				t.Fatalf("unset postage: phase %d link %q %q", o.PhaseID, o.LinkStatus, o.LinkMessage)
			}
			if m.OrderProgress != rakuten.ProgressUnconfirmed || counts.Writes[o.Number] != 0 {
				t.Fatalf("an order with postage -9999 was sent to RMS: %d", m.OrderProgress)
			}
		default:
			confirmed++
			if o.PhaseID != byName["確認待ち"] || o.LinkStatus != string(rakuten.LinkConfirmed) {
				t.Fatalf("order %s: phase %d link %q %q", o.Number, o.PhaseID, o.LinkStatus, o.LinkMessage)
			}
			if m.OrderProgress != rakuten.ProgressInReview || counts.WriteRequests[o.Number] != 1 {
				t.Fatalf("order %s: progress %d, sent %d times; want confirmed exactly once", o.Number, m.OrderProgress, counts.WriteRequests[o.Number])
			}
			if o.MarketplaceStatus != order.StatusInReview || o.MarketplaceStatusRaw != "200" {
				t.Fatalf("order %s reads marketplace status %s (%q) after its confirmation, want RMS's 楽天処理中", o.Number, o.MarketplaceStatus, o.MarketplaceStatusRaw)
			}
		}
		if o.Settlement == order.SettlementSelective && o.Amounts.Postage.Fixed() {
			// Only one waiting for its postage is stored before 発送待ち, to be shown.
			t.Fatalf("a selective-settlement order was imported before 発送待ち: %s", o.Number)
		}
	}
	// Selective-settlement orders are not imported before 発送待ち but are confirmed all the same,
	// or RMS would cancel them after 14 days.
	selectiveConfirmed := 0
	for _, n := range generated {
		m, _ := sim.Order(n)
		if rakuten.SettlementOf(m.SettlementModel.SettlementMethod) != order.SettlementSelective || m.PostagePrice == rakuten.Unfixed {
			continue
		}
		if m.OrderProgress != rakuten.ProgressInReview || counts.WriteRequests[n] != 1 {
			t.Fatalf("selective order %s: progress %d, sent %d times", n, m.OrderProgress, counts.WriteRequests[n])
		}
		selectiveConfirmed++
	}
	if confirmed == 0 || unfixed == 0 || selectiveConfirmed == 0 {
		t.Fatalf("sample lacks a case: %d confirmed, %d unfixed, %d selective confirmed", confirmed, unfixed, selectiveConfirmed)
	}
	// One e-mail for the run, listing every refused order with the fix.
	inbox.Wait(10 * time.Second)
	storetest.AwaitIdle(t, 10*time.Second, srv.Queue) // the import's own e-mail, for unimported orders, may follow
	mails := inbox.Messages()
	listed := 0
	for _, m := range mails {
		if m.Subject != "(ichigen) 楽天自動注文確認結果のお知らせ(エラー情報)" || m.To[0] != "ops@example.jp" {
			t.Fatalf("e-mail: %+v", m)
		}
		listed += strings.Count(m.Body, rakuten.MsgPostageUnset)
	}
	unfixedAll := 0
	for _, n := range generated {
		if m, _ := sim.Order(n); m.PostagePrice == rakuten.Unfixed && m.OrderProgress == rakuten.ProgressUnconfirmed {
			unfixedAll++
		}
	}
	if len(mails) == 0 || len(mails) > 2 || listed != unfixedAll {
		t.Fatalf("%d e-mails list %d refusals, want every one of the %d orders with postage -9999", len(mails), listed, unfixedAll)
	}
	t.Logf("%d confirmed, %d refused for postage, %d answers lost", confirmed, unfixed, counts.HungWrites)
}

// The fix path of postage -9999: the operator's postage is pushed to RMS (also when the answer
// is lost), the order's amounts follow RMS, and the order moved back is confirmed.
func TestRakutenPostageFixPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 3})
	sim, srv, sh, byName := b.sim, b.srv, b.shop, b.phases
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	b.rule(t, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: byName["新規受付"], SuccessPhaseID: byName["確認待ち"], ErrorPhaseID: byName["エラー"]})
	var number string
	for number == "" {
		n := sim.Generate(rakutensim.GenerateOptions{Count: 1, At: sim.Sim.Clock.Now().Add(-time.Hour), UnfixedPostageShare: 1})[0]
		if m, _ := sim.Order(n); rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementCommon {
			number = n
		}
	}
	runImport(t, srv, importRule)
	waitPhaseEmpty(t, srv, sh.ID, byName["新規受付"])
	o, err := srv.Store.GetOrderByNumber(ctx, sh.ID, number)
	if err != nil || o.PhaseID != byName["エラー"] || o.LinkMessage != rakuten.MsgPostageUnset {
		t.Fatalf("before the fix: phase %d %q %v", o.PhaseID, o.LinkMessage, err)
	}
	sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1}) // the push's answer is lost
	if _, err := srv.Queue.Client().Insert(ctx, jobs.SetPostageArgs{ShopID: sh.ID, OrderID: o.ID, Postage: 880}, nil); err != nil {
		t.Fatal(err)
	}
	pushed := func() bool {
		o, _ = srv.Store.GetOrder(ctx, o.ID)
		v, ok := o.Amounts.Postage.Value()
		return ok && v == 880
	}
	if !storetest.Await(t, 30*time.Second, pushed, srv.Queue) {
		t.Fatalf("postage not set: %+v, %q", o.Amounts.Postage, o.LinkMessage)
	}
	if total, ok := o.Amounts.Total.Value(); !ok || total == 0 || !strings.Contains(o.LinkMessage, "880 円をRMSに反映しました") {
		t.Fatalf("after the push: total %d (%v), %q", total, ok, o.LinkMessage)
	}
	sim.Sim.Faults.Set(simkit.Faults{})
	if _, err := srv.Queue.MoveOrders(ctx, srv.Store, []int64{o.ID}, byName["新規受付"], "operator"); err != nil {
		t.Fatal(err)
	}
	waitPhaseEmpty(t, srv, sh.ID, byName["新規受付"])
	o, _ = srv.Store.GetOrder(ctx, o.ID)
	m, _ := sim.Order(number)
	if o.PhaseID != byName["確認待ち"] || m.OrderProgress != rakuten.ProgressInReview || m.PostagePrice != 880 {
		t.Fatalf("after confirming: phase %d, RMS progress %d postage %d", o.PhaseID, m.OrderProgress, m.PostagePrice)
	}
	if sim.Sim.Counters.Snapshot().Writes[number] != 2 { // the postage once, the confirmation once
		t.Fatalf("writes: %d", sim.Sim.Counters.Snapshot().Writes[number])
	}
}
