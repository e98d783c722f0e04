// Package demo runs what `ichigen demo` shows besides ichigen itself: a Rakuten and an au PAY
// Market simulator in the same process, a demo shop connected to each with its rules started
// (Rakuten: import, confirmation, payment review, ship report; au PAY: import, status fetch, ship
// report, completion), buyers placing orders every few seconds, and a packer shipping them.
package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The demo shops' names.
const (
	ShopName      = "楽天デモ店 (シミュレーター)"
	AuPayShopName = "au PAY デモ店 (シミュレーター)"
)

// PhaseShipReflected is the phase the au PAY demo shop adds between its ship report and its
// completion (出荷情報反映済み orders wait there for 自動受注完了ステータス反映).
const PhaseShipReflected = "出荷反映済み"

// Demo is a running demo.
type Demo struct {
	Rakuten    *rakutensim.Server
	RakutenURL string
	AuPay      *aupaysim.Server
	AuPayURL   string
	// PackAfter is how long an order waits in 出荷待ち before the packer ships it, and PackEvery
	// how often the packer looks (PackAfter and DefaultPackEvery unless set).
	PackAfter, PackEvery time.Duration
	servers              []*http.Server
}

// DefaultPackEvery is how often the demo packer looks for orders to ship.
const DefaultPackEvery = 20 * time.Second

// StartSimulators starts the marketplace simulators on loopback ports.
func StartSimulators() (*Demo, error) {
	seed := uint64(time.Now().UnixNano())
	d := &Demo{
		Rakuten:   rakutensim.New(rakutensim.Config{QuotaPerSecond: 1, ReviewDelay: time.Minute, ReviewNGShare: 0.03, Seed: seed}),
		AuPay:     aupaysim.New(aupaysim.Config{QuotaPerSecond: 1, PaymentDelay: 2 * time.Minute, Seed: seed + 1}),
		PackAfter: PackAfter, PackEvery: DefaultPackEvery,
	}
	var err error
	if d.RakutenURL, err = d.serve(d.Rakuten.Handler()); err != nil {
		return nil, err
	}
	if d.AuPayURL, err = d.serve(d.AuPay.Handler()); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return d, nil
}

func (d *Demo) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("demo simulator: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	d.servers = append(d.servers, srv)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("demo simulator stopped", "error", err)
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// Shops are the demo shops.
type Shops struct {
	Rakuten, AuPay shop.Shop
}

// Setup makes sure the demo shops exist, points them at this run's simulators, and starts
// their rules.
func (d *Demo) Setup(ctx context.Context, st store.Store) (Shops, error) {
	var shops Shops
	var err error
	if shops.Rakuten, err = d.setupRakuten(ctx, st); err != nil {
		return shops, err
	}
	shops.AuPay, err = d.setupAuPay(ctx, st)
	return shops, err
}

// existing finds a demo shop by name and points it at this run's simulator, which listens on
// a new port each run.
func existing(ctx context.Context, st store.Store, name string, creds shop.Credentials) (shop.Shop, bool, error) {
	shops, err := st.ListShops(ctx)
	if err != nil {
		return shop.Shop{}, false, err
	}
	for _, sh := range shops {
		if sh.Name == name {
			if err := st.SetShopCredentials(ctx, sh.ID, creds, time.Now().Add(90*24*time.Hour)); err != nil {
				return shop.Shop{}, false, err
			}
			sh, err := st.GetShop(ctx, sh.ID)
			return sh, true, err
		}
	}
	return shop.Shop{}, false, nil
}

func startRules(ctx context.Context, st store.Store, shopID int64, rules []workflow.Rule) error {
	for _, r := range rules {
		r.ShopID, r.Enabled = shopID, true
		if _, err := st.SaveRule(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (d *Demo) setupAuPay(ctx context.Context, st store.Store) (shop.Shop, error) {
	key, shopID := d.AuPay.Credentials()
	creds := shop.Credentials{"apiKey": key, "shopId": shopID, "endpoint": d.AuPayURL}
	if sh, ok, err := existing(ctx, st, AuPayShopName, creds); ok || err != nil {
		return sh, err
	}
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.AuPay, Name: AuPayShopName, Code: shopID, Credentials: creds,
		CredentialsExpireAt: time.Now().Add(90 * 24 * time.Hour)})
	if err != nil {
		return shop.Shop{}, err
	}
	if _, err := st.CreatePhase(ctx, sh.ID, PhaseShipReflected); err != nil {
		return shop.Shop{}, err
	}
	p, err := phaseIDs(ctx, st, sh.ID)
	if err != nil {
		return shop.Shop{}, err
	}
	// Seed 000's three rules: new trades wait for au's 発送待ち (payment in), are packed, their
	// shipments reflected, then their status set to 完了.
	return sh, startRules(ctx, st, sh.ID, []workflow.Rule{
		{Kind: workflow.JobImport, Interval: 30 * time.Second},
		{Kind: workflow.JobStatusFetch, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"], Interval: time.Minute},
		{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p[PhaseShipReflected], ErrorPhaseID: p["エラー"]},
		{Kind: workflow.JobComplete, TargetPhaseID: p[PhaseShipReflected], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]},
	})
}

func (d *Demo) setupRakuten(ctx context.Context, st store.Store) (shop.Shop, error) {
	secret, key := d.Rakuten.Credentials()
	creds := shop.Credentials{"serviceSecret": secret, "licenseKey": key, "endpoint": d.RakutenURL}
	if sh, ok, err := existing(ctx, st, ShopName, creds); ok || err != nil {
		return sh, err
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
	return sh, startRules(ctx, st, sh.ID, []workflow.Rule{
		{Kind: workflow.JobImport, Interval: 30 * time.Second},
		{Kind: workflow.JobConfirm, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["確認待ち"], ErrorPhaseID: p["エラー"]},
		{Kind: workflow.JobPaymentReview, TargetPhaseID: p["確認待ち"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"], Interval: time.Minute},
		{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]},
	})
}

// Mover moves orders as an operator does: the move queues the rule of the destination phase.
type Mover interface {
	MoveOrders(ctx context.Context, st store.Store, ids []int64, phaseID int64, actor string) ([]int64, error)
}

// PackAfter is how long an order waits in 出荷待ち before the demo packer ships it.
const PackAfter = time.Minute

// Pack plays the shops' packer until ctx ends: every PackEvery it gives the orders that waited
// PackAfter in 出荷待ち a Yamato tracking number and moves them to 出荷済み, where the ship report
// takes them.
func (d *Demo) Pack(ctx context.Context, st store.Store, mover Mover, shops ...shop.Shop) {
	tick := time.NewTicker(cmp.Or(d.PackEvery, DefaultPackEvery))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, sh := range shops {
			if err := d.packShop(ctx, st, mover, sh); err != nil && ctx.Err() == nil {
				slog.Error("demo packer", "shop", sh.Name, "error", err)
			}
		}
	}
}

func (d *Demo) packShop(ctx context.Context, st store.Store, mover Mover, sh shop.Shop) error {
	p, err := phaseIDs(ctx, st, sh.ID)
	if err != nil {
		return err
	}
	page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: p["出荷待ち"], PageSize: 100})
	if err != nil {
		return err
	}
	var packed []int64
	for _, o := range page.Orders {
		if time.Since(o.UpdatedAt) < d.PackAfter || len(o.Packages) == 0 {
			continue
		}
		shipment := order.Shipment{PackageKey: o.Packages[0].Key, ShipDate: time.Now().In(order.JST).Format("2006-01-02"), Carrier: "1001", TrackingNumber: yamatoNumber(d.Rakuten.Sim.Gen.IntN)}
		if err := st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{shipment}, "demo:packer"); err != nil {
			continue
		}
		packed = append(packed, o.ID)
	}
	if len(packed) > 0 {
		_, err = mover.MoveOrders(ctx, st, packed, p["出荷済み"], "demo:packer")
	}
	return err
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
// twenty seconds at each marketplace. au PAY trades paid by card are ready to ship (発送待ち);
// bank transfers wait for the buyer's payment (発送前入金待ち) first.
func (d *Demo) PlaceOrders(ctx context.Context) {
	d.Rakuten.Generate(rakutensim.GenerateOptions{Count: 25, At: time.Now().Add(-30 * time.Minute), UnfixedPostageShare: 0.1})
	d.AuPay.Generate(aupaysim.GenerateOptions{Count: 10, At: time.Now().Add(-30 * time.Minute), Status: aupay.StatusAwaitingShipment})
	d.AuPay.Generate(aupaysim.GenerateOptions{Count: 3, At: time.Now().Add(-30 * time.Minute), Status: aupay.StatusAwaitingPayment, Settlement: "銀行振込"})
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			d.Rakuten.Generate(rakutensim.GenerateOptions{Count: 1 + d.Rakuten.Sim.Gen.IntN(3), UnfixedPostageShare: 0.1})
			opts := aupaysim.GenerateOptions{Count: 1 + d.AuPay.Sim.Gen.IntN(2), Status: aupay.StatusAwaitingShipment}
			if d.AuPay.Sim.Gen.IntN(4) == 0 {
				opts.Status, opts.Settlement = aupay.StatusAwaitingPayment, "銀行振込"
			}
			d.AuPay.Generate(opts)
		}
	}
}

// Close stops the simulators.
func (d *Demo) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, s := range d.servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	return errors.Join(errs...)
}
