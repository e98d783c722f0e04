package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// waitPhaseEmpty waits until no order of the shop is left in a phase. Orders are sent within
// seconds of entering a phase: the deadline stays well below the scheduler's one-minute sweep,
// so a move whose dispatch got lost fails here.
func waitPhaseEmpty(t testing.TB, srv *Server, shopID, phaseID int64) {
	t.Helper()
	waitPhaseEmptyWithin(t, srv, shopID, phaseID, 40*time.Second)
}

// waitPhaseEmptyWithin is waitPhaseEmpty with a deadline of its own, for large drains. The phase
// is looked at each time one of srv's jobs ends.
func waitPhaseEmptyWithin(t testing.TB, srv *Server, shopID, phaseID int64, within time.Duration) {
	t.Helper()
	var page store.OrderPage
	empty := func() bool {
		var err error
		if page, err = srv.Store.SearchOrders(context.Background(), store.OrderQuery{ShopID: shopID, PhaseID: phaseID}); err != nil {
			t.Fatal(err)
		}
		return page.Total == 0
	}
	if !storetest.Await(t, within, empty, srv.Queue) {
		links := map[string]int{}
		for _, o := range page.Orders {
			links[o.LinkStatus+" "+o.LinkRef+" "+o.LinkMessage]++
		}
		t.Fatalf("%d orders still in phase %d, by link: %v", page.Total, phaseID, links)
	}
}

// Shipments moved into the ship-report phase reach RMS once each — also when answers are lost
// after RMS applied them — and a bad tracking number is refused before sending, then goes
// through once fixed.
func TestRakutenShipReportNeverTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 11, ReviewDelay: time.Minute})
	sim, srv, sh, byName, inbox := b.sim, b.srv, b.shop, b.phases, b.inbox
	secret, key := sim.Credentials()
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	b.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: byName["出荷待ち"], SuccessPhaseID: byName["出荷済み"], ErrorPhaseID: byName["エラー"]})
	// Orders confirmed and reviewed at RMS, then imported at 発送待ち.
	zero := 0.0
	numbers := sim.Generate(rakutensim.GenerateOptions{Count: 30, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
	client := &rakuten.Client{BaseURL: b.simURL, ServiceSecret: secret, LicenseKey: key}
	if _, err := client.ConfirmOrders(ctx, numbers); err != nil {
		t.Fatal(err)
	}
	sim.Sim.Clock.Advance(3 * 24 * time.Hour)
	runImport(t, srv, importRule)
	page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil || page.Total != 30 {
		t.Fatalf("imported %d: %v", page.Total, err)
	}
	// The packer enters shipments; one tracking number has a typo.
	var ids []int64
	var typo order.Order
	for i, o := range page.Orders {
		number := []string{"444413758703", "512547514334", "405548424886"}[i%3]
		carrier := []string{"1001", "1002", "1003"}[i%3]
		if i == 0 {
			number, typo = "444413758704", o
		}
		if err := srv.Store.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: "2026-11-24", Carrier: carrier, TrackingNumber: number}}, "packer"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 0.5})
	if _, err := srv.Queue.MoveOrders(ctx, srv.Store, ids, byName["出荷待ち"], "packer"); err != nil {
		t.Fatal(err)
	}
	waitPhaseEmpty(t, srv, sh.ID, byName["出荷待ち"])

	got, _ := srv.Store.GetOrder(ctx, typo.ID)
	if got.PhaseID != byName["エラー"] || !strings.Contains(got.LinkMessage, "チェックデジット") {
		t.Fatalf("the typo: phase %d, %q", got.PhaseID, got.LinkMessage)
	}
	if sim.Sim.Counters.Snapshot().Writes[typo.Number] != 1 { // the confirmation only
		t.Fatal("a bad tracking number was sent")
	}
	// Fixed and moved back, it goes through.
	if err := srv.Store.UpdateShipments(ctx, got.ID, got.Version, []order.Shipment{{PackageKey: got.Packages[0].Key, ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}}, "operator"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Queue.MoveOrders(ctx, srv.Store, []int64{got.ID}, byName["出荷待ち"], "operator"); err != nil {
		t.Fatal(err)
	}
	waitPhaseEmpty(t, srv, sh.ID, byName["出荷待ち"])

	counts := sim.Sim.Counters.Snapshot()
	if counts.HungWrites == 0 {
		t.Fatal("no answer was lost: the fault run proves nothing")
	}
	for _, n := range numbers {
		m, _ := sim.Order(n)
		o, _ := srv.Store.GetOrderByNumber(ctx, sh.ID, n)
		if m.OrderProgress != rakuten.ProgressShipped || len(m.PackageModelList[0].ShippingModelList) != 1 || counts.DuplicateWrites[n] != 0 {
			t.Fatalf("order %s: progress %d, %d shipping details, %d duplicate writes", n, m.OrderProgress, len(m.PackageModelList[0].ShippingModelList), counts.DuplicateWrites[n])
		}
		if o.PhaseID != byName["出荷済み"] || o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Fatalf("order %s: phase %d link %q %q", n, o.PhaseID, o.LinkStatus, o.LinkMessage)
		}
		// The list's モールステータス follows RMS at once: no later import reads the order again.
		if o.MarketplaceStatus != order.StatusShipped || o.MarketplaceStatusRaw != "500" {
			t.Fatalf("order %s reads marketplace status %s (%q) after its report", n, o.MarketplaceStatus, o.MarketplaceStatusRaw)
		}
	}
	// The first run had one error and sent one e-mail; the clean second run sent none.
	storetest.AwaitIdle(t, 20*time.Second, srv.Queue) // a wrongly queued second e-mail would have arrived
	if mails := inbox.Messages(); len(mails) != 1 || mails[0].Subject != "(ichigen) 楽天自動出荷情報反映結果のお知らせ(エラー情報)" ||
		!strings.Contains(mails[0].Body, typo.Number) {
		t.Fatalf("e-mails: %+v", mails)
	}
	t.Logf("30 reported once each; %d answers lost on the way", counts.HungWrites)
}

// A report whose outcome ichigen never recorded — the process died, or the database refused the
// commit, right after RMS took the request — is not sent again: the orders were marked as sent
// before the request left, so the next run waits for RMS to apply it and reads them back.
func TestRakutenShipReportSurvivesALostCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 12, ReviewDelay: time.Minute})
	sim, srv, sh, byName := b.sim, b.srv, b.shop, b.phases
	secret, key := sim.Credentials()
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	zero := 0.0
	numbers := sim.Generate(rakutensim.GenerateOptions{Count: 10, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
	client := &rakuten.Client{BaseURL: b.simURL, ServiceSecret: secret, LicenseKey: key}
	if _, err := client.ConfirmOrders(ctx, numbers); err != nil {
		t.Fatal(err)
	}
	sim.Sim.Clock.Advance(3 * 24 * time.Hour)
	runImport(t, srv, importRule)
	page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil || page.Total != 10 {
		t.Fatalf("imported %d: %v", page.Total, err)
	}
	var orders []order.Order
	var ids []int64
	for _, o := range page.Orders {
		if err := srv.Store.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}}, "packer"); err != nil {
			t.Fatal(err)
		}
		full, err := srv.Store.GetOrder(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		orders, ids = append(orders, full), append(ids, o.ID)
	}
	// The report goes out and RMS takes it; then the run dies before recording the outcome.
	proc, err := srv.channels.processor(sh)
	if err != nil {
		t.Fatal(err)
	}
	results, err := proc.Process(ctx, workflow.JobShipReport, orders, jobs.NewJournal(srv.Store))
	if err != nil || len(results) != 10 || !results[0].Pending {
		t.Fatalf("first report: %v, %+v", err, results)
	}
	// The rule starts and the orders enter its phase: a normal run picks them up.
	b.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: byName["出荷待ち"], SuccessPhaseID: byName["出荷済み"], ErrorPhaseID: byName["エラー"]})
	if _, err := srv.Queue.MoveOrders(ctx, srv.Store, ids, byName["出荷待ち"], "packer"); err != nil {
		t.Fatal(err)
	}
	waitPhaseEmpty(t, srv, sh.ID, byName["出荷待ち"])
	counts := sim.Sim.Counters.Snapshot()
	for _, n := range numbers {
		m, _ := sim.Order(n)
		o, _ := srv.Store.GetOrderByNumber(ctx, sh.ID, n)
		if parcels := len(m.PackageModelList[0].ShippingModelList); parcels != 1 || counts.DuplicateWrites[n] != 0 || counts.Writes[n] != 2 {
			t.Fatalf("order %s: %d parcels at RMS, %d writes (%d duplicate); want 1 parcel from 2 writes (confirm, report)", n, parcels, counts.Writes[n], counts.DuplicateWrites[n])
		}
		if o.PhaseID != byName["出荷済み"] || o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Fatalf("order %s: phase %d link %q %q", n, o.PhaseID, o.LinkStatus, o.LinkMessage)
		}
	}
}
