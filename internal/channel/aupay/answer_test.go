package aupay_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// lastCall is the newest history row.
func (b *testBundle) lastCall(t *testing.T) channel.Call {
	t.Helper()
	calls := b.calls.all()
	if len(calls) == 0 {
		t.Fatal("no call recorded")
	}
	return calls[len(calls)-1]
}

// TestAnHTMLPageIsAnErrorWithItsTitle: a 200 carrying an HTML page (a maintenance page in front of
// the API) is a transient error that says what the page said, not an answer to decode.
func TestAnHTMLPageIsAnErrorWithItsTitle(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(aupaysim.GenerateOptions{Count: 3, At: now.Add(-time.Hour)})
	b.sim.Sim.Faults.Set(simkit.Faults{HTMLPage: 1})

	orders, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	class, e := classOf(err)
	if class != channel.Transient || e == nil || !strings.Contains(e.Message, "ただいまメンテナンス中です") {
		t.Fatalf("fetch: %d orders, %v; want a transient error carrying the page's title", len(orders), err)
	}
	if c := b.lastCall(t); c.Outcome != channel.OutcomeRetry || !strings.Contains(c.ErrorMessage, "ただいまメンテナンス中です") {
		t.Fatalf("history row %+v", c)
	}
}

// TestAnErrorInAnOKAnswerIsAnError: au answering 200 with status 1 is a refused call with au's
// message, never a search that found nothing.
func TestAnErrorInAnOKAnswerIsAnError(t *testing.T) {
	t.Parallel()
	b := setup(t, aupaysim.Config{})
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(aupaysim.GenerateOptions{Count: 3, At: now.Add(-time.Hour)})
	b.sim.Sim.Faults.Set(simkit.Faults{ErrorInOK: 1})

	orders, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	class, e := classOf(err)
	if class != channel.Rejected || e == nil || e.Code != aupay.CodeBadRequest || !strings.Contains(e.Message, "リクエストの内容に誤りがあります") {
		t.Fatalf("fetch: %d orders, %v; want a rejected call with au's message", len(orders), err)
	}
	if c := b.lastCall(t); c.Outcome != channel.OutcomeRejected || c.ErrorCode != aupay.CodeBadRequest {
		t.Fatalf("history row %+v", c)
	}
}

// TestAnOversizedAnswerIsRefusedWithinItsCap: a search answer larger than a full page of trades
// can be (here 200 MB) is refused as a recorded error after reading no more than the cap. Not
// parallel: it measures the process's allocations, which parallel tests would add to.
func TestAnOversizedAnswerIsRefusedWithinItsCap(t *testing.T) {
	b := setup(t, aupaysim.Config{})
	b.client.HTTP.Timeout = time.Minute
	now := b.sim.Sim.Clock.Now()
	b.sim.Generate(aupaysim.GenerateOptions{Count: 3, At: now.Add(-time.Hour)})
	b.sim.Sim.Faults.Set(simkit.Faults{OversizeBytes: 200 << 20})

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	orders, err := b.client.Fetch(context.Background(), now.Add(-2*time.Hour), now)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("searchTradeInfoListProc of a 200 MB answer allocated %.1f MiB", float64(allocated)/(1<<20))
	class, e := classOf(err)
	if class != channel.Transient || e == nil || !strings.Contains(e.Message, "大きすぎ") {
		t.Fatalf("fetch: %d orders, %v; want the answer refused", len(orders), err)
	}
	if allocated > 2*aupay.MaxAnswerList {
		t.Fatalf("allocated %d bytes for one call, more than the cap of %d allows", allocated, aupay.MaxAnswerList)
	}
	if c := b.lastCall(t); c.Operation != aupay.OpSearchTradeInfoList || c.Outcome != channel.OutcomeRetry || !strings.Contains(c.ErrorMessage, "大きすぎ") {
		t.Fatalf("history row %+v", c)
	}
}
