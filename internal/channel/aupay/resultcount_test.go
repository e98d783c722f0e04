package aupay_test

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
)

// TestFetchPagesOnTheTradesNotOnResultCount: public clients read searchTradeInfoListProc's
// resultCount both as the trades the search matched and as the trades on the page (see
// aupaysim's searchTradeInfoList); the import gets every trade of the window either way, in as
// many pages as the trades fill.
func TestFetchPagesOnTheTradesNotOnResultCount(t *testing.T) {
	t.Parallel()
	for _, perPage := range []bool{false, true} {
		b := setup(t, aupaysim.Config{ResultCountPerPage: perPage})
		now := b.sim.Sim.Clock.Now()
		want := b.sim.Generate(aupaysim.GenerateOptions{Count: 1500, At: now.Add(-time.Hour)})
		got, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("resultCount per page %v: fetched %d of %d", perPage, len(got), len(want))
		}
		if ops := b.sim.Sim.Counters.Snapshot().Operations["searchTradeInfoListProc"]; ops != 2 {
			t.Fatalf("resultCount per page %v: %d pages for 1,500 trades, want 2", perPage, ops)
		}
	}
}
