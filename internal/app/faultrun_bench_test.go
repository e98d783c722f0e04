package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// BenchmarkRakutenShipLatency measures, with an empty queue, the seconds from an order entering
// the ship-report phase to the simulator holding its tracking number, one order at a time. The
// simulator applies async shipping updates 3 s after accepting them, as RMS applies them later
// too; "immediate" runs with that delay at zero, to show ichigen's own share.
//
//	go test -run '^$' -bench RakutenShipLatency -benchtime 1x ./internal/app
func BenchmarkRakutenShipLatency(b *testing.B) {
	for _, c := range []struct {
		name  string
		delay time.Duration
	}{{"rms_delay_3s", 3 * time.Second}, {"immediate", -1}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				p50, p99 := shipLatency(b, c.delay, 30)
				b.ReportMetric(p50.Seconds(), "p50_s")
				b.ReportMetric(p99.Seconds(), "p99_s")
			}
		})
	}
}

func shipLatency(b *testing.B, asyncDelay time.Duration, samples int) (p50, p99 time.Duration) {
	ctx := context.Background()
	bundle := setupRakuten(b, rakutensim.Config{QuotaPerSecond: 1, ReviewDelay: time.Minute, AsyncDelay: asyncDelay, Seed: 7})
	sim, srv, p := bundle.sim, bundle.srv, bundle.phases
	zero := 0.0
	numbers := sim.Generate(rakutensim.GenerateOptions{Count: samples, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
	secret, key := sim.Credentials()
	if _, err := (&rakuten.Client{BaseURL: bundle.simURL, ServiceSecret: secret, LicenseKey: key}).ConfirmOrders(ctx, numbers); err != nil {
		b.Fatal(err)
	}
	sim.Sim.Clock.Advance(3 * 24 * time.Hour)
	runImport(b, srv, bundle.rule(b, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour}))
	bundle.rule(b, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷待ち"], SuccessPhaseID: p["出荷済み"], ErrorPhaseID: p["エラー"]})
	var took []time.Duration
	for _, n := range numbers {
		o, err := srv.Store.GetOrderByNumber(ctx, bundle.shop.ID, n)
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Store.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}}, "bench"); err != nil {
			b.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond)
		start := time.Now()
		if _, err := srv.Queue.MoveOrders(ctx, srv.Store, []int64{o.ID}, p["出荷待ち"], "bench"); err != nil {
			b.Fatal(err)
		}
		for {
			if m, _ := sim.Order(n); len(m.PackageModelList[0].ShippingModelList) > 0 {
				break
			}
			if time.Since(start) > time.Minute {
				b.Fatalf("order %s: no tracking number at RMS after a minute", n)
			}
			time.Sleep(10 * time.Millisecond)
		}
		took = append(took, time.Since(start))
		// An empty queue for the next one: this order settled (its result read), and its last
		// call's slot passed.
		waitPhaseEmpty(b, srv, bundle.shop.ID, p["出荷待ち"])
	}
	slices.Sort(took)
	return took[len(took)/2], took[(len(took)*99+99)/100-1]
}

// BenchmarkRakutenFaultRun runs orders from import through confirmation, payment review and
// ship report with two ichigen instances on one PostgreSQL against a simulator that loses 10% of
// write answers after applying them, answers 5% of requests with 429, goes into maintenance
// once, and has its license key expire and renewed. It reports orders lost, shipments reported
// twice and orders in a wrong phase at the end (each must be 0), and the requests over the
// quota itself (429s not injected).
//
//	go test -run '^$' -bench RakutenFaultRun -benchtime 1x ./internal/app
func BenchmarkRakutenFaultRun(b *testing.B) {
	for range b.N {
		faultRun(b, 40)
	}
}

func faultRun(b *testing.B, waves int) {
	ctx := context.Background()
	bundle := setupRakutenOn(b, rakutensim.Config{QuotaPerSecond: 1, ReviewDelay: 20 * time.Second, Seed: 13}, storetest.PostgresSchemaURL(b), 2)
	sim, srv, p, sh := bundle.sim, bundle.srv, bundle.phases, bundle.shop
	faults := simkit.Faults{TimeoutAfterWrite: 0.10, TooManyRequests: 0.05}
	sim.Sim.Faults.Set(faults)
	bundle.rule(b, workflow.Rule{Kind: workflow.JobImport, Interval: 30 * time.Second})
	bundle.rule(b, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["確認待ち"], ErrorPhaseID: p["エラー"]})
	bundle.rule(b, workflow.Rule{Kind: workflow.JobPaymentReview, TargetPhaseID: p["確認待ち"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"], Interval: 30 * time.Second})
	bundle.rule(b, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]})

	// Buyers order in waves of 10 every 5 s while the faults come: a maintenance window at 1
	// minute, the key expiring at 2½ minutes and renewed 30 s later. A simulated day passes every
	// minute, so bank transfers get paid.
	zero := 0.0
	var numbers []string
	start := time.Now()
	instances := append([]*Server{srv}, bundle.others...)
	maintained, expired, renewed := false, false, false
	lastDay, lastWave, lastReport := start, time.Time{}, start
	packed := 0
	for {
		elapsed := time.Since(start)
		if len(numbers) < waves*10 && time.Since(lastWave) >= 5*time.Second {
			numbers = append(numbers, sim.Generate(rakutensim.GenerateOptions{Count: 10, ReviewNGShare: &zero})...)
			lastWave = time.Now()
		}
		if time.Since(lastDay) >= time.Minute {
			sim.Sim.Clock.Advance(24 * time.Hour)
			lastDay = time.Now()
		}
		switch {
		case !maintained && elapsed > time.Minute:
			f := faults
			f.MaintenanceUntil = sim.Sim.Clock.Now().Add(45 * time.Second)
			sim.Sim.Faults.Set(f)
			maintained = true
		case !expired && elapsed > 150*time.Second:
			sim.ExpireKey()
			expired = true
		case expired && !renewed && elapsed > 180*time.Second:
			secret, _ := sim.Credentials()
			sim.RenewKey("SL_renewed_in_fault_run")
			if err := srv.Store.SetShopCredentials(ctx, sh.ID, shop.Credentials{"serviceSecret": secret, "licenseKey": "SL_renewed_in_fault_run", "endpoint": bundle.simURL}, time.Time{}); err != nil {
				b.Fatal(err)
			}
			renewed = true
		}
		done := packTurn(b, instances, &packed, sh.ID, p)
		if time.Since(lastReport) > 30*time.Second {
			lastReport = time.Now()
			fmt.Fprintf(os.Stderr, "fault run %v: %d ordered; %s\n", elapsed.Round(time.Second), len(numbers), phaseCounts(b, srv.Store, sh.ID, p))
		}
		if done == int64(waves*10) && renewed {
			break
		}
		if elapsed > 15*time.Minute {
			b.Logf("not finished after 15 minutes: %d of %d orders done", done, len(numbers))
			break
		}
		time.Sleep(time.Second)
	}
	n := len(numbers)
	took := time.Since(start)

	counts := sim.Sim.Counters.Snapshot()
	lost, wrongPhase, twice := 0, 0, 0
	for _, num := range numbers {
		o, err := srv.Store.GetOrderByNumber(ctx, sh.ID, num)
		if err != nil {
			lost++
			continue
		}
		m, _ := sim.Order(num)
		if o.PhaseID != p["完了"] || o.LinkStatus != string(rakuten.LinkShipReported) || m.OrderProgress != rakuten.ProgressShipped {
			wrongPhase++
			b.Logf("order %s: phase %d link %q %q, RMS %d", num, o.PhaseID, o.LinkStatus, o.LinkMessage, m.OrderProgress)
		}
		if parcels := len(m.PackageModelList[0].ShippingModelList); parcels > 1 || counts.DuplicateWrites[num] > 0 {
			twice++
			if twice <= 5 { // what the next one to look at needs
				calls, _ := srv.Store.ListCalls(ctx, store.CallQuery{OrderID: o.ID})
				var ops []string
				for _, c := range calls {
					ops = append(ops, c.Operation+":"+string(c.Outcome))
				}
				b.Logf("order %s reported twice: %d parcels, %d writes (%d duplicate), %d write requests, link %q ref %q; its calls: %v",
					num, parcels, counts.Writes[num], counts.DuplicateWrites[num], counts.WriteRequests[num], o.LinkStatus, o.LinkRef, ops)
			}
		}
	}
	b.ReportMetric(float64(n), "orders")
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(twice), "reported_twice")
	b.ReportMetric(float64(wrongPhase), "wrong_phase")
	reportFaults(b, counts)
	b.ReportMetric(float64(counts.Requests)/took.Seconds(), "requests_per_s")
	b.ReportMetric(took.Seconds(), "run_s")
	if lost+twice+wrongPhase > 0 {
		b.Errorf("lost %d, reported twice %d, wrong phase %d", lost, twice, wrongPhase)
	}
}

// packTurn plays a fault run's packer on the instance whose turn it is: the orders waiting in
// 出荷待ち get a Sagawa shipment and move to 出荷済み, which queues the rule there. It returns
// how many orders are in 完了.
func packTurn(b *testing.B, instances []*Server, turn *int, shopID int64, p map[string]int64) int64 {
	ctx := context.Background()
	st := instances[0].Store
	page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID, PhaseID: p["出荷待ち"], PageSize: store.MaxPageSize})
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for _, o := range page.Orders {
		full, err := st.GetOrder(ctx, o.ID)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.UpdateShipments(ctx, o.ID, full.Version, []order.Shipment{{PackageKey: full.Packages[0].Key, ShipDate: "2026-11-24", Carrier: "1002", TrackingNumber: "512547514334"}}, "packer"); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	if len(ids) > 0 {
		if _, err := instances[*turn%len(instances)].Queue.MoveOrders(ctx, st, ids, p["出荷済み"], "packer"); err != nil {
			b.Fatal(err)
		}
		*turn++
	}
	done, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID, PhaseID: p["完了"], PageSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	return done.Total
}

// reportFaults reports the faults a fault run met: answers lost after a write, 429s injected and
// over the quota (which must be 0), maintenance answers and refused keys.
func reportFaults(b *testing.B, counts simkit.Counts) {
	b.ReportMetric(float64(counts.HungWrites), "answers_lost")
	b.ReportMetric(float64(counts.Throttled-counts.OverQuota), "429s_injected")
	b.ReportMetric(float64(counts.OverQuota), "429s_over_quota")
	b.ReportMetric(float64(counts.Maintained), "503s")
	b.ReportMetric(float64(counts.AuthFailed), "401s")
	b.ReportMetric(counts.MinSpacingRatio, "min_spacing/step")
	b.ReportMetric(float64(counts.Close), "closer_than_step")
}

// phaseCounts says how many of a shop's orders are in each phase, for progress lines.
func phaseCounts(b *testing.B, st store.Store, shopID int64, phases map[string]int64) string {
	var parts []string
	for name, id := range phases {
		page, err := st.SearchOrders(context.Background(), store.OrderQuery{ShopID: shopID, PhaseID: id, PageSize: 1})
		if err != nil {
			b.Fatal(err)
		}
		if page.Total > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", name, page.Total))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
