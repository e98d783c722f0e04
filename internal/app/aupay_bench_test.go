package app

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// auDrainQuota is the simulator's quota in the au drain (ICHIGEN_BENCH_AU_QUOTA, 5 requests/s
// by default): au takes one trade per call, so 2,000 orders through two kinds are 4,000 calls,
// a quarter of an hour at 5/s rather than more than an hour at au's 1/s. The ratio to the quota
// is what is measured; at higher quotas the fixed allowance for jitter in the pacing weighs
// more.
func auDrainQuota() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("ICHIGEN_BENCH_AU_QUOTA"), 64); err == nil && v > 0 {
		return v
	}
	return 5
}

// BenchmarkAuPayDrain drains 2,000 orders through ship_report then complete at the simulator's
// quota and reports calls/s ÷ quota, the 429s received, failed orders and duplicate writes.
//
//	go test -run '^$' -bench AuPayDrain -benchtime 1x -timeout 40m ./internal/app
func BenchmarkAuPayDrain(b *testing.B) {
	for range b.N {
		auDrain(b, 2000, "", 1)
	}
}

// BenchmarkAuPayDrainTwoInstances drains 500 orders (1,000 calls) the same way with two
// instances on PostgreSQL sharing the credential's pace, and reports besides the 429s per 1,000
// calls and the shortest spacing the simulator saw ÷ the quota's step (below 1: a call came
// early).
//
//	go test -run '^$' -bench AuPayDrainTwoInstances -benchtime 1x -timeout 20m ./internal/app
func BenchmarkAuPayDrainTwoInstances(b *testing.B) {
	for range b.N {
		auDrain(b, 500, storetest.PostgresSchemaURL(b), 2)
	}
}

func auDrain(b *testing.B, n int, db string, instances int) {
	ctx := context.Background()
	quota := auDrainQuota()
	bundle := setupAuPayOn(b, aupaysim.Config{QuotaPerSecond: quota, Seed: 31}, db, instances, quota)
	bundle.shipAndComplete(b)
	orders := bundle.imported(b, aupaysim.GenerateOptions{Count: n, Status: aupay.StatusAwaitingShipment})
	ids := make([]int64, len(orders))
	for i, o := range orders {
		bundle.ship(b, o, order.Shipment{ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"})
		ids[i] = o.ID
	}
	before := bundle.sim.Sim.Counters.Snapshot()
	start := time.Now()
	bundle.move(b, ids, "出荷済み")
	waitPhaseEmptyWithin(b, bundle.srv, bundle.shop.ID, bundle.phases["出荷済み"], 30*time.Minute)
	waitPhaseEmptyWithin(b, bundle.srv, bundle.shop.ID, bundle.phases["出荷反映済み"], 30*time.Minute)
	took := time.Since(start)
	after := bundle.sim.Sim.Counters.Snapshot()
	done, err := bundle.srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: bundle.shop.ID, PhaseID: bundle.phases["完了"], PageSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	dups := 0
	for _, o := range orders {
		dups += after.DuplicateWrites[o.Number]
	}
	calls := after.Requests - before.Requests
	b.ReportMetric(float64(n), "orders")
	b.ReportMetric(float64(calls), "calls")
	b.ReportMetric(float64(calls)/took.Seconds()/quota, "calls_per_s/quota")
	b.ReportMetric(float64(n)/took.Seconds(), "orders_per_s")
	b.ReportMetric(float64(after.Throttled-before.Throttled), "429s")
	b.ReportMetric(float64(after.Throttled-before.Throttled)*1000/float64(calls), "429s_per_1000_calls")
	b.ReportMetric(after.MinSpacingRatio, "min_spacing/step")
	b.Logf("closest calls: %s, %v apart; %d gaps under the step", after.MinSpacingOps, after.MinSpacing, after.Close)
	b.ReportMetric(float64(int64(n)-done.Total), "not_completed")
	b.ReportMetric(float64(dups), "duplicate_writes")
	if done.Total != int64(n) || dups > 0 {
		b.Errorf("%d of %d completed, %d duplicate writes", done.Total, n, dups)
	}
}

// BenchmarkAuPayFaultRun is the Rakuten fault run on au PAY Market: two instances on
// PostgreSQL, 10% of writes applied and left unanswered, 5% 429s, a maintenance window, the key
// expiring and renewed, while 200 orders arrive in waves and flow from import through status
// fetch, the packer, the ship report and the completion. Orders lost, reported twice and in a
// wrong phase at the end must each be 0.
//
//	go test -run '^$' -bench AuPayFaultRun -benchtime 1x -timeout 20m ./internal/app
func BenchmarkAuPayFaultRun(b *testing.B) {
	for range b.N {
		auFaultRun(b, 20)
	}
}

func auFaultRun(b *testing.B, waves int) {
	ctx := context.Background()
	const quota = 5
	bundle := setupAuPayOn(b, aupaysim.Config{QuotaPerSecond: quota, Seed: 33}, storetest.PostgresSchemaURL(b), 2, quota)
	sim, srv, p, sh := bundle.sim, bundle.srv, bundle.phases, bundle.shop
	faults := simkit.Faults{TimeoutAfterWrite: 0.10, TooManyRequests: 0.05}
	sim.Sim.Faults.Set(faults)
	bundle.rule(b, workflow.Rule{Kind: workflow.JobImport, Interval: 20 * time.Second})
	bundle.rule(b, workflow.Rule{Kind: workflow.JobStatusFetch, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"], Interval: 20 * time.Second})
	bundle.shipAndComplete(b)

	var numbers []string
	start := time.Now()
	instances := append([]*Server{srv}, bundle.others...)
	maintained, expired, renewed := false, false, false
	lastWave, lastReport := time.Time{}, start
	packed := 0
	for {
		elapsed := time.Since(start)
		if len(numbers) < waves*10 && time.Since(lastWave) >= 5*time.Second {
			numbers = append(numbers, sim.Generate(aupaysim.GenerateOptions{Count: 10, Status: aupay.StatusAwaitingShipment})...)
			lastWave = time.Now()
		}
		switch {
		case !maintained && elapsed > 40*time.Second:
			f := faults
			f.MaintenanceUntil = sim.Sim.Clock.Now().Add(30 * time.Second)
			sim.Sim.Faults.Set(f)
			maintained = true
		case !expired && elapsed > 90*time.Second:
			sim.ExpireKey()
			expired = true
		case expired && !renewed && elapsed > 110*time.Second:
			_, shopID := sim.Credentials()
			const renewedKey = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
			sim.RenewKey(renewedKey)
			if err := srv.Store.SetShopCredentials(ctx, sh.ID, shop.Credentials{"apiKey": renewedKey, "shopId": shopID, "endpoint": bundle.simURL,
				"callsPerSecond": fmt.Sprint(quota)}, time.Time{}); err != nil {
				b.Fatal(err)
			}
			renewed = true
		}
		done := packTurn(b, instances, &packed, sh.ID, p)
		if time.Since(lastReport) > 30*time.Second {
			lastReport = time.Now()
			fmt.Fprintf(os.Stderr, "au fault run %v: %d ordered; %s\n", elapsed.Round(time.Second), len(numbers), phaseCounts(b, srv.Store, sh.ID, p))
		}
		if done == int64(waves*10) && renewed {
			break
		}
		if elapsed > 12*time.Minute {
			b.Logf("not finished after 12 minutes: %d of %d orders done", done, len(numbers))
			break
		}
		time.Sleep(time.Second)
	}
	took := time.Since(start)
	counts := sim.Sim.Counters.Snapshot()
	lost, wrongPhase, twice := 0, 0, 0
	for _, num := range numbers {
		o, err := srv.Store.GetOrderByNumber(ctx, sh.ID, num)
		if err != nil {
			lost++
			continue
		}
		trade, _ := sim.Trade(num)
		if o.PhaseID != p["完了"] || o.LinkStatus != string(aupay.LinkCompleted) || trade.OrderStatus != aupay.StatusCompleted || trade.ShippingNumber != "512547514334" {
			wrongPhase++
			b.Logf("order %s: phase %d link %q %q, au %s %q", num, o.PhaseID, o.LinkStatus, o.LinkMessage, trade.OrderStatus, trade.ShippingNumber)
		}
		if counts.DuplicateWrites[num] > 0 || counts.Writes[num] != 2 {
			twice++
			if twice <= 5 {
				b.Logf("order %s: %d writes (%d duplicate), %d write requests", num, counts.Writes[num], counts.DuplicateWrites[num], counts.WriteRequests[num])
			}
		}
	}
	b.ReportMetric(float64(len(numbers)), "orders")
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(twice), "written_twice")
	b.ReportMetric(float64(wrongPhase), "wrong_phase")
	reportFaults(b, counts)
	b.ReportMetric(float64(counts.Requests)/took.Seconds()/quota, "requests_per_s/quota")
	b.ReportMetric(took.Seconds(), "run_s")
	if lost+twice+wrongPhase > 0 {
		b.Errorf("lost %d, written twice %d, wrong phase %d", lost, twice, wrongPhase)
	}
}
