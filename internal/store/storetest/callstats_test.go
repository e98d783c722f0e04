package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The counts of a shop's calls against its quota, added to the conformance suite.
func init() {
	conformanceTests["CallStatsCountAShopsCallsSinceATime"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		other, _ := NewShop(t, b.st, "other")
		since := base.Add(time.Hour)
		record := func(shopID int64, at time.Time, op string, outcome channel.Outcome, status int) {
			must[int64](t)(b.st.RecordCall(ctx, channel.Call{At: at, ShopID: shopID, JobKind: "ship_report", Operation: op, Outcome: outcome, HTTPStatus: status}))
		}
		record(b.shop.ID, since.Add(-time.Second), "getOrder", channel.OutcomeOK, 200) // before the window
		record(b.shop.ID, since, "getOrder", channel.OutcomeOK, 200)                   // its first instant counts
		record(b.shop.ID, since.Add(time.Minute), "updateOrderShippingAsync", channel.OutcomeOK, 200)
		record(b.shop.ID, since.Add(2*time.Minute), "getOrder", channel.OutcomeRetry, 429)
		record(b.shop.ID, since.Add(3*time.Minute), "confirmOrder", channel.OutcomeRejected, 400)
		record(b.shop.ID, since.Add(4*time.Minute), channel.OpSettle, channel.OutcomeOK, 0) // a note, no call
		record(other.ID, since.Add(time.Minute), "getOrder", channel.OutcomeRetry, 429)     // another shop

		got := must[store.CallStats](t)(b.st.CallStats(ctx, b.shop.ID, since))
		if want := (store.CallStats{Calls: 4, Throttled: 1, Failed: 2}); got != want {
			t.Fatalf("stats %+v, want %+v", got, want)
		}
		if got := must[store.CallStats](t)(b.st.CallStats(ctx, b.shop.ID, since.Add(time.Hour))); got != (store.CallStats{}) {
			t.Fatalf("an empty window counts %+v", got)
		}
	}
}
