package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestSeedBuildsARealisticStore: every phase holds orders, shipped orders carry valid tracking
// numbers, and the common family names are common.
func TestSeedBuildsARealisticStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	const n = 6_000
	var progress []int
	if err := Seed(ctx, st, SeedOptions{Orders: n, Progress: func(done int) { progress = append(progress, done) }}); err != nil {
		t.Fatal(err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != n {
		t.Fatalf("progress %v, want it to end at %d", progress, n)
	}
	main, err := shopByCode(ctx, st, MainShopCode)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := st.CountOrdersByPhase(ctx, store.OrderQuery{ShopID: main.ID})
	if err != nil {
		t.Fatal(err)
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range phases {
		if counts.Total(p.ID) == 0 {
			t.Errorf("phase %s has no orders", p.Name)
		}
	}
	reported := string(rakuten.LinkShipReported)
	page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: main.ID, LinkStatus: &reported, PageSize: 20})
	if err != nil || len(page.Orders) == 0 {
		t.Fatalf("no reported orders: %v", err)
	}
	o, err := st.GetOrder(ctx, page.Orders[0].ID)
	if err != nil || len(o.Shipments) != 1 {
		t.Fatalf("a reported order has shipments %+v: %v", o.Shipments, err)
	}
	if msg := channel.ValidateTracking(o.Shipments[0].Carrier, o.Shipments[0].TrackingNumber); msg != "" {
		t.Fatal(msg)
	}
	sato, err := st.SearchOrders(ctx, store.OrderQuery{Keyword: "佐藤"})
	if err != nil {
		t.Fatal(err)
	}
	if share := float64(sato.Total) / n; share < 0.008 || share > 0.025 { // 1.5% of the population
		t.Errorf("佐藤 is %.3f of the buyers, want about 0.015", share)
	}
}

// TestFiguresPrintEveryMeasurementAndLeaveTheStoreAsSeeded runs `ichigen bench` on both
// engines: its writes are rolled back.
func TestFiguresPrintEveryMeasurementAndLeaveTheStoreAsSeeded(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			if err := Seed(ctx, st, SeedOptions{Orders: 500}); err != nil {
				t.Fatal(err)
			}
			figures, err := Run(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			if figures.Orders != 500 {
				t.Errorf("%d orders after the run, want the 500 seeded", figures.Orders)
			}
			var out bytes.Buffer
			if err := figures.Print(&out); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"search: 佐藤", "move:", "import ÷ raw multi-row INSERT", "≥ 0.5×"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the table lacks %q:\n%s", want, out.String())
				}
			}
			var orders int64
			if err := st.DB().QueryRowContext(ctx, "SELECT count(*) FROM orders").Scan(&orders); err != nil || orders != 500 {
				t.Fatalf("%d orders after the run (%v), want the 500 seeded", orders, err)
			}
		})
	}
}
