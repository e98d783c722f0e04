package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// unfixedPostage returns the shop's part of 要対応 about orders waiting for their postage.
func unfixedPostage(t *testing.T, b *rakutenBundle) attention.UnfixedPostage {
	t.Helper()
	r, err := attention.Gather(context.Background(), b.srv.Store, b.sim.Sim.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Shops {
		if s.Shop.ID == b.shop.ID {
			return s.UnfixedPostage
		}
	}
	t.Fatal("shop not on 要対応")
	return attention.UnfixedPostage{}
}

// TestOrdersWithUnfixedPostageNeverVanish: orders RMS holds with postage -9999 — 代金引換 and
// 後払い ones too, which are otherwise imported only at 発送待ち — are stored at import as they
// are, sent nowhere, found by the order list's filter and shown on 要対応 with the days left
// before RMS cancels them. Once the shop fixes the postage in RMS, the next import brings the
// fixed amounts and says to confirm; confirming then sends it once. Those left unfixed leave
// 要対応 when RMS cancels them.
func TestOrdersWithUnfixedPostageNeverVanish(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, db string) {
		ctx := context.Background()
		b := setupRakutenOn(t, rakutensim.Config{Seed: 11}, db, 1)
		sim, srv, sh, byName := b.sim, b.srv, b.shop, b.phases
		importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
		b.rule(t, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: byName["新規受付"], SuccessPhaseID: byName["確認待ち"], ErrorPhaseID: byName["エラー"]})
		orderedAt := sim.Sim.Clock.Now().Add(-3 * 24 * time.Hour)
		numbers := sim.Generate(rakutensim.GenerateOptions{Count: 30, At: orderedAt, UnfixedPostageShare: 1})
		selective := ""
		for _, n := range numbers {
			if m, _ := sim.Order(n); rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementSelective {
				selective = n
			}
		}
		if selective == "" {
			t.Fatal("the sample has no 代金引換 or 後払い order")
		}

		runImport(t, srv, importRule)
		waitPhaseEmpty(t, srv, sh.ID, byName["新規受付"])
		counts := sim.Sim.Counters.Snapshot()
		for _, n := range numbers {
			o, err := srv.Store.GetOrderByNumber(ctx, sh.ID, n)
			if err != nil {
				t.Fatalf("order %s with postage -9999 is not in ichigen: %v", n, err)
			}
			if o.Amounts.Postage.Fixed() || o.MarketplaceStatus != order.StatusUnconfirmed {
				t.Fatalf("order %s: postage %v, status %s", n, o.Amounts.Postage, o.MarketplaceStatus)
			}
			if counts.WriteRequests[n] != 0 {
				t.Fatalf("order %s with postage -9999 was sent to RMS %d times", n, counts.WriteRequests[n])
			}
		}
		found, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PostageUnfixed: true})
		if err != nil || found.Total != int64(len(numbers)) {
			t.Fatalf("the order list's filter finds %d of %d: %v", found.Total, len(numbers), err)
		}
		waiting := unfixedPostage(t, b)
		if waiting.Total != int64(len(numbers)) || len(waiting.Orders) == 0 || waiting.Orders[0].DaysLeft != 11 {
			t.Fatalf("要対応: %d orders, first %+v; want %d with 11 days left", waiting.Total, waiting.Orders, len(numbers))
		}

		// The shop enters the postage in RMS: the next import brings it and says what to do.
		client := &rakuten.Client{BaseURL: b.simURL}
		client.ServiceSecret, client.LicenseKey = sim.Credentials()
		if _, err := client.SetPostage(ctx, selective, 550); err != nil {
			t.Fatal(err)
		}
		sim.Sim.Clock.Advance(time.Hour)
		runImport(t, srv, importRule)
		o, err := srv.Store.GetOrderByNumber(ctx, sh.ID, selective)
		if v, ok := o.Amounts.Postage.Value(); err != nil || !ok || v != 550 || !strings.Contains(o.LinkMessage, "送料が確定しました") {
			t.Fatalf("after RMS fixed it: postage %v, message %q, %v", o.Amounts.Postage, o.LinkMessage, err)
		}
		if waiting := unfixedPostage(t, b); waiting.Total != int64(len(numbers)-1) {
			t.Fatalf("要対応 still counts %d orders, want %d", waiting.Total, len(numbers)-1)
		}
		if _, err := srv.Queue.MoveOrders(ctx, srv.Store, []int64{o.ID}, byName["新規受付"], "operator"); err != nil {
			t.Fatal(err)
		}
		waitPhaseEmpty(t, srv, sh.ID, byName["新規受付"])
		o, _ = srv.Store.GetOrder(ctx, o.ID)
		m, _ := sim.Order(selective)
		if o.PhaseID != byName["確認待ち"] || m.OrderProgress != rakuten.ProgressInReview || sim.Sim.Counters.Snapshot().WriteRequests[selective] != 1 {
			t.Fatalf("confirming: phase %d, RMS progress %d", o.PhaseID, m.OrderProgress)
		}

		// RMS cancels the rest 14 days after the order: they leave 要対応.
		sim.Sim.Clock.Advance(11 * 24 * time.Hour)
		runImport(t, srv, importRule)
		if waiting := unfixedPostage(t, b); waiting.Total != 0 {
			t.Fatalf("要対応 still counts %d orders RMS has cancelled", waiting.Total)
		}
	})
}
