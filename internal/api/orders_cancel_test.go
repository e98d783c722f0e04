package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// cancelQueued is the orders whose cancellation is queued, with the reason each job carries.
func (b *testBundle) cancelQueued(t *testing.T) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for _, j := range b.jobsOf(t, jobs.CancelOrderArgs{}.Kind()) {
		var args jobs.CancelOrderArgs
		if err := json.Unmarshal(j.Args, &args); err != nil || args.ShopID != b.shop.ID {
			t.Fatalf("queued %s", j.Args)
		}
		out[args.OrderID] = args.Reason
	}
	return out
}

// TestOrdersAreCancelledAtTheMarketplace: the order detail lists the reasons RMS takes; POST
// /orders/{id}/cancel queues the cancellation of an order RMS lets cancel and refuses a shipped
// one with why; POST /orders/cancel previews, insists on the count, and queues the rest of a
// selection.
func TestOrdersAreCancelledAtTheMarketplace(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		var open, shipped []int64
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch o.MarketplaceStatus {
			case order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingShipment:
				if o.ManagementClass == order.Normal || o.ManagementClass == "" {
					open = append(open, id)
				}
			case order.StatusShipped:
				shipped = append(shipped, id)
			}
		}
		if len(open) < 3 {
			t.Fatalf("the fixture has %d orders RMS lets cancel", len(open))
		}
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		d := decode[OrderDetail](t, b.do(t, token, http.MethodGet, "/orders/"+i64(open[0]), nil), http.StatusOK)
		if len(d.CancelReasons) == 0 || d.CancelReasons[0] != (Choice{Value: "1", Label: "お客様都合: キャンセル"}) {
			t.Fatalf("cancel reasons %+v", d.CancelReasons)
		}
		res := decode[MessageResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(open[0])+"/cancel", map[string]any{"reason": "8"}), http.StatusOK)
		if !strings.Contains(res.Message, "モールでのキャンセルを受け付けました") {
			t.Errorf("message %q", res.Message)
		}
		if q := b.cancelQueued(t); len(q) != 1 || q[open[0]] != "8" {
			t.Fatalf("queued %v", q)
		}
		if len(shipped) > 0 {
			p := problem(t, b.do(t, token, http.MethodPost, "/orders/"+i64(shipped[0])+"/cancel", map[string]any{"reason": "8"}), http.StatusUnprocessableEntity)
			if !strings.Contains(p.Detail, "「発送済み」の注文はキャンセルできません") {
				t.Errorf("shipped: %q", p.Detail)
			}
		}
		sel := map[string]any{"ids": open[1:3], "reason": "1"}
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/cancel", sel), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "confirm_count が必要です") {
			t.Errorf("unconfirmed bulk: %q", p.Detail)
		}
		sel["dry_run"] = true
		dry := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/cancel", sel), http.StatusOK)
		if !dry.DryRun || dry.Count != 2 {
			t.Fatalf("dry run %+v", dry)
		}
		delete(sel, "dry_run")
		sel["confirm_count"] = 2
		done := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/cancel", sel), http.StatusOK)
		if done.Count != 2 || len(b.cancelQueued(t)) != 3 {
			t.Fatalf("bulk %+v, queued %v", done, b.cancelQueued(t))
		}
	})
}
