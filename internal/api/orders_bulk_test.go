package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// finish marks the bundle's first two orders completed and cancelled on the marketplace.
func (b *testBundle) finish(t *testing.T) {
	t.Helper()
	done := storetest.MakeOrders(1, 2, base)
	done[0].MarketplaceStatus, done[1].MarketplaceStatus = order.StatusCompleted, order.StatusCancelled
	if _, err := b.st.UpsertOrders(context.Background(), b.shop.ID, done, store.UpsertOptions{PhaseID: b.phases["新規受付"].ID}); err != nil {
		t.Fatal(err)
	}
}

// TestBulkMoveAboveTheThresholdNeedsTheConfirmedCount: moving every order of a search into a
// started rule's phase is refused with the preview until confirm_count names the count the
// preview shows; dry_run answers the preview and changes nothing; a count confirmed for
// another preview is refused; completed and cancelled orders stay where they are.
func TestBulkMoveAboveTheThresholdNeedsTheConfirmedCount(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		if err := b.st.SetRuleEnabled(ctx, b.ruleID, true); err != nil {
			t.Fatal(err)
		}
		b.finish(t)
		target := b.phases["出荷待ち"].ID
		body := func(extra map[string]any) map[string]any {
			m := map[string]any{"filter": map[string]any{"phase": b.phases["新規受付"].ID}, "phase_id": target}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		unmoved := func(what string) {
			t.Helper()
			for _, id := range b.orderID {
				if o, _ := b.st.GetOrder(ctx, id); o.PhaseID == target {
					t.Fatalf("%s: order %d moved", what, id)
				}
			}
			if n := len(b.jobsOf(t, jobs.DispatchArgs{}.Kind())); n != 0 {
				t.Fatalf("%s: %d dispatch jobs queued", what, n)
			}
		}

		p := problem(t, b.do(t, token, http.MethodPost, "/orders/move", body(nil)), http.StatusUnprocessableEntity)
		for _, s := range []string{"10件を超える一括操作には confirm_count が必要です", "28件の注文を「出荷待ち」へ移動します。", "tea「新規受付」28件",
			"完了・キャンセルの2件は含めません", "店舗「tea」の自動処理「出荷情報反映」が動き"} {
			if !strings.Contains(p.Detail, s) {
				t.Errorf("unconfirmed move: %q lacks %q", p.Detail, s)
			}
		}
		unmoved("unconfirmed")

		dry := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/move", body(map[string]any{"dry_run": true})), http.StatusOK)
		pv := dry.Preview
		if !dry.DryRun || dry.Count != 28 || len(dry.IDs) != 28 || pv == nil || pv.Selected != 30 || pv.Final != 2 || pv.FinalIncluded || !pv.ConfirmRequired ||
			len(pv.Groups) != 1 || pv.Groups[0].Phase != "新規受付" || pv.Groups[0].Count != 28 || pv.Groups[0].Final != 2 ||
			len(pv.Rules) != 1 || pv.Rules[0].Kind != string(workflow.JobShipReport) || !pv.Rules[0].Started || pv.Rules[0].Shop != "tea" || pv.Rules[0].Count != 28 {
			t.Errorf("dry run: %+v, preview %+v", dry, pv)
		}
		unmoved("dry run")

		if p := problem(t, b.do(t, token, http.MethodPost, "/orders/move", body(map[string]any{"confirm_count": 30})), http.StatusConflict); !strings.Contains(p.Detail, "確認した件数(30件)と、いま変更される件数(28件)が違います") {
			t.Errorf("a count confirmed for another preview: %q", p.Detail)
		}
		unmoved("wrong count")

		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/move", body(map[string]any{"confirm_count": 28})), http.StatusOK)
		if res.Count != 28 || !strings.HasPrefix(res.Message, "28件の注文を「出荷待ち」に移動しました。") || !strings.Contains(res.Message, "モールで完了・キャンセルの2件は移動していません") {
			t.Errorf("confirmed move: %+v", res)
		}
		for _, id := range b.orderID[:2] {
			if o, _ := b.st.GetOrder(ctx, id); o.PhaseID != b.phases["新規受付"].ID {
				t.Errorf("finished order %d moved without include_final", id)
			}
		}

		hold := b.phases["保留"].ID
		res = decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"ids": b.orderID[:2], "phase_id": hold}), http.StatusOK)
		if res.Count != 0 {
			t.Errorf("finished orders moved without include_final: %+v", res)
		}
		res = decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"ids": b.orderID[:2], "phase_id": hold, "include_final": true}), http.StatusOK)
		if res.Count != 2 {
			t.Errorf("include_final: %+v", res)
		}
	})
}

// TestBulkLinkStatusAboveTheThresholdNeedsTheConfirmedCount: a link-status change of more than
// ten orders is refused with the preview until confirmed, and leaves completed and cancelled
// orders alone unless they are included.
func TestBulkLinkStatusAboveTheThresholdNeedsTheConfirmedCount(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		b.finish(t)
		body := map[string]any{"filter": map[string]any{}, "link_status": string(rakuten.LinkShipReported)}
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/link-status", body), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "28件の注文の連携ステータスを変更します。") || !strings.Contains(p.Detail, "10件を超える一括操作には confirm_count が必要です") {
			t.Errorf("unconfirmed: %q", p.Detail)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[5]); o.LinkStatus != "" {
			t.Fatal("an unconfirmed change was saved")
		}
		body["confirm_count"] = 28
		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/link-status", body), http.StatusOK)
		if res.Count != 28 || !strings.Contains(res.Message, "モールで完了・キャンセルの2件は変更していません") {
			t.Errorf("confirmed: %+v", res)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); o.LinkStatus != "" {
			t.Error("a completed order's link status changed without include_final")
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[5]); o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Errorf("link status %q", o.LinkStatus)
		}
	})
}
