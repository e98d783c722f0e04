// Package demo runs what `ichigen demo` shows besides ichigen itself: a Rakuten simulator in the
// same process, a demo shop connected to it with its rules started (import, confirmation,
// payment review, ship report), buyers placing orders every few seconds, and a packer shipping
// them.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// ShopName is the demo shop's name.
const ShopName = "楽天デモ店 (シミュレーター)"

// Demo is a running demo.
type Demo struct {
	Rakuten    *rakutensim.Server
	RakutenURL string
	server     *http.Server
}

// StartSimulators starts the marketplace simulators on loopback ports.
func StartSimulators() (*Demo, error) {
	sim := rakutensim.New(rakutensim.Config{QuotaPerSecond: 1, ReviewDelay: time.Minute, ReviewNGShare: 0.03, Seed: uint64(time.Now().UnixNano())})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo simulator: %w", err)
	}
	d := &Demo{Rakuten: sim, RakutenURL: "http://" + ln.Addr().String(), server: &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := d.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("demo simulator stopped", "error", err)
		}
	}()
	return d, nil
}

// Setup makes sure the demo shop exists, points it at this run's simulator, and starts its
// import rule.
func (d *Demo) Setup(ctx context.Context, st store.Store) (shop.Shop, error) {
	secret, key := d.Rakuten.Credentials()
	creds := shop.Credentials{"serviceSecret": secret, "licenseKey": key, "endpoint": d.RakutenURL}
	shops, err := st.ListShops(ctx)
	if err != nil {
		return shop.Shop{}, err
	}
	for _, sh := range shops {
		if sh.Name == ShopName {
			// The simulator listens on a new port each run.
			if err := st.SetShopCredentials(ctx, sh.ID, creds, time.Now().Add(90*24*time.Hour)); err != nil {
				return shop.Shop{}, err
			}
			return st.GetShop(ctx, sh.ID)
		}
	}
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Rakuten, Name: ShopName, Code: "338005", Credentials: creds,
		CredentialsExpireAt: time.Now().Add(90 * 24 * time.Hour)})
	if err != nil {
		return shop.Shop{}, err
	}
	p, err := phaseIDs(ctx, st, sh.ID)
	if err != nil {
		return shop.Shop{}, err
	}
	// New orders are confirmed, wait for Rakuten's review, are packed by the demo packer, and
	// their shipments reported.
	for _, r := range []workflow.Rule{
		{Kind: workflow.JobImport, Interval: 30 * time.Second},
		{Kind: workflow.JobConfirm, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["確認待ち"], ErrorPhaseID: p["エラー"]},
		{Kind: workflow.JobPaymentReview, TargetPhaseID: p["確認待ち"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"], Interval: time.Minute},
		{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]},
	} {
		r.ShopID, r.Enabled = sh.ID, true
		if _, err := st.SaveRule(ctx, r); err != nil {
			return shop.Shop{}, err
		}
	}
	return sh, nil
}

// Mover moves orders as an operator does: the move queues the rule of the destination phase.
type Mover interface {
	MoveOrders(ctx context.Context, st store.Store, ids []int64, phaseID int64, actor string) ([]int64, error)
}

// PackAfter is how long an order waits in 出荷待ち before the demo packer ships it.
const PackAfter = time.Minute

// Pack plays the shop's packer until ctx ends: every twenty seconds it gives the orders that
// waited in 出荷待ち a Yamato tracking number and moves them to 出荷済み, where the ship report
// takes them.
func (d *Demo) Pack(ctx context.Context, st store.Store, mover Mover, sh shop.Shop) {
	p, err := phaseIDs(ctx, st, sh.ID)
	if err != nil {
		return
	}
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: p["出荷待ち"], PageSize: 100})
		if err != nil {
			slog.Error("demo packer", "error", err)
			continue
		}
		var packed []int64
		for _, o := range page.Orders {
			if time.Since(o.UpdatedAt) < PackAfter || len(o.Packages) == 0 {
				continue
			}
			shipment := order.Shipment{PackageKey: o.Packages[0].Key, ShipDate: time.Now().In(jst).Format("2006-01-02"), Carrier: "1001", TrackingNumber: yamatoNumber(d.Rakuten.Sim.Gen.IntN)}
			if err := st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{shipment}, "demo:packer"); err != nil {
				continue
			}
			packed = append(packed, o.ID)
		}
		if len(packed) > 0 {
			if _, err := mover.MoveOrders(ctx, st, packed, p["出荷済み"], "demo:packer"); err != nil {
				slog.Error("demo packer", "error", err)
			}
		}
	}
}

// phaseIDs returns the shop's phases by name.
func phaseIDs(ctx context.Context, st store.Store, shopID int64) (map[string]int64, error) {
	phases, err := st.ListPhases(ctx, shopID)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(phases))
	for _, ph := range phases {
		ids[ph.Name] = ph.ID
	}
	return ids, nil
}

var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

// yamatoNumber makes a 12-digit number whose last digit is the first eleven modulo 7.
func yamatoNumber(intN func(int) int) string {
	var n int64
	digits := make([]byte, 0, 12)
	for i := 0; i < 11; i++ {
		d := intN(10)
		if i == 0 && d == 0 {
			d = 4
		}
		n = n*10 + int64(d)
		digits = append(digits, byte('0'+d))
	}
	return string(append(digits, byte('0'+n%7)))
}

// PlaceOrders has buyers order until ctx ends: a first batch, then one to three orders every
// twenty seconds.
func (d *Demo) PlaceOrders(ctx context.Context) {
	d.Rakuten.Generate(rakutensim.GenerateOptions{Count: 25, At: time.Now().Add(-30 * time.Minute), UnfixedPostageShare: 0.1})
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			d.Rakuten.Generate(rakutensim.GenerateOptions{Count: 1 + d.Rakuten.Sim.Gen.IntN(3), UnfixedPostageShare: 0.1})
		}
	}
}

// Close stops the simulators.
func (d *Demo) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return d.server.Shutdown(ctx)
}
