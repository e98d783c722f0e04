package rakuten_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// lastCall returns the newest history row of the client's shop.
func lastCall(t *testing.T, b *testBundle) channel.Call {
	t.Helper()
	calls, err := b.store.ListCalls(context.Background(), store.CallQuery{ShopID: b.client.ShopID, PageSize: 1})
	if err != nil || len(calls) == 0 {
		t.Fatalf("history: %v, %v", calls, err)
	}
	return calls[0]
}

// TestAnErrorInAnOKAnswerIsAnError: RMS answering 200 with an ERROR in MessageModelList is a
// refused call carrying RMS's code and message, never a search that found nothing.
func TestAnErrorInAnOKAnswerIsAnError(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{})
	ctx := context.Background()
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(rakutensim.GenerateOptions{Count: 3, At: now.Add(-time.Hour)})
	b.sim.Sim.Faults.Set(simkit.Faults{ErrorInOK: 1})

	orders, err := b.client.Fetch(ctx, now.Add(-2*time.Hour), now)
	var e *channel.Error
	if !errors.As(err, &e) || e.Class != channel.Rejected || e.Code != "ORDER_EXT_API_SEARCH_ORDER_ERROR_011" ||
		!strings.Contains(e.Message, "リクエストの内容に誤りがあります") {
		t.Fatalf("fetch: %d orders, error %v; want a rejected call with RMS's message", len(orders), err)
	}
	c := lastCall(t, b)
	if c.Operation != "searchOrder" || c.Outcome != channel.OutcomeRejected || c.ErrorCode != e.Code || !strings.Contains(c.ErrorMessage, "リクエストの内容に誤りがあります") {
		t.Fatalf("history row %+v", c)
	}
}

// TestAnHTMLPageIsAnErrorWithItsTitle: a 200 carrying an HTML page (a maintenance page in front of
// the API) is a transient error that says what the page said, not an answer to decode.
func TestAnHTMLPageIsAnErrorWithItsTitle(t *testing.T) {
	t.Parallel()
	b := setup(t, rakutensim.Config{})
	ctx := context.Background()
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(rakutensim.GenerateOptions{Count: 3, At: now.Add(-time.Hour)})
	b.sim.Sim.Faults.Set(simkit.Faults{HTMLPage: 1})

	_, err := b.client.Fetch(ctx, now.Add(-2*time.Hour), now)
	var e *channel.Error
	if !errors.As(err, &e) || e.Class != channel.Transient || !strings.Contains(e.Message, "ただいまメンテナンス中です") {
		t.Fatalf("fetch: %v; want a transient error carrying the page's title", err)
	}
	if c := lastCall(t, b); c.Outcome != channel.OutcomeRetry || !strings.Contains(c.ErrorMessage, "ただいまメンテナンス中です") {
		t.Fatalf("history row %+v", c)
	}
}

// TestAnOversizedAnswerIsRefusedWithinItsCap: an answer larger than RMS can send for the call
// (here 200 MB) is refused as a recorded error after reading no more than the call's cap. Not
// parallel: it measures the process's allocations, which parallel tests would add to.
func TestAnOversizedAnswerIsRefusedWithinItsCap(t *testing.T) {
	b := setup(t, rakutensim.Config{})
	b.client.HTTP.Timeout = time.Minute
	ctx := context.Background()
	numbers := b.sim.Generate(rakutensim.GenerateOptions{Count: 100})
	b.sim.Sim.Faults.Set(simkit.Faults{OversizeBytes: 200 << 20})

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	models, err := b.client.GetOrders(ctx, numbers)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("getOrder of a 200 MB answer allocated %.1f MiB", float64(allocated)/(1<<20))
	var e *channel.Error
	if !errors.As(err, &e) || e.Class != channel.Transient || !strings.Contains(e.Message, "大きすぎ") {
		t.Fatalf("getOrder: %d orders, error %v; want the answer refused", len(models), err)
	}
	if allocated > 3*rakuten.MaxAnswerGetOrder {
		t.Fatalf("allocated %d bytes for one call, more than the cap of %d allows", allocated, rakuten.MaxAnswerGetOrder)
	}
	if c := lastCall(t, b); c.Operation != "getOrder" || c.Outcome != channel.OutcomeRetry || !strings.Contains(c.ErrorMessage, "大きすぎ") {
		t.Fatalf("history row %+v", c)
	}
}

// TestShippingTermReadsAsTheBuyerChoseIt: RMS's お届け時間帯 codes become the words buyers and
// packers read; none (0, null) and codes RMS does not define are no wish.
func TestShippingTermReadsAsTheBuyerChoseIt(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]string{0: "", 1: "午前", 2: "午後", 9: "その他", 1416: "14時〜16時", 812: "8時〜12時", 1921: "19時〜21時", 1614: "", 2530: "", 5: ""} {
		if got := rakuten.ShippingTermWords(&code); got != want {
			t.Errorf("%d: %q, want %q", code, got, want)
		}
	}
	if got := rakuten.ShippingTermWords(nil); got != "" {
		t.Errorf("null: %q", got)
	}
}
