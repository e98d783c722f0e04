package aupay_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// TestCancelTradeOnceAndOnlyBeforeCompletion: Cancel cancels a trade at au PAY Market
// (cancelTradeProc) and returns it キャンセル; asked again, or after a lost answer, it reads the
// trade back and sends nothing more; a completed trade is refused with what to do, before any
// write.
func TestCancelTradeOnceAndOnlyBeforeCompletion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, aupaysim.Config{})
	ids := b.sim.Generate(aupaysim.GenerateOptions{Count: 2, Status: aupay.StatusAwaitingShipment})
	done := b.sim.Generate(aupaysim.GenerateOptions{Count: 1, Status: aupay.StatusCompleted})[0]

	o, err := b.client.Cancel(ctx, ids[0], "9")
	if err != nil || o.MarketplaceStatus != order.StatusCancelled {
		t.Fatalf("cancel: %v, %s", err, o.MarketplaceStatus)
	}
	if o, err := b.client.Cancel(ctx, ids[0], "9"); err != nil || o.MarketplaceStatus != order.StatusCancelled {
		t.Fatalf("cancel again: %v, %s", err, o.MarketplaceStatus)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 1})
	lossy := *b.client
	lossy.HTTP = &http.Client{Timeout: 300 * time.Millisecond}
	if o, err := lossy.Cancel(ctx, ids[1], "9"); err != nil || o.MarketplaceStatus != order.StatusCancelled {
		t.Fatalf("cancel with the answer lost: %v, %s", err, o.MarketplaceStatus)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	counts := b.sim.Sim.Counters.Snapshot()
	if counts.WriteRequests[ids[0]] != 1 || counts.WriteRequests[ids[1]] != 1 {
		t.Fatalf("cancelTradeProc requests %d and %d, want one each", counts.WriteRequests[ids[0]], counts.WriteRequests[ids[1]])
	}
	_, err = b.client.Cancel(ctx, done, "9")
	if class, e := classOf(err); class != channel.Rejected || !strings.Contains(e.Message, "「完了」のため、キャンセルできません。") {
		t.Fatalf("completed: %v", err)
	}
	if _, err := b.client.Cancel(ctx, ids[1], "1"); channel.ClassOf(err) != channel.Rejected {
		t.Fatalf("a reason au is not sent: %v", err)
	}
	if n := b.sim.Sim.Counters.Snapshot().WriteRequests[done]; n != 0 {
		t.Fatalf("%d write requests for the completed trade", n)
	}
}
