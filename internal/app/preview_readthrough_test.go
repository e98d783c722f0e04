package app

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestRakutenShipReportPreviewShowsTheWriteAfterTheRead: a Rakuten ship report reads RMS back
// before it sends what RMS lacks, so a preview that sends nothing shows only the read. Asked to
// read (WithReadThrough), the preview sends the read — one getOrder, recorded in the call
// history — and shows the updateOrderShippingAsync it would send after it, with the tracking
// numbers, while RMS sees no write at all.
func TestRakutenShipReportPreviewShowsTheWriteAfterTheRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 13})
	sim, srv, sh, p := b.sim, b.srv, b.shop, b.phases
	secret, key := sim.Credentials()
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	zero := 0.0
	numbers := sim.Generate(rakutensim.GenerateOptions{Count: 3, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
	if _, err := (&rakuten.Client{BaseURL: b.simURL, ServiceSecret: secret, LicenseKey: key}).ConfirmOrders(ctx, numbers); err != nil {
		t.Fatal(err)
	}
	sim.Sim.Clock.Advance(3 * 24 * time.Hour)
	runImport(t, srv, importRule)
	page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil || page.Total != 3 {
		t.Fatalf("imported %d: %v", page.Total, err)
	}
	var ids []int64
	for _, o := range page.Orders {
		if err := srv.Store.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: o.Packages[0].Key, ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}}, "packer"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	// Tried before and failed: RMS may hold a parcel of ichigen's, so the client reads back first.
	if err := srv.Store.SetLinkStatus(ctx, ids, store.Link{Status: string(rakuten.LinkShipReportError), Message: "前回エラー"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.MoveOrders(ctx, ids, p["出荷待ち"], "packer"); err != nil {
		t.Fatal(err)
	}
	rule, err := srv.Store.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobShipReport, TargetPhaseID: p["出荷待ち"], SuccessPhaseID: p["出荷済み"], ErrorPhaseID: p["エラー"]})
	if err != nil {
		t.Fatal(err)
	}
	shop, err := srv.Store.GetShop(ctx, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	client, err := srv.channels.client(shop)
	if err != nil {
		t.Fatal(err)
	}
	run := func(ctx context.Context) jobs.Preview {
		t.Helper()
		got, err := jobs.PreviewRule(ctx, srv.Store, client, srv.channels.eligibility(shop, rule.Kind), shop, rule, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	before := sim.Sim.Counters.Snapshot().Requests
	writesBefore := sim.Sim.Counters.Snapshot().WriteRequests // the confirmations above
	held := run(ctx)
	if sim.Sim.Counters.Snapshot().Requests != before || len(held.Calls) != 1 || held.Calls[0].Write || !held.Reads() {
		t.Fatalf("without reading: %d requests, calls %+v; want the getOrder held, nothing sent", sim.Sim.Counters.Snapshot().Requests-before, held.Calls)
	}

	got := run(jobs.WithReadThrough(ctx))
	counts := sim.Sim.Counters.Snapshot()
	if !maps.Equal(counts.WriteRequests, writesBefore) {
		t.Fatalf("the preview wrote to RMS: %v, before %v", counts.WriteRequests, writesBefore)
	}
	if counts.Requests != before+1 {
		t.Fatalf("the preview made %d requests, want the one read", counts.Requests-before)
	}
	if !got.ReadThrough || len(got.Calls) != 2 || got.Calls[0].Write || !got.Calls[0].Sent || !got.Calls[1].Write || got.Calls[1].Sent ||
		got.Calls[1].Op != "updateOrderShippingAsync" || len(got.Calls[1].OrderIDs) != 3 || !strings.Contains(got.Calls[1].Request, "444413758703") {
		t.Fatalf("calls %+v; want the getOrder sent, then the updateOrderShippingAsync of 3 orders held", got.Calls)
	}
	for _, row := range got.Rows {
		if row.Outcome != jobs.OutcomeSend {
			t.Fatalf("order %s: %s %q, want sent", row.Order.Number, row.Outcome, row.Message)
		}
	}
	calls, err := srv.Store.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, c := range calls {
		if c.Operation == "getOrder" && c.JobKind == string(workflow.JobShipReport) {
			reads++
		}
	}
	if reads != 1 {
		t.Fatalf("%d getOrder of the ship report in the history, want the preview's one read", reads)
	}
}
