package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// finish marks the bundle's first two orders completed and cancelled on the marketplace.
func (b *testBundle) finish(t *testing.T) {
	t.Helper()
	done := storetest.MakeOrders(1, 2, base)
	done[0].MarketplaceStatus, done[1].MarketplaceStatus = order.StatusCompleted, order.StatusCancelled
	if _, err := b.st.UpsertOrders(context.Background(), b.shop.ID, done, store.UpsertOptions{}); err != nil {
		t.Fatal(err)
	}
}

// with adds fields to a copy of a form.
func with(form url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestBulkMoveOfManyAsksToConfirmThePreview: 「検索結果すべて」 moved into a started rule's phase
// first shows what will happen (count, phases, the finished orders left out, the rule) and moves
// nothing; the confirmed count moves all but the completed and cancelled orders; a count
// confirmed for another preview shows the preview again.
func TestBulkMoveOfManyAsksToConfirmThePreview(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		target := b.phases["出荷待ち"].ID
		if _, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: target,
			SuccessPhaseID: b.phases["出荷済み"].ID, ErrorPhaseID: b.phases["エラー"].ID, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		b.finish(t)
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		form := url.Values{"all": {"1"}, "phase_id": {i64toa(target)}, "shop": {i64toa(b.shop.ID)}}
		unmoved := func(what string) {
			t.Helper()
			for _, id := range b.orderID {
				if o, _ := b.st.GetOrder(ctx, id); o.PhaseID == target {
					t.Fatalf("%s: order %d moved", what, id)
				}
			}
		}

		w := s.do(http.MethodPost, "/orders/move", form)
		page := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("unconfirmed move of 28 orders: %d to %q, want the confirmation", w.Code, w.Header().Get("Location"))
		}
		for _, want := range []string{"一括操作の確認", "28件の注文を「出荷待ち」へ移動します", "店舗「tea」の自動処理「出荷情報反映」が動き", "新規受付", "出荷情報反映",
			"完了・キャンセルの2件は含めません", `name="confirm_count" value="28"`, `name="confirm_count" value="30"`, `name="include_final" value="1"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the confirmation lacks %q", want)
			}
		}
		unmoved("unconfirmed")

		w = s.do(http.MethodPost, "/orders/move", with(form, "confirm_count", "5"))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "確認した件数(5件)と、いま変更される件数(28件)が違います") {
			t.Fatalf("a count confirmed for another preview: %d", w.Code)
		}
		unmoved("wrong count")

		w = s.do(http.MethodPost, "/orders/move", with(form, "confirm_count", "28"))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("confirmed move: %d", w.Code)
		}
		if msg := flash(w); !strings.Contains(msg, "28件の注文を「出荷待ち」に移動しました") || !strings.Contains(msg, "モールで完了・キャンセルの2件は移動していません") {
			t.Errorf("message %q", msg)
		}
		for _, id := range b.orderID[:2] {
			if o, _ := b.st.GetOrder(ctx, id); o.PhaseID == target {
				t.Errorf("finished order %d moved without the choice", id)
			}
		}

		hold := i64toa(b.phases["保留"].ID)
		few := url.Values{"id": {i64toa(b.orderID[0]), i64toa(b.orderID[1])}, "phase_id": {hold}}
		if w := s.do(http.MethodPost, "/orders/move", few); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "完了・キャンセルの2件は含めません") {
			t.Fatalf("two finished orders: %d, want the choice", w.Code)
		}
		if w := s.do(http.MethodPost, "/orders/move", with(few, "include_final", "1", "confirm_count", "2")); w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "2件の注文を「保留」に移動しました") {
			t.Fatalf("finished orders included: %d %q", w.Code, flash(w))
		}
	})
}

// TestBulkLinkStatusOfManyAsksToConfirm: a link-status change of every result is confirmed
// first and leaves the completed and cancelled orders alone.
func TestBulkLinkStatusOfManyAsksToConfirm(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		b.finish(t)
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		form := url.Values{"all": {"1"}, "link_status": {string(rakuten.LinkShipReported)}}
		w := s.do(http.MethodPost, "/orders/link-status", form)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "28件の注文の連携ステータスを変更します") {
			t.Fatalf("unconfirmed change of 28 orders: %d", w.Code)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[5]); o.LinkStatus != "" {
			t.Fatal("an unconfirmed change was saved")
		}
		w = s.do(http.MethodPost, "/orders/link-status", with(form, "confirm_count", "28"))
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "28件の注文の連携ステータスを「発送完了報告済み」に変更しました") {
			t.Fatalf("confirmed: %d %q", w.Code, flash(w))
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); o.LinkStatus != "" {
			t.Error("a completed order's link status changed without the choice")
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[5]); o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Errorf("link status %q", o.LinkStatus)
		}
	})
}
