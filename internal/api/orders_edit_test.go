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

// TestAnOrderChangeIsPreviewedThenQueued: POST /orders/{id}/edit with dry_run returns what will
// be sent, before and after, and queues nothing; without it, one job carries the change; a
// shipped order is refused with why (a viewer's refusal is the permission table's).
func TestAnOrderChangeIsPreviewedThenQueued(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		var open, shipped int64
		var o order.Order
		for _, id := range b.orderID {
			got, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case got.MarketplaceStatus == order.StatusAwaitingShipment && open == 0 && (got.ManagementClass == order.Normal || got.ManagementClass == ""):
				open, o = id, got
			case got.MarketplaceStatus == order.StatusShipped:
				shipped = id
			}
		}
		if open == 0 {
			t.Fatal("the fixture has no order at 発送待ち")
		}
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		body := map[string]any{"postage": 1540, "dry_run": true}
		dry := decode[EditResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(open)+"/edit", body), http.StatusOK)
		if !dry.DryRun || len(dry.Changes) != 1 || dry.Changes[0] != "送料: "+o.Amounts.Postage.String()+" → ¥1,540" {
			t.Fatalf("dry run: %+v", dry)
		}
		if n := len(b.jobsOf(t, jobs.EditOrderArgs{}.Kind())); n != 0 {
			t.Fatalf("dry run queued %d jobs", n)
		}
		delete(body, "dry_run")
		res := decode[EditResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(open)+"/edit", body), http.StatusOK)
		if !strings.Contains(res.Message, "変更を受け付けました") {
			t.Errorf("message %q", res.Message)
		}
		queued := b.jobsOf(t, jobs.EditOrderArgs{}.Kind())
		var args jobs.EditOrderArgs
		if len(queued) != 1 || json.Unmarshal(queued[0].Args, &args) != nil || args.OrderID != open || args.Change.Postage == nil || *args.Change.Postage != 1540 {
			t.Fatalf("queued %d: %+v", len(queued), args)
		}
		if shipped != 0 {
			p := problem(t, b.do(t, token, http.MethodPost, "/orders/"+i64(shipped)+"/edit", body), http.StatusUnprocessableEntity)
			if !strings.Contains(p.Detail, "「発送済み」の注文は変更できません") {
				t.Errorf("shipped: %q", p.Detail)
			}
		}
	})
}
