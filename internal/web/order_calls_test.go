package web

import (
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestABatchedCallIsOnTheHistoryOfEachOrderItCarried: a call made for a batch of orders
// (channel.WithOrders, as the dispatcher names them) shows on each of those orders' pages, and
// not on another's.
func TestABatchedCallIsOnTheHistoryOfEachOrderItCarried(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := channel.WithOrders(channel.WithCall(t.Context(), "ship_report", 0), b.orderID[1:3])
		if _, err := b.st.RecordCall(ctx, channel.Call{At: base, ShopID: b.shop.ID, JobKind: "ship_report", Operation: "updateOrderShippingAsync", Outcome: channel.OutcomeOK}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		for _, id := range b.orderID[1:3] {
			if page := htmlOf(s, idPath(id)); !strings.Contains(page, "updateOrderShippingAsync") || strings.Contains(page, "この注文の連携履歴はありません。") {
				t.Errorf("order %d does not show the batched call", id)
			}
		}
		if page := htmlOf(s, idPath(b.orderID[3])); !strings.Contains(page, "この注文の連携履歴はありません。") {
			t.Errorf("an order the batch did not carry shows a call")
		}
	})
}
