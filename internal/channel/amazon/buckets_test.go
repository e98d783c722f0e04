package amazon_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon/amazonsim"
)

// sharedBuckets stands for the database's buckets: it counts the tokens taken per bucket.
type sharedBuckets struct {
	mu    sync.Mutex
	taken map[string]int
	plans map[string][2]float64
}

func (b *sharedBuckets) Bucket(name string, rate float64, burst int) channel.Pacer {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.plans[name] = [2]float64{rate, float64(burst)}
	return pacerFunc(func(context.Context) error {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.taken[name]++
		return nil
	})
}

type pacerFunc func(context.Context) error

func (f pacerFunc) Wait(ctx context.Context) error { return f(ctx) }

// TestClientTakesTokensFromTheSharedBuckets: given the channel kit's buckets (the database's,
// shared by every instance), the client takes a token of the operation's bucket before each
// call, with the usage plan's rate and burst, and names no secret in the bucket's name.
func TestClientTakesTokensFromTheSharedBuckets(t *testing.T) {
	t.Parallel()
	sim := amazonsim.New(amazonsim.Config{SellerID: "ASHAREDBUCKETS"})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	creds := with(sim.Credentials(), "endpoint", srv.URL)
	buckets := &sharedBuckets{taken: map[string]int{}, plans: map[string][2]float64{}}
	c, err := amazon.NewClient(channel.Account{ShopID: 8, ShopName: "共有", Credentials: creds, BaseURL: srv.URL,
		HTTP: &http.Client{Timeout: 2 * time.Second}, Buckets: buckets})
	if err != nil {
		t.Fatal(err)
	}
	now := sim.Sim.Clock.Now()
	ids := sim.Generate(amazonsim.GenerateOptions{Count: 5, At: now.Add(-time.Hour)})
	got, err := c.(*amazon.Client).Fetch(context.Background(), now.Add(-2*time.Hour), now)
	if err != nil || len(got) != len(ids) {
		t.Fatalf("fetched %d of %d: %v", len(got), len(ids), err)
	}
	byOp := map[string]int{}
	for name, n := range buckets.taken {
		for _, secret := range []string{creds["clientSecret"], creds["refreshToken"]} {
			if strings.Contains(name, secret) {
				t.Fatalf("bucket %q names a secret", name)
			}
		}
		op := strings.Split(name, ":")[1]
		byOp[op] += n
		if plan := amazon.UsagePlans[op]; buckets.plans[name] != [2]float64{plan.Rate, float64(plan.Burst)} {
			t.Errorf("bucket %s: rate and burst %v, want the usage plan's %+v", op, buckets.plans[name], plan)
		}
	}
	if byOp[amazon.OpGetOrders] != 1 || byOp[amazon.OpGetOrderItems] != len(ids) {
		t.Fatalf("tokens taken %v, want 1 getOrders and %d getOrderItems", byOp, len(ids))
	}
}
