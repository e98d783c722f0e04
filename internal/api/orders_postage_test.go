package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// postageQueued is the orders whose postage fix is queued, with the postage each job carries.
func (b *testBundle) postageQueued(t *testing.T) map[int64]int64 {
	t.Helper()
	out := map[int64]int64{}
	for _, j := range b.jobsOf(t, jobs.SetPostageArgs{}.Kind()) {
		var args jobs.SetPostageArgs
		if err := json.Unmarshal(j.Args, &args); err != nil || args.ShopID != b.shop.ID {
			t.Fatalf("queued %s", j.Args)
		}
		out[args.OrderID] = args.Postage
	}
	return out
}

// unfixedAndFixed splits the fixture's orders by whether their postage is fixed.
func (b *testBundle) unfixedAndFixed(t *testing.T) (unfixed, fixed []int64) {
	t.Helper()
	for _, id := range b.orderID {
		o, err := b.st.GetOrder(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Amounts.Postage.Fixed() {
			fixed = append(fixed, id)
		} else {
			unfixed = append(unfixed, id)
		}
	}
	if len(unfixed) < 2 || len(fixed) == 0 {
		t.Fatalf("the fixture has %d orders with postage unfixed and %d fixed", len(unfixed), len(fixed))
	}
	return unfixed, fixed
}

// TestOrderPostageIsPushedToTheMarketplace: POST /orders/{id}/postage queues the push of the
// postage of an order whose postage is not fixed; an order whose postage is fixed is refused
// with why, and so is one who may only view orders.
func TestOrderPostageIsPushedToTheMarketplace(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		unfixed, fixed := b.unfixedAndFixed(t)
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		problem(t, b.do(t, viewer, http.MethodPost, "/orders/"+i64(unfixed[0])+"/postage", map[string]any{"postage": 660}), http.StatusForbidden)
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/"+i64(fixed[0])+"/postage", map[string]any{"postage": 660}), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "この注文の送料は確定しています。") {
			t.Errorf("fixed postage: %q", p.Detail)
		}
		if q := b.postageQueued(t); len(q) != 0 {
			t.Fatalf("queued %v for what was refused", q)
		}
		res := decode[MessageResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(unfixed[0])+"/postage", map[string]any{"postage": 660}), http.StatusOK)
		if !strings.Contains(res.Message, "送料 660 円をモールに反映する処理を受け付けました") {
			t.Errorf("message %q", res.Message)
		}
		if q := b.postageQueued(t); len(q) != 1 || q[unfixed[0]] != 660 {
			t.Fatalf("queued %v", q)
		}
	})
}

// TestBulkPostageIsPreviewedAndLeavesFixedOrdersAlone: POST /orders/postage over a search
// answers a dry run with how many orders take the postage; a count confirmed for another
// preview is refused; it queues a job for each order whose postage is not fixed and leaves the others alone;
// a selection with none to fix is refused.
func TestBulkPostageIsPreviewedAndLeavesFixedOrdersAlone(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		unfixed, fixed := b.unfixedAndFixed(t)
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		all := map[string]any{"filter": map[string]any{"shop": b.shop.ID}, "postage": 880}
		with := func(k string, v any) map[string]any {
			m := map[string]any{k: v}
			for k, v := range all {
				m[k] = v
			}
			return m
		}
		dry := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/postage", with("dry_run", true)), http.StatusOK)
		if !dry.DryRun || dry.Count != len(unfixed) || dry.Preview == nil || dry.Preview.Selected != len(b.orderID) ||
			!strings.Contains(dry.Message, "件は送料が確定しているため反映しません。") {
			t.Fatalf("dry run: %+v", dry)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, "/orders/postage", with("confirm_count", len(b.orderID))), http.StatusConflict); !strings.Contains(p.Detail, "確認した件数") {
			t.Errorf("a count confirmed for another preview: %q", p.Detail)
		}
		if q := b.postageQueued(t); len(q) != 0 {
			t.Fatalf("queued %v before confirming", q)
		}
		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/postage", with("confirm_count", len(unfixed))), http.StatusOK)
		if res.Count != len(unfixed) || !strings.Contains(res.Message, "件は送料が確定しているため反映していません。") {
			t.Errorf("confirmed: %+v", res)
		}
		q := b.postageQueued(t)
		var got []int64
		for id, postage := range q {
			if postage != 880 {
				t.Errorf("order %d queued with postage %d", id, postage)
			}
			got = append(got, id)
		}
		slices.Sort(got)
		slices.Sort(unfixed)
		if !slices.Equal(got, unfixed) {
			t.Fatalf("queued %v, want %v", got, unfixed)
		}
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/postage", map[string]any{"ids": fixed[:1], "postage": 880}), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "どれも送料が確定しています") {
			t.Errorf("only fixed orders: %q", p.Detail)
		}
	})
}
