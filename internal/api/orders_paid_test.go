package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// selectiveAndCommon splits the fixture's orders by whether the shop collects the payment.
func (b *testBundle) selectiveAndCommon(t *testing.T) (selective, common []int64) {
	t.Helper()
	for _, id := range b.orderID {
		o, err := b.st.GetOrder(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Settlement == order.SettlementSelective && o.PaymentStatus == order.Unpaid {
			selective = append(selective, id)
		} else {
			common = append(common, id)
		}
	}
	if len(selective) < 2 || len(common) == 0 {
		t.Fatalf("the fixture has %d unpaid selective orders and %d others", len(selective), len(common))
	}
	return selective, common
}

// TestOrderPaymentIsConfirmedByHand: POST /orders/{id}/paid marks an unpaid order the shop
// collects the payment of 入金済み with its day; an order whose payment the marketplace settles
// is refused with why, and a viewer may not; POST /orders/paid previews, then marks the rest of a
// selection and leaves the others alone.
func TestOrderPaymentIsConfirmedByHand(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		selective, common := b.selectiveAndCommon(t)
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		problem(t, b.do(t, viewer, http.MethodPost, "/orders/"+i64(selective[0])+"/paid", map[string]any{"paid_on": "2026-11-30"}), http.StatusForbidden)
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/"+i64(common[0])+"/paid", map[string]any{"paid_on": "2026-11-30"}), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "モールが入金を確認する決済です") {
			t.Errorf("common settlement: %q", p.Detail)
		}
		p = problem(t, b.do(t, token, http.MethodPost, "/orders/"+i64(selective[0])+"/paid", map[string]any{"paid_on": "2026-13-01"}), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "日付として読めません") {
			t.Errorf("bad day: %q", p.Detail)
		}
		d := decode[OrderDetail](t, b.do(t, token, http.MethodPost, "/orders/"+i64(selective[0])+"/paid", map[string]any{"paid_on": "2026-11-30"}), http.StatusOK)
		if d.PaymentStatus != "paid" || d.PaidOn != "2026-11-30" {
			t.Fatalf("after 入金確認: %s on %q", d.PaymentStatus, d.PaidOn)
		}
		all := append(append([]int64{}, selective...), common...)
		dry := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/paid", map[string]any{"ids": all, "paid_on": "2026-11-30", "dry_run": true}), http.StatusOK)
		if !dry.DryRun || dry.Count != len(selective)-1 {
			t.Fatalf("dry run: %+v", dry)
		}
		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/paid", map[string]any{"ids": all, "paid_on": "2026-11-30", "confirm_count": dry.Count}), http.StatusOK)
		if res.Count != 6 || len(selective) != 7 || !strings.Contains(res.Message, "6件の注文を入金済み(入金日 2026-11-30)にしました。入金済みの1件") {
			t.Fatalf("bulk: %+v", res)
		}
		for _, id := range selective {
			if o, _ := b.st.GetOrder(context.Background(), id); o.PaymentStatus != order.Paid {
				t.Errorf("order %d is %s", id, o.PaymentStatus)
			}
		}
		if o, _ := b.st.GetOrder(context.Background(), common[0]); o.PaidOn != "" {
			t.Errorf("a common-settlement order got paid_on %q", o.PaidOn)
		}
	})
}
