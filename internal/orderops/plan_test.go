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

			p, err := orderops.PlanMoveTo(ctx, st, ids, phases["出荷済み"].ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if p.Selected != 18 || len(p.IDs) != 11 || p.Final != 2 || p.Already != 2 || p.OtherShop != 3 {
				t.Errorf("selected %d, moving %d, final %d, already %d, other shop %d; want 18, 11, 2, 2, 3", p.Selected, len(p.IDs), p.Final, p.Already, p.OtherShop)
			}
			for _, id := range p.IDs {
				if id == ids[0] || id == ids[1] {
					t.Errorf("a finished order (%d) would move", id)
				}
			}
			want := []orderops.PlanGroup{
				{ShopID: sh.ID, Shop: "plan", PhaseID: phases["新規受付"].ID, Phase: "新規受付", Count: 6, Final: 2},
				{ShopID: sh.ID, Shop: "plan", PhaseID: phases["入金待ち"].ID, Phase: "入金待ち", Count: 5},
			}
			if len(p.Groups) != len(want) || p.Groups[0] != want[0] || p.Groups[1] != want[1] {
				t.Errorf("groups %+v, want %+v", p.Groups, want)
			}
			if p.Move == nil || p.Move.Rule == nil || p.Move.Rule.Kind != workflow.JobShipReport || !p.Move.RuleRuns || p.Move.Shop != "plan" {
				t.Errorf("the rule that runs: %+v", p.Move)
			}
			for _, s := range []string{"11件の注文を「出荷済み」(店舗「plan」)へ移動します。", "plan「新規受付」6件、plan「入金待ち」5件",
				"完了・キャンセルの2件は含めません", "5件は別の店舗の注文か", "自動処理「出荷情報反映」(店舗「plan」)が動き、11件をモールに連携します"} {
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
			if err := p.Check(11); err != nil {
				t.Errorf("confirmed: %v", err)
			}

			all, err := orderops.PlanMoveTo(ctx, st, ids, phases["出荷済み"].ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(all.IDs) != 13 || all.Final != 2 || !strings.Contains(all.Text(), "完了・キャンセルの2件を含みます") {
				t.Errorf("with the finished ones: %d orders, %q", len(all.IDs), all.Text())
			}

			few, err := orderops.PlanMoveTo(ctx, st, ids[2:5], phases["保留"].ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if few.NeedsConfirm() || few.Check(0) != nil || few.Move.Rule != nil {
				t.Errorf("3 unfinished orders to a phase without a rule: confirm %v, %v, rule %+v", few.NeedsConfirm(), few.Check(0), few.Move.Rule)
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
