package amazon_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon/amazonsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// inMemory sends requests straight to a handler, so that a whole run lives inside a synctest
// bubble: the buckets' waits pass in fake time. A handler that aborts (a write left unanswered)
// is a failed call, as a dropped connection is.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	done, aborted := make(chan struct{}), false
	go func() {
		defer close(done)
		defer func() {
			if recover() != nil {
				aborted = true
			}
		}()
		m.h.ServeHTTP(rec, req.Clone(req.Context()))
	}()
	<-done
	if aborted || req.Context().Err() != nil {
		return nil, errors.Join(errors.New("connection closed"), req.Context().Err())
	}
	return rec.Result(), nil
}

// bubble starts a simulator enforcing the model's usage plans and a client at the model's
// rates, talking in memory.
func bubble(t *testing.T, cfg amazonsim.Config) (*amazonsim.Server, *amazon.Client) {
	cfg.RateFactor = 1
	sim := amazonsim.New(cfg)
	creds := sim.Credentials()
	creds["endpoint"] = fmt.Sprintf("http://sim-%d.invalid", cfg.Seed) // tokens are held per endpoint: one each
	c, err := amazon.NewClient(channel.Account{ShopID: 1, ShopName: "計測店", Credentials: creds, BaseURL: creds["endpoint"],
		HTTP: &http.Client{Transport: inMemory{sim.Handler()}, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c.(*amazon.Client)
}

// bound is the least time a bucket of plan allows n calls in, from full.
func bound(plan amazon.UsagePlan, n int) time.Duration {
	return time.Duration(float64(max(n-plan.Burst, 0)) / plan.Rate * float64(time.Second))
}

// TestBacklogDrainsAtTheBucketsLimit: a backlog of 2,000 orders is imported, and then 2,000
// shipments confirmed, at the pace the usage plans allow — getOrders' 20 pages within its
// burst, then getOrderItems at 0.5 a second; confirmShipment at 2 a second — with no 429 and
// every order sent once. The figures are logged for the closing note.
func TestBacklogDrainsAtTheBucketsLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 orders each way")
	}
	synctest.Test(t, func(t *testing.T) {
		sim, c := bubble(t, amazonsim.Config{Seed: 5})
		ctx := context.Background()
		const n = 2000
		start := time.Now()
		sim.Generate(amazonsim.GenerateOptions{Count: n, At: start.Add(-time.Hour)})
		orders, err := c.Fetch(ctx, start.Add(-2*time.Hour), start)
		if err != nil || len(orders) != n {
			t.Fatalf("import: %d orders, %v", len(orders), err)
		}
		took := time.Since(start)
		limit := bound(amazon.UsagePlans[amazon.OpGetOrderItems], n)
		counts, refused := sim.Sim.Counters.Snapshot(), sim.Refused()
		t.Logf("import of %d: %s (bucket limit %s, ratio %.3f), getOrders %d, getOrderItems %d, 429s %d",
			n, took, limit, took.Seconds()/limit.Seconds(), counts.Operations[amazon.OpGetOrders], counts.Operations[amazon.OpGetOrderItems], refused)
		if refused != 0 || counts.Operations[amazon.OpGetOrderItems] != n || took < limit || took > limit+limit/20 {
			t.Errorf("import took %s against a limit of %s, %d refused", took, limit, refused)
		}

		for i := range orders {
			orders[i].ID = int64(i + 1)
			orders[i].Shipments = []order.Shipment{{PackageKey: amazon.PackageKey, ShipDate: time.Now().In(order.JST).Format(time.DateOnly), Carrier: "1002", TrackingNumber: "512547514334"}}
		}
		j := &journal{}
		start = time.Now()
		for i := 0; i < n; i += amazon.Spec.BatchSize {
			results, err := c.Process(ctx, workflow.JobShipReport, orders[i:min(i+amazon.Spec.BatchSize, n)], j)
			if err != nil {
				t.Fatalf("ship report at %d: %v", i, err)
			}
			for _, r := range results {
				if !r.OK {
					t.Fatalf("order %d: %s", r.OrderID, r.Message)
				}
			}
		}
		took = time.Since(start)
		plan := amazon.UsagePlans[amazon.OpConfirmShipment]
		limit = bound(plan, n)
		after := sim.Sim.Counters.Snapshot()
		twice := 0
		for _, o := range orders {
			if after.WriteRequests[o.Number] != 1 {
				twice++
			}
		}
		t.Logf("%d confirmations: %s (bucket limit %s), %.3f calls/s ÷ rate %g = %.3f, 429s %d, sent twice %d, duplicates %d",
			n, took, limit, float64(n)/took.Seconds(), plan.Rate, float64(n)/took.Seconds()/plan.Rate, sim.Refused()-refused, twice, len(after.DuplicateWrites))
		if sim.Refused() != refused || twice != 0 || len(after.DuplicateWrites) != 0 || took > limit+limit/20 {
			t.Errorf("confirmations: %s against %s, %d refused, %d twice", took, limit, sim.Refused()-refused, twice)
		}
	})
}

// TestLostAnswersAreNeitherLostNorSentTwice: with a fifth of the confirmations' answers lost
// (applied, never answered), runs repeated as the dispatcher does leave every order confirmed
// exactly once.
func TestLostAnswersAreNeitherLostNorSentTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sim, c := bubble(t, amazonsim.Config{Seed: 9})
		ctx := context.Background()
		const n = 200
		start := time.Now()
		sim.Generate(amazonsim.GenerateOptions{Count: n, At: start.Add(-time.Hour)})
		orders, err := c.Fetch(ctx, start.Add(-2*time.Hour), start)
		if err != nil || len(orders) != n {
			t.Fatalf("import: %d, %v", len(orders), err)
		}
		byID := map[int64]*order.Order{}
		for i := range orders {
			orders[i].ID = int64(i + 1)
			orders[i].Shipments = []order.Shipment{{PackageKey: amazon.PackageKey, ShipDate: time.Now().In(order.JST).Format(time.DateOnly), Carrier: "1003", TrackingNumber: "405548424886"}}
			byID[orders[i].ID] = &orders[i]
		}
		sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 0.2})
		j := &journal{}
		todo := orders
		for round := 0; len(todo) > 0 && round < 20; round++ {
			if round == 3 {
				sim.Sim.Faults.Set(simkit.Faults{})
			}
			var next []order.Order
			for i := 0; i < len(todo); i += amazon.Spec.BatchSize {
				batch := todo[i:min(i+amazon.Spec.BatchSize, len(todo))]
				results, err := c.Process(ctx, workflow.JobShipReport, batch, j)
				decided := map[int64]bool{}
				for _, r := range results {
					decided[r.OrderID] = true
					if !r.OK {
						o := *byID[r.OrderID]
						o.LinkRef = r.Ref
						next = append(next, o)
					}
				}
				for _, o := range batch { // left undecided by an error: marked as sent in the journal
					if !decided[o.ID] {
						o.LinkRef = lastMark(j, o.ID)
						next = append(next, o)
					}
				}
				_ = err
			}
			todo = next
		}
		counts := sim.Sim.Counters.Snapshot()
		lost, twice := 0, 0
		for _, o := range orders {
			a, _, _ := sim.Order(o.Number)
			if a.OrderStatus != amazon.StatusShipped {
				lost++
			}
			if counts.Writes[o.Number] != 1 {
				twice++
			}
		}
		t.Logf("fault run: %d orders, %d answers lost, %d lost, %d applied twice, %d duplicate writes", n, counts.HungWrites, lost, twice, len(counts.DuplicateWrites))
		if counts.HungWrites == 0 || lost != 0 || twice != 0 || len(counts.DuplicateWrites) != 0 || len(todo) != 0 {
			t.Errorf("%d hung, %d lost, %d twice, %d left", counts.HungWrites, lost, twice, len(todo))
		}
	})
}

func lastMark(j *journal, id int64) string {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := len(j.marks) - 1; i >= 0; i-- {
		if j.marks[i].OrderID == id {
			return j.marks[i].Ref
		}
	}
	return ""
}
