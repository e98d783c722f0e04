package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// A batched call is linked to each order it carried, added to the conformance suite.
func init() {
	conformanceTests["BatchedCallsAreListedForEachOrderTheyCarried"] = func(t *testing.T, b *testBundle) {
		ctx := channel.WithCall(context.Background(), "confirm", 0)
		record := func(ctx context.Context, at time.Time, orderID int64, op string) int64 {
			return must[int64](t)(b.st.RecordCall(ctx, channel.Call{At: at, ShopID: b.shop.ID, OrderID: orderID, JobKind: "confirm", Operation: op, Outcome: channel.OutcomeOK}))
		}
		batch := record(channel.WithOrders(ctx, []int64{11, 12, 12, -1}), base, 0, "confirmOrder") // a repeat and a stand-in id
		single := record(ctx, base.Add(time.Minute), 11, "getOrder")
		// Naming one order, a call is that order's alone even with a batch in the context.
		one := record(channel.WithOrders(ctx, []int64{12, 13}), base.Add(2*time.Minute), 13, "updateOrderShippingAsync")
		// WithCall after WithOrders (a channel calling per order) replaces the batch.
		record(channel.WithCall(channel.WithOrders(ctx, []int64{11}), "confirm", 0), base.Add(3*time.Minute), 0, "getOrder")

		ids := func(orderID int64) []int64 {
			calls := must[[]channel.Call](t)(b.st.ListCalls(context.Background(), store.CallQuery{OrderID: orderID}))
			var out []int64
			for _, c := range calls {
				out = append(out, c.ID)
			}
			return out
		}
		for _, c := range []struct {
			order int64
			want  []int64
		}{{11, []int64{single, batch}}, {12, []int64{batch}}, {13, []int64{one}}, {14, nil}} {
			if got := ids(c.order); !slices.Equal(got, c.want) {
				t.Errorf("calls of order %d: %v, want %v", c.order, got, c.want)
			}
		}
		if got := must[[]channel.Call](t)(b.st.ListCalls(context.Background(), store.CallQuery{ShopID: b.shop.ID})); len(got) != 4 {
			t.Errorf("the shop lists %d calls, want 4 (a batch is one row)", len(got))
		}
		// Pruning the call removes its links.
		must[int64](t)(b.st.PruneCalls(context.Background(), base.Add(time.Second)))
		if got := ids(12); len(got) != 0 {
			t.Errorf("calls of order 12 after the prune: %v", got)
		}
	}
}
