package orderops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestPlanCountsWhatABulkMoveWouldDo: the preview of moving a shop's every order into the
// ship-report phase counts the orders by phase, leaves out the completed and cancelled ones and
// those of another shop or already there, names the rule that will run, and asks for the count
// to be confirmed above ConfirmAbove.
func TestPlanCountsWhatABulkMoveWouldDo(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "plan")
			other, otherPhases := storetest.NewShop(t, st, "other")
			base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
			fresh := storetest.MakeOrders(1, 8, base)
			fresh[0].MarketplaceStatus = order.StatusCompleted
			fresh[1].MarketplaceStatus = order.StatusCancelled
			var ids []int64
			for _, o := range seed(t, st, sh.ID, phases["新規受付"].ID, fresh...) {
				ids = append(ids, o.ID)
			}
			for _, o := range seed(t, st, sh.ID, phases["入金待ち"].ID, storetest.MakeOrders(20, 5, base)...) {
				ids = append(ids, o.ID)
			}
			for _, o := range seed(t, st, sh.ID, phases["出荷済み"].ID, storetest.MakeOrders(40, 2, base)...) {
				ids = append(ids, o.ID)
			}
			for _, o := range seed(t, st, other.ID, otherPhases["新規受付"].ID, storetest.MakeOrders(60, 3, base)...) {
				ids = append(ids, o.ID)
			}
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobShipReport, TargetPhaseID: phases["出荷済み"].ID,
				SuccessPhaseID: phases["完了"].ID, ErrorPhaseID: phases["エラー"].ID})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetRuleEnabled(ctx, rule.ID, true); err != nil {
				t.Fatal(err)
			}
			// The phases are every shop's: the other shop has its own rule on 出荷済み, stopped.
			otherRule, err := st.SaveRule(ctx, workflow.Rule{ShopID: other.ID, Kind: workflow.JobShipReport, TargetPhaseID: otherPhases["出荷済み"].ID})
			if err != nil {
				t.Fatal(err)
			}

			p, err := orderops.PlanMoveTo(ctx, st, ids, phases["出荷済み"].ID, false)
			if err != nil {
				t.Fatal(err)
			}
			// A bulk move spans the shops (seed 000: one 出荷済み for every shop).
			if p.Selected != 18 || len(p.IDs) != 14 || p.Final != 2 || p.Already != 2 {
				t.Errorf("selected %d, moving %d, final %d, already %d; want 18, 14, 2, 2", p.Selected, len(p.IDs), p.Final, p.Already)
			}
			for _, id := range p.IDs {
				if id == ids[0] || id == ids[1] {
					t.Errorf("a finished order (%d) would move", id)
				}
			}
			want := []orderops.PlanGroup{
				{ShopID: sh.ID, Shop: "plan", PhaseID: phases["新規受付"].ID, Phase: "新規受付", Count: 6, Final: 2},
				{ShopID: sh.ID, Shop: "plan", PhaseID: phases["入金待ち"].ID, Phase: "入金待ち", Count: 5},
				{ShopID: other.ID, Shop: "other", PhaseID: otherPhases["新規受付"].ID, Phase: "新規受付", Count: 3},
			}
			if len(p.Groups) != len(want) || p.Groups[0] != want[0] || p.Groups[1] != want[1] || p.Groups[2] != want[2] {
				t.Errorf("groups %+v, want %+v", p.Groups, want)
			}
			wantRules := []orderops.PlanRule{{Rule: rule, Shop: "plan", Runs: true, Count: 11}, {Rule: otherRule, Shop: "other", Count: 3}}
			if p.Move == nil || len(p.Move.Rules) != 2 || p.Move.Rules[0].Rule.ID != wantRules[0].Rule.ID || p.Move.Rules[0].Runs != true || p.Move.Rules[0].Count != 11 ||
				p.Move.Rules[1].Rule.ID != wantRules[1].Rule.ID || p.Move.Rules[1].Runs || p.Move.Rules[1].Count != 3 {
				t.Errorf("the rules of the shops: %+v", p.Move)
			}
			for _, s := range []string{"14件の注文を「出荷済み」へ移動します。", "plan「新規受付」6件、plan「入金待ち」5件、other「新規受付」3件",
				"完了・キャンセルの2件は含めません", "2件は既にこの処理フェーズにあるため移動しません", "店舗「plan」の自動処理「出荷情報反映」が動き、11件をモールに連携します",
				"店舗「other」の自動処理「出荷情報反映」は停止中のため、開始するまで3件を連携しません"} {
				if !strings.Contains(p.Text(), s) {
					t.Errorf("preview %q lacks %q", p.Text(), s)
				}
			}
			if !p.NeedsConfirm() {
				t.Error("11 orders need no confirmation")
			}
			if err := p.Check(0); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "10件を超える一括操作は") {
				t.Errorf("unconfirmed: %v", err)
			}
			if err := p.Check(13); !apperror.Is(err, apperror.Conflict) {
				t.Errorf("a count confirmed for another preview: %v", err)
			}
			if err := p.Check(14); err != nil {
				t.Errorf("confirmed: %v", err)
			}

			all, err := orderops.PlanMoveTo(ctx, st, ids, phases["出荷済み"].ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(all.IDs) != 16 || all.Final != 2 || !strings.Contains(all.Text(), "完了・キャンセルの2件を含みます") {
				t.Errorf("with the finished ones: %d orders, %q", len(all.IDs), all.Text())
			}

			few, err := orderops.PlanMoveTo(ctx, st, ids[2:5], phases["保留"].ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if few.NeedsConfirm() || few.Check(0) != nil || len(few.Move.Rules) != 0 {
				t.Errorf("3 unfinished orders to a phase without a rule: confirm %v, %v, rules %+v", few.NeedsConfirm(), few.Check(0), few.Move.Rules)
			}

			link, err := orderops.PlanLinkStatus(ctx, st, ids[:15], false)
			if err != nil {
				t.Fatal(err)
			}
			if len(link.IDs) != 13 || link.Final != 2 || len(link.Groups) != 3 || link.Move != nil {
				t.Errorf("link status: %d orders, %d final, groups %+v", len(link.IDs), link.Final, link.Groups)
			}
		})
	}
}
