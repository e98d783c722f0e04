package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The packing bench's round trip: label data out in B2クラウド's layout, B2's issued data back in
// with the slip numbers, the orders moved to the ship-report phase in the same step, and the
// ship-report rule sends every number to RMS once.
func TestPackingBenchRoundTripReachesRakuten(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 19, ReviewDelay: time.Minute})
	sim, srv, sh, byName := b.sim, b.srv, b.shop, b.phases
	secret, key := sim.Credentials()
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	b.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: byName["出荷待ち"], SuccessPhaseID: byName["出荷済み"], ErrorPhaseID: byName["エラー"]})
	zero := 0.0
	numbers := sim.Generate(rakutensim.GenerateOptions{Count: 12, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
	client := &rakuten.Client{BaseURL: b.simURL, ServiceSecret: secret, LicenseKey: key}
	if _, err := client.ConfirmOrders(ctx, numbers); err != nil {
		t.Fatal(err)
	}
	sim.Sim.Clock.Advance(3 * 24 * time.Hour)
	runImport(t, srv, importRule)
	if err := srv.Store.SetShopSender(ctx, sh.ID, shop.Sender{Name: "一元茶舗", Phone: "03-1111-2222", Zip: "100-0001", Address: "東京都千代田区千代田1-1",
		YamatoCustomerCode: "0311112222"}, "tester"); err != nil {
		t.Fatal(err)
	}
	page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil || page.Total != 12 {
		t.Fatalf("imported %d: %v", page.Total, err)
	}
	var ids []int64
	for _, o := range page.Orders {
		ids = append(ids, o.ID)
	}
	labels, err := packing.WriteLabels(ctx, srv.Store, ids, packing.LabelOptions{Layout: packing.Yamato, Now: sim.Sim.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	issuedFile := b2Issued(t, labels)
	rep, err := packing.CheckTracking(ctx, srv.Store, issuedFile.reader(), packing.TrackingOptions{Now: sim.Sim.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts[packing.Matched] != issuedFile.rows || rep.Carrier != "1001" {
		t.Fatalf("report: %+v", rep.Counts)
	}
	applied, err := packing.ApplyTracking(ctx, srv.Store, srv.Queue, rep, byName["出荷待ち"], "packer")
	if err != nil || len(applied.Moved) != 12 {
		t.Fatalf("applied %+v: %v", applied, err)
	}
	waitPhaseEmpty(t, srv, sh.ID, byName["出荷待ち"])
	counts := sim.Sim.Counters.Snapshot()
	for _, n := range numbers {
		m, _ := sim.Order(n)
		o, _ := srv.Store.GetOrderByNumber(ctx, sh.ID, n)
		if o.PhaseID != byName["出荷済み"] || o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Fatalf("order %s: phase %d link %q %q", n, o.PhaseID, o.LinkStatus, o.LinkMessage)
		}
		sent := 0
		for _, p := range m.PackageModelList {
			for _, s := range p.ShippingModelList {
				if s.ShippingNumber == issuedFile.numbers[o.ID] {
					sent++
				}
			}
		}
		if sent != 1 || counts.DuplicateWrites[n] != 0 {
			t.Fatalf("order %s: number %s at RMS %d times (%d duplicate writes)", n, issuedFile.numbers[o.ID], sent, counts.DuplicateWrites[n])
		}
	}
}

type issuedFile struct {
	data    []byte
	rows    int
	numbers map[int64]string // order id → number
}

func (f issuedFile) reader() io.Reader { return bytes.NewReader(f.data) }

// b2Issued is B2クラウド's 発行済データ for a label file: the same 入出力用 layout with 伝票番号
// (column 4) filled by B2, in CP932.
func b2Issued(t *testing.T, labels *packing.LabelFile) issuedFile {
	t.Helper()
	var raw bytes.Buffer
	if _, err := labels.WriteTo(&raw); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(japanese.ShiftJIS.NewDecoder().Reader(&raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := issuedFile{numbers: map[int64]string{}}
	var buf bytes.Buffer
	w := csv.NewWriter(japanese.ShiftJIS.NewEncoder().Writer(&buf))
	_ = w.Write(rows[0])
	for i, r := range rows[1:] {
		base := int64(40000000000 + i*7919)
		r[3] = fmt.Sprintf("%011d%d", base, base%7)
		id, _, ok := packing.ParseOrderKey(r[0])
		if !ok {
			t.Fatalf("key %q", r[0])
		}
		out.numbers[id] = order.NormaliseTrackingNumber(r[3])
		_ = w.Write(r)
		out.rows++
	}
	w.Flush()
	out.data = buf.Bytes()
	return out
}
