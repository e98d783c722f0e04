package app

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// stalledStore hands its first call slot back late, as an instance whose process stalled (a busy
// machine, a pause) between the database's answer and the timer it sets.
type stalledStore struct {
	store.Store
	first    atomic.Bool
	stall    time.Duration
	reserved chan struct{} // closed once the first caller has its slot, before it stalls
}

func (s *stalledStore) ReserveCall(ctx context.Context, key string, every time.Duration) (time.Duration, error) {
	wait, err := s.Store.ReserveCall(ctx, key, every)
	if s.first.CompareAndSwap(false, true) { // only this caller stalls, the others go on
		close(s.reserved)
		time.Sleep(s.stall)
	}
	return wait, err
}

// TestPacedCallsStayAQuotaStepApartAtTheMarketplace: three callers of one au PAY credential
// share the call slots, and the first of them stalls after taking its slot. The simulator, which
// measures the spacing of the requests as they arrive, sees none closer than the quota's step and
// answers no 429: the late caller pushed the others instead of leaving between them.
func TestPacedCallsStayAQuotaStepApartAtTheMarketplace(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			const quota = 10 // a step of 100 ms
			st := &stalledStore{Store: engine.Open(t), stall: 300 * time.Millisecond, reserved: make(chan struct{})}
			sim := aupaysim.New(aupaysim.Config{QuotaPerSecond: quota, Seed: 5})
			srv := httptest.NewServer(sim.Handler())
			t.Cleanup(srv.Close)
			apiKey, shopID := sim.Credentials()
			pacer := (&channels{store: st}).pacer("aupay", apiKey, quota)
			client := &aupay.Client{BaseURL: srv.URL, APIKey: apiKey, ShopID: shopID, Limiter: pacer}

			var wg sync.WaitGroup
			for i := range 3 {
				wg.Go(func() {
					if i > 0 {
						<-st.reserved // the stalled one reserves first
					}
					from := time.Now().Add(-time.Hour)
					if _, err := client.SearchPage(context.Background(), from, time.Now(), 1, 10); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			c := sim.Sim.Counters.Snapshot()
			if c.Requests != 3 || c.Throttled != 0 || c.Close != 0 || c.MinSpacingRatio < 1 {
				t.Fatalf("the simulator saw %d requests, %d refused over quota, %d closer than the quota's step (closest %v, %.2f of the step)",
					c.Requests, c.Throttled, c.Close, time.Duration(c.MinSpacing), c.MinSpacingRatio)
			}
		})
	}
}
