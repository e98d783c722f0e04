package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The rules of deleting a phase (処理フェーズの削除).
func init() {
	conformanceTests["PhaseInUseIsKept"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		refused := func(phaseID int64, want string) {
			t.Helper()
			err := b.st.DeletePhase(ctx, phaseID)
			expectCode(t, err, apperror.Conflict)
			if !strings.Contains(apperror.MessageOf(err), want) {
				t.Fatalf("refusal %q lacks %q", apperror.MessageOf(err), want)
			}
		}
		hold := b.phases["保留"].ID
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 12, base), store.UpsertOptions{PhaseID: hold}))
		refused(hold, "この処理フェーズには注文が12件あります。注文を別の処理フェーズへ移動してから削除してください。")
		must[workflow.Rule](t)(b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport,
			TargetPhaseID: b.phases["出荷待ち"].ID, SuccessPhaseID: b.phases["出荷済み"].ID, ErrorPhaseID: b.phases["エラー"].ID}))
		refused(b.phases["出荷待ち"].ID, "自動処理「出荷情報反映」の対象処理フェーズに使われています。")
		refused(b.phases["出荷済み"].ID, "自動処理「出荷情報反映」の成功時の移動先に使われています。")
		refused(b.phases["エラー"].ID, "自動処理「出荷情報反映」のエラー時の移動先に使われています。")
		refused(b.phases["新規受付"].ID, "先頭にあり、取り込んだ注文が入ります")
		expectCode(t, b.st.DeletePhase(ctx, 999999), apperror.NotFound)

		// Once its orders are moved out, the phase goes, and its name is free again.
		must[[]int64](t)(b.st.MoveOrders(ctx, res.IDs, b.phases["完了"].ID, "tester"))
		if err := b.st.DeletePhase(ctx, hold); err != nil {
			t.Fatal(err)
		}
		for _, p := range must[[]workflow.Phase](t)(b.st.ListPhases(ctx)) {
			if p.ID == hold {
				t.Fatal("the deleted phase is still listed")
			}
		}
		expectCode(t, b.st.DeletePhase(ctx, hold), apperror.NotFound)
		expectCode(t, b.st.MoveOrder(ctx, res.IDs[0], 2, hold, "tester"), apperror.NotFound)
		must[workflow.Phase](t)(b.st.CreatePhase(ctx, "保留"))
	}

	conformanceTests["ShopKeepsItsImportPhase"] = func(t *testing.T, b *testBundle) {
		// Every phase but the first can go; the first, alone at last, stays.
		ctx := context.Background()
		phases := must[[]workflow.Phase](t)(b.st.ListPhases(ctx))
		for _, p := range phases[1:] {
			if err := b.st.DeletePhase(ctx, p.ID); err != nil {
				t.Fatalf("delete %s: %v", p.Name, err)
			}
		}
		err := b.st.DeletePhase(ctx, phases[0].ID)
		expectCode(t, err, apperror.Conflict)
		if !strings.Contains(apperror.MessageOf(err), "処理フェーズはこれだけです。") {
			t.Fatalf("refusal %q", apperror.MessageOf(err))
		}
		// Imports still have their phase.
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, base), store.UpsertOptions{}))
		if o := must[order.Order](t)(b.st.GetOrder(ctx, res.IDs[0])); o.PhaseID != phases[0].ID {
			t.Fatalf("imported into phase %d, want %d", o.PhaseID, phases[0].ID)
		}
	}

	conformanceTests["DeletedPhaseKeepsItsNameInHistory"] = func(t *testing.T, b *testBundle) {
		// An order went 新規受付 → 検品待ち → 完了; 検品待ち is deleted (on SQLite the last
		// phase's id goes to the next one created). The history still reads 検品待ち.
		ctx := context.Background()
		inbox, done := b.phases["新規受付"].ID, b.phases["完了"].ID
		check := must[workflow.Phase](t)(b.st.CreatePhase(ctx, "検品待ち"))
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 2, base), store.UpsertOptions{}))
		id, other := res.IDs[0], res.IDs[1]
		if err := b.st.MoveOrder(ctx, id, 1, check.ID, "tester"); err != nil {
			t.Fatal(err)
		}
		if err := b.st.MoveOrder(ctx, id, 2, done, "tester"); err != nil {
			t.Fatal(err)
		}
		if err := b.st.MoveOrder(ctx, other, 1, done, "tester"); err != nil {
			t.Fatal(err)
		}
		if err := b.st.DeletePhase(ctx, check.ID); err != nil {
			t.Fatal(err)
		}
		later := must[workflow.Phase](t)(b.st.CreatePhase(ctx, "梱包待ち"))
		names := map[int64]string{inbox: "新規受付", done: "完了", later.ID: later.Name}
		text := func(e order.Event) string {
			from, to := e.PhaseNames(func(id int64) string { return names[id] })
			return from + " → " + to
		}
		events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, id))
		if len(events) != 2 || text(events[0]) != "新規受付 → 検品待ち" || text(events[1]) != "検品待ち → 完了" {
			t.Fatalf("history after the deletion: %+v", events)
		}
		if events[0].ToPhaseID != 0 || events[1].FromPhaseID != 0 || events[0].FromPhaseID != inbox || events[1].ToPhaseID != done {
			t.Fatalf("the deleted phase's id is kept, or another's lost: %+v", events)
		}
		if e := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, other)); len(e) != 1 || e[0].FromPhaseName != "" || e[0].ToPhaseName != "" || text(e[0]) != "新規受付 → 完了" {
			t.Fatalf("an order that never was in the phase: %+v", e)
		}
	}

	conformanceTests["PhaseDeletionNeverStrandsAMovedOrder"] = func(t *testing.T, b *testBundle) {
		// A move into the phase racing its deletion: one of them wins, and no order is left in
		// a phase that is gone.
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 20, base), store.UpsertOptions{}))
		for round := range 8 {
			p := must[workflow.Phase](t)(b.st.CreatePhase(ctx, "一時"+string(rune('A'+round))))
			var wg sync.WaitGroup
			var delErr error
			wg.Add(2)
			go func() { defer wg.Done(); delErr = b.st.DeletePhase(ctx, p.ID) }()
			go func() { defer wg.Done(); _, _ = b.st.MoveOrders(ctx, res.IDs, p.ID, "tester") }() // may fail on the gone phase
			wg.Wait()
			n := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{PhaseID: p.ID, PageSize: 1})).Total
			switch {
			case delErr == nil && n != 0:
				t.Fatalf("round %d: %d orders stranded in a deleted phase", round, n)
			case delErr != nil && !apperror.Is(delErr, apperror.Conflict):
				t.Fatalf("round %d: deletion failed with %v, want a refusal", round, delErr)
			case delErr != nil && n == 0:
				t.Fatalf("round %d: deletion refused with no order in the phase: %v", round, delErr)
			}
			if delErr != nil { // the orders went in first: take them back for the next round
				must[[]int64](t)(b.st.MoveOrders(ctx, res.IDs, b.phases["新規受付"].ID, "tester"))
			}
		}
	}
}
