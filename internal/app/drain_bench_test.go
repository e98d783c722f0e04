package app

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// BenchmarkRakutenDrain drains 2,000 confirmations and then 2,000 shipment reports through the
// simulator at its quota of 1 request/s, and reports the achieved orders/s against the quota's
// limit (100 orders per call × 1 call/s) and, for the ship report, against the ceiling of its
// API shape (a send and a result read per 100 orders: 50 orders/s), the calls per 100 orders, the
// 429s received and the duplicate writes.
//
//	go test -run '^$' -bench RakutenDrain -benchtime 1x ./internal/app
func BenchmarkRakutenDrain(b *testing.B) {
	const n = 2000
	for range b.N {
		ctx := context.Background()
		bundle := setupRakuten(b, rakutensim.Config{QuotaPerSecond: 1, ReviewDelay: time.Minute, Seed: 5})
		sim, srv, p := bundle.sim, bundle.srv, bundle.phases
		zero := 0.0
		numbers := sim.Generate(rakutensim.GenerateOptions{Count: n, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
		importRule := bundle.rule(b, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
		runImport(b, srv, importRule)
		imported := map[string]bool{}
		for _, num := range numbers {
			m, _ := sim.Order(num)
			if rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementCommon {
				imported[num] = true
			}
		}
		before := sim.Sim.Counters.Snapshot()

		start := time.Now()
		confirm := bundle.rule(b, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["確認待ち"], ErrorPhaseID: p["エラー"]})
		if _, err := srv.Queue.Client().Insert(ctx, jobs.DispatchArgs{RuleID: confirm.ID}, nil); err != nil {
			b.Fatal(err)
		}
		waitPhaseEmptyWithin(b, srv, bundle.shop.ID, p["新規受付"], 10*time.Minute)
		confirmSecs := time.Since(start).Seconds()
		afterConfirm := sim.Sim.Counters.Snapshot()

		// Review passes; the packer fills shipments; ship report drains them.
		sim.Sim.Clock.Advance(3 * 24 * time.Hour)
		ids := orderIDsIn(b, srv, bundle.shop.ID, p["確認待ち"])
		for i, id := range ids {
			o, err := srv.Store.GetOrder(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			tn := []string{"444413758703", "512547514334", "405548424886"}[i%3]
			if err := srv.Store.UpdateShipments(ctx, id, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: "2026-11-24", Carrier: []string{"1001", "1002", "1003"}[i%3], TrackingNumber: tn}}, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		bundle.rule(b, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷待ち"], SuccessPhaseID: p["出荷済み"], ErrorPhaseID: p["エラー"]})
		start = time.Now()
		if _, err := srv.Queue.MoveOrders(ctx, srv.Store, ids, p["出荷待ち"], "bench"); err != nil {
			b.Fatal(err)
		}
		waitPhaseEmptyWithin(b, srv, bundle.shop.ID, p["出荷待ち"], 10*time.Minute)
		shipSecs := time.Since(start).Seconds()
		after := sim.Sim.Counters.Snapshot()

		dups := 0
		for _, d := range after.DuplicateWrites {
			dups += d
		}
		count := float64(len(imported))
		b.ReportMetric(count, "orders")
		b.ReportMetric(count/confirmSecs/100, "confirm_ratio_to_quota")
		b.ReportMetric(steadyRatio(b, srv, bundle.shop.ID, string(workflow.JobConfirm), 1), "confirm_steady_calls_per_s/quota")
		b.ReportMetric(count/shipSecs/100, "ship_ratio_to_quota")
		// RMS's shape: a send of up to 100 orders and one result read per send (the result of
		// getResultUpdateOrderShippingAsync takes one requestId), so 2 calls per 100 orders.
		shipCalls := float64(after.Requests - afterConfirm.Requests)
		b.ReportMetric(shipCalls/(count/100), "ship_calls_per_100_orders")
		// Every call the credential made meanwhile (the import's too) ÷ what the quota allowed.
		b.ReportMetric(shipCalls/shipSecs, "ship_phase_all_calls_per_s/quota")
		b.ReportMetric(count/shipSecs/50, "ship_ratio_to_shape_ceiling")
		b.ReportMetric(steadyRatio(b, srv, bundle.shop.ID, string(workflow.JobShipReport), 1), "ship_steady_calls_per_s/quota")
		for op, n := range after.Operations {
			if d := n - afterConfirm.Operations[op]; d > 0 {
				b.Logf("ship report: %s × %d", op, d)
			}
		}
		b.ReportMetric(float64(afterConfirm.Throttled-before.Throttled), "429s_confirm")
		b.ReportMetric(float64(after.Throttled-afterConfirm.Throttled), "429s_ship")
		b.ReportMetric(float64(dups), "duplicate_writes")
	}
}

// steadyRatio is the pace of a job kind's calls between its first and its last, ÷ the quota:
// the pacing alone, without the time the drain took to start and to finish.
func steadyRatio(b *testing.B, srv *Server, shopID int64, kind string, quota float64) float64 {
	calls, err := srv.Store.ListCalls(context.Background(), store.CallQuery{ShopID: shopID, JobKind: kind, PageSize: store.MaxPageSize})
	if err != nil {
		b.Fatal(err)
	}
	if len(calls) < 2 {
		return 0
	}
	first, last := calls[0].At, calls[0].At
	for _, c := range calls {
		if c.At.Before(first) {
			first = c.At
		}
		if c.At.After(last) {
			last = c.At
		}
	}
	return float64(len(calls)-1) / last.Sub(first).Seconds() / quota
}

func orderIDsIn(b *testing.B, srv *Server, shopID, phaseID int64) []int64 {
	var ids []int64
	for page := 1; ; page++ {
		found, err := srv.Store.SearchOrders(context.Background(), store.OrderQuery{ShopID: shopID, PhaseID: phaseID, Page: page, PageSize: store.MaxPageSize})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range found.Orders {
			ids = append(ids, o.ID)
		}
		if len(found.Orders) < store.MaxPageSize {
			return ids
		}
	}
}
