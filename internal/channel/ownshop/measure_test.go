package ownshop_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// markJournal keeps each order's last mark, as the store's journal does.
type markJournal struct {
	mu    sync.Mutex
	marks map[int64]channel.Result
}

func (j *markJournal) Intend(_ context.Context, rs []channel.Result) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, r := range rs {
		j.marks[r.OrderID] = r
	}
	return nil
}

// TestMeasureCaptureDrain drains ICHIGEN_MEASURE authorised orders (e.g. 2000) through the
// capture at the simulator's quota (ICHIGEN_MEASURE_QUOTA calls/s, default 50) with faults on —
// 5% of writes applied and left unanswered, 5% extra 429s — then settles the unknown ones as the
// next run would, and reports calls/s ÷ quota, duplicate captures, lost orders and orders in a
// wrong payment status. It is a measurement, not part of the suite: it runs only when asked.
func TestMeasureCaptureDrain(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ICHIGEN_MEASURE"))
	if n <= 0 {
		t.Skip("set ICHIGEN_MEASURE=2000 to measure the capture drain")
	}
	quota := 50.0
	if q, err := strconv.ParseFloat(os.Getenv("ICHIGEN_MEASURE_QUOTA"), 64); err == nil && q > 0 {
		quota = q
	}
	ctx := context.Background()
	sim := ownshopsim.New(ownshopsim.Config{QuotaPerSecond: quota})
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	creds := sim.Credentials()
	c, err := ownshop.NewClient(channel.Account{ShopID: 1, ShopName: "計測", Credentials: creds, BaseURL: ts.URL,
		HTTP: &http.Client{Timeout: 300 * time.Millisecond}, Pacer: rate.NewLimiter(rate.Limit(quota*0.95), 1), Settle: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	client := c.(*ownshop.Client)
	var orders []order.Order
	for i := range n {
		o := ownshop.ToOrder(sim.Order(sim.Now()))
		o.ID = int64(i + 1)
		sim.Gateway.Authorize(ownshop.TradeOf(o), 1000, sim.Now())
		o.Shipments = []order.Shipment{{PackageKey: "1", Carrier: "1001", TrackingNumber: "444413758703"}}
		orders = append(orders, o)
	}
	sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 0.05, TooManyRequests: 0.05})
	j := &markJournal{marks: map[int64]channel.Result{}}
	start := time.Now()
	done := map[int64]order.PaymentStatus{}
	pending := orders
	rounds := 0
	for len(pending) > 0 && rounds < 20 {
		rounds++
		var next []order.Order
		for i := 0; i < len(pending); i += 20 {
			batch := pending[i:min(i+20, len(pending))]
			res, err := client.Process(ctx, workflow.JobCapture, batch, j)
			byID := map[int64]channel.Result{}
			for _, r := range res {
				byID[r.OrderID] = r
			}
			for _, o := range batch {
				r, ok := byID[o.ID]
				switch {
				case ok && r.OK:
					done[o.ID] = r.Refreshed.PaymentStatus
				case ok && r.Pending || !ok:
					if m, marked := j.marks[o.ID]; marked { // the next run sees the journal's mark
						o.LinkStatus, o.LinkRef = m.LinkStatus, m.Ref
					}
					next = append(next, o)
				default:
					done[o.ID] = paymentOf(r)
					t.Errorf("order %d refused: %s", o.ID, r.Message)
				}
			}
			_ = err // a transient error leaves the rest of the batch for the next round
		}
		pending = next
		if rounds == 1 {
			sim.Sim.Faults.Set(simkit.Faults{}) // the outage's tail: later rounds settle what was lost
		}
	}
	elapsed := time.Since(start)
	counts := sim.Sim.Counters.Snapshot()
	captures, duplicates, wrong, lost := counts.Operations[webcollect.FuncShipmentEntry.Name], 0, 0, 0
	for _, d := range counts.DuplicateWrites {
		duplicates += d
	}
	for _, o := range orders {
		trade, _ := sim.Gateway.Trade(ownshop.TradeOf(o))
		switch {
		case done[o.ID] == "":
			lost++
		case done[o.ID] != order.CardCaptured || !trade.StatusInfo.Captured():
			wrong++
		}
	}
	calls := counts.Requests - counts.Throttled
	t.Logf("%d orders, quota %.0f/s: %d rounds in %s; %d calls answered (%d E01 requests, %d 429s of which %d over the quota itself, %d hung writes); %.1f calls/s = %.2f of the quota; min spacing ratio %.2f; duplicate captures %d, lost %d, wrong payment status %d",
		n, quota, rounds, elapsed.Round(time.Millisecond), calls, captures, counts.Throttled, counts.OverQuota, counts.HungWrites, float64(calls)/elapsed.Seconds(),
		float64(calls)/elapsed.Seconds()/quota, counts.MinSpacingRatio, duplicates, lost, wrong)
	if duplicates != 0 || lost != 0 || wrong != 0 {
		t.Errorf("duplicates %d, lost %d, wrong %d", duplicates, lost, wrong)
	}
}
