package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestDriftIsFoundInEveryPhaseWithinQuota: an own cart's open card orders, in whatever phase,
// are read back from webコレクト; the one cancelled in webコレクト's own screen becomes 注文キャンセル
// with the difference and what to do in its history, the others are left alone, and a run reads
// no more than the shop's budget (a small share of its quota).
func TestDriftIsFoundInEveryPhaseWithinQuota(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sim := ownshopsim.New(ownshopsim.Config{})
			ts := httptest.NewServer(sim.Handler())
			t.Cleanup(ts.Close)
			creds := shop.Credentials(sim.Credentials())
			sh, err := st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: creds})
			if err != nil {
				t.Fatal(err)
			}
			c, err := ownshop.NewClient(channel.Account{ShopID: sh.ID, ShopName: sh.Name, Credentials: creds.Plain(), BaseURL: ts.URL, HTTP: &http.Client{Timeout: 5 * time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			client := c.(*ownshop.Client)
			sim.Place(3, true)
			fetched, err := (&ownshop.Client{FeedURL: ts.URL + "/cart/v1", Secret: creds["cartSecret"]}).Fetch(ctx, sim.Now().Add(-time.Hour), sim.Now().Add(time.Hour))
			if err != nil || len(fetched) != 3 {
				t.Fatalf("fetch: %d, %v", len(fetched), err)
			}
			phases, err := st.ListPhases(ctx)
			if err != nil || len(phases) < 3 {
				t.Fatalf("phases: %v", err)
			}
			var ids []int64
			for i, o := range fetched { // each in another phase: the read-back is not the rule's phase
				res, err := st.UpsertOrders(ctx, sh.ID, []order.Order{o}, store.UpsertOptions{PhaseID: phases[i].ID})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, res.IDs...)
			}
			// Cancelled in webコレクト's own screen: webコレクト knows, ichigen does not.
			if _, err := client.CancelPayment(ctx, fetched[1]); err != nil {
				t.Fatal(err)
			}
			before := sim.Sim.Counters.Snapshot()

			rep, err := jobs.CheckDrift(ctx, st, sh, client)
			if err != nil || rep.Checked != 3 || rep.Differed != 1 {
				t.Fatalf("drift run: %+v %v", rep, err)
			}
			for i, id := range ids {
				o, _ := st.GetOrder(ctx, id)
				want := order.CardAuthorized
				if i == 1 {
					want = order.CardCancelled
				}
				if o.PaymentStatus != want {
					t.Errorf("order %d: %s, want %s", i, o.PaymentStatus.Label(), want.Label())
				}
			}
			events, _ := st.ListOrderEvents(ctx, ids[1])
			found := false
			for _, e := range events {
				found = found || strings.Contains(e.Message, "決済ステータスの不一致")
			}
			if !found {
				t.Error("the difference is not in the order's history")
			}
			after := sim.Sim.Counters.Snapshot()
			calls, writes := 0, 0
			for op, n := range after.Operations {
				calls += n - before.Operations[op]
			}
			for number, n := range after.WriteRequests {
				writes += n - before.WriteRequests[number]
			}
			if calls != 3 || writes != 0 {
				t.Errorf("%d calls and %d writes for 3 orders read back, want 3 and 0 (%v)", calls, writes, after.Operations)
			}
			if b := jobs.DriftBudget(sh); float64(b) > ownshop.CallsPerSecond*jobs.DriftInterval.Seconds()*0.1 {
				t.Errorf("a run may read %d orders: more than a tenth of the quota over its interval", b)
			}
		})
	}
}
