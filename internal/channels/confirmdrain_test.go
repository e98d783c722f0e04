package channels_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
	"github.com/riverqueue/river/rivertype"
)

// TestConfirmDrainAtTheQuota measures issue 14's confirm drain: a backlog of imported orders
// moved into the 注文確認 rule's phase at once, from the move until the last one is confirmed,
// as orders a second ÷ (orders a call × the quota), with the calls' own pace between the first
// and the last confirmation and the marketplace's refusals over the quota. It runs only when
// asked:
//
//	ICHIGEN_DRAIN_CHANNEL=rakuten ICHIGEN_DRAIN_ORDERS=3000 ICHIGEN_DRAIN_QUOTA=1 go test ./internal/channels/ -run TestConfirmDrainAtTheQuota -v
func TestConfirmDrainAtTheQuota(t *testing.T) {
	name, n := os.Getenv("ICHIGEN_DRAIN_CHANNEL"), envInt("ICHIGEN_DRAIN_ORDERS", 0)
	if name == "" || n == 0 {
		t.Skip("set ICHIGEN_DRAIN_CHANNEL and ICHIGEN_DRAIN_ORDERS to measure a confirm drain")
	}
	quota := float64(envInt("ICHIGEN_DRAIN_QUOTA", 1))
	spec, ok := channel.Lookup(name)
	if !ok || spec.Simulator == nil || !spec.HasJobKind(workflow.JobConfirm) {
		t.Fatalf("channel %q has no confirmation to drain", name)
	}
	perCall := max(spec.PollOrdersPerCall, 1) // RMS: 100 orders a getOrder and a confirmOrder alike
	ctx := context.Background()
	sim, url, srv := startDrain(t, spec, quota, 17)
	st := srv.Store
	sh, phases, imp, _ := drainShop(t, st, spec, sim, url, quota, "confirm")
	held, err := st.CreatePhase(ctx, "取込済み")
	if err != nil {
		t.Fatal(err)
	}
	// The backlog is imported first, with nothing to confirm it yet.
	// The orders are placed 500 a minute, as a busy shop's come in (a search page holds 1,000),
	// and the clock moves on a minute after the last, as an import window ends at the simulated
	// now (exclusive).
	for placed := 0; placed < n; placed += 500 {
		sim.Place(min(500, n-placed), false)
		simControl(t, url, http.MethodPost, "/_sim/clock", `{"advance":"1m"}`)
	}
	job, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: imp.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if !storetest.Await(t, time.Duration(float64(n)/100/quota+120)*time.Second, func() bool {
		j, err := srv.Queue.Client().JobGet(ctx, job.Job.ID)
		return err == nil && j.State == rivertype.JobStateCompleted
	}, srv.Queue) {
		page, _ := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 1})
		t.Fatalf("the import did not end: it brought %d of %d orders", page.Total, n)
	}
	// Orders RMS holds back (postage -9999 waits for the shop) are not imported: the imported
	// ones are the backlog.
	all, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	n = int(all.Total)
	for p := 1; len(ids) < n; p++ {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, Page: p, PageSize: 500})
		if err != nil || len(page.Orders) == 0 {
			t.Fatalf("page %d of the imported orders: %v", p, err)
		}
		for _, o := range page.Orders {
			ids = append(ids, o.ID)
		}
	}
	if _, err := srv.Queue.MoveOrders(ctx, st, ids, held.ID, "drain"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobConfirm, Enabled: true, TargetPhaseID: phases["新規受付"],
		SuccessPhaseID: phases["確認待ち"], ErrorPhaseID: phases["エラー"]}); err != nil {
		t.Fatal(err)
	}
	before := simCounts(t, url)
	moved := time.Now()
	if _, err := srv.Queue.MoveOrders(ctx, st, ids, phases["新規受付"], "drain"); err != nil {
		t.Fatal(err)
	}
	if !storetest.Await(t, time.Duration(float64(n)/float64(perCall)/quota*3+60)*time.Second, func() bool {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: phases["新規受付"], PageSize: 1})
		return err == nil && page.Total == 0
	}, srv.Queue) {
		t.Fatal("the orders were not all confirmed")
	}
	drained := time.Since(moved)
	after := simCounts(t, url)
	var first, last time.Time
	calls, err := st.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, JobKind: string(workflow.JobConfirm), PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, c := range calls {
		if c.Operation == channel.OpSettle {
			continue
		}
		sent++
		if first.IsZero() || c.At.Before(first) {
			first = c.At
		}
		if c.At.After(last) {
			last = c.At
		}
	}
	ceiling := float64(perCall) * quota
	t.Logf("%s: %d orders, %d a call, quota %g/s: confirmed in %s = %.1f orders/s = %.3f of %g/s", name, n, perCall, quota, drained.Round(time.Millisecond),
		float64(n)/drained.Seconds(), float64(n)/drained.Seconds()/ceiling, ceiling)
	if sent > 1 {
		t.Logf("its %d calls, first to last: %.3f of the quota (steady pace)", sent, float64(sent-1)/last.Sub(first).Seconds()/quota)
	}
	t.Logf("move → first call %s; requests %d, over quota %d, 429 %d", first.Sub(moved).Round(time.Millisecond), after.Requests-before.Requests,
		after.OverQuota-before.OverQuota, after.Throttled-before.Throttled)
	if after.OverQuota > before.OverQuota {
		t.Errorf("%d calls over the quota", after.OverQuota-before.OverQuota)
	}
}
