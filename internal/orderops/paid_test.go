package orderops_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestMarkPaidTakesOnlyUnpaidPaymentsTheShopCollects: 入金確認 by hand marks the selected
// unpaid orders whose payment the shop collects (選択制決済) paid on the day given, and leaves
// those paid already, those the marketplace settles and the cancelled ones alone, saying how
// many; one order is refused with the reason; a day after today is refused.
func TestMarkPaidTakesOnlyUnpaidPaymentsTheShopCollects(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "paid")
			base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
			orders := storetest.MakeOrders(1, 6, base)
			for i := range orders {
				orders[i].Settlement, orders[i].PaymentMethod = order.SettlementSelective, "代金引換"
				orders[i].MarketplaceStatus = order.StatusAwaitingShipment
			}
			orders[3].PaymentStatus = order.Paid
			orders[4].Settlement, orders[4].PaymentMethod = order.SettlementCommon, "クレジットカード"
			orders[5].MarketplaceStatus = order.StatusCancelled
			var ids []int64
			for _, o := range seed(t, st, sh.ID, phases["新規受付"].ID, orders...) {
				ids = append(ids, o.ID)
			}

			p, err := orderops.PlanMarkPaid(ctx, st, ids, "2026-11-30", false)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.IDs, ids[:3]) || p.Paid == nil || p.Paid.AlreadyPaid != 1 || p.Paid.MarketplaceSettled != 1 || p.Paid.Cancelled != 1 {
				t.Fatalf("plan: ids %v (want %v), paid %+v", p.IDs, ids[:3], p.Paid)
			}
			for _, want := range []string{"3件の注文を入金済み(入金日 2026-11-30)にします。", "入金済みの1件、モールが入金を確認する決済の1件、キャンセルの1件は変更しません。"} {
				if !strings.Contains(p.Text(), want) {
					t.Errorf("preview %q lacks %q", p.Text(), want)
				}
			}
			done, err := orderops.MarkPaid(ctx, st, p, "operator")
			if err != nil || !slices.Equal(done, ids[:3]) {
				t.Fatalf("marked %v, %v", done, err)
			}
			for _, id := range ids[:3] {
				if o, _ := st.GetOrder(ctx, id); o.PaymentStatus != order.Paid || o.PaidOn != "2026-11-30" {
					t.Fatalf("order %d: %s on %q", id, o.PaymentStatus, o.PaidOn)
				}
			}
			if _, err := orderops.PlanMarkPaid(ctx, st, ids, "2026-11-30", false); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "入金確認できる注文がありません") {
				t.Errorf("nothing left to mark: %v", err)
			}
			for i, want := range map[int]string{0: "入金確認済みです(入金日 2026-11-30)", 4: "モールが入金を確認する決済", 5: "キャンセルされた注文は入金確認できません"} {
				if _, err := orderops.MarkPaidOne(ctx, st, ids[i], "2026-11-30", "operator"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), want) {
					t.Errorf("order %d: %v, want %q", i, err, want)
				}
			}
			now := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC) // 12/1 01:00 in Japan
			if d, err := orderops.ParsePaidOn("", now); err != nil || d != "2026-12-01" {
				t.Errorf("today: %q, %v", d, err)
			}
			if d, err := orderops.ParsePaidOn("2026/11/29", now); err != nil || d != "2026-11-29" {
				t.Errorf("slashes: %q, %v", d, err)
			}
			if _, err := orderops.ParsePaidOn("2026-12-02", now); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "今日(2026-12-01)より後です") {
				t.Errorf("tomorrow: %v", err)
			}
		})
	}
}
