// Package demo runs what `ichigen demo` shows besides ichigen itself: every registered channel's
// simulator in the same process, a demo shop connected to each with its rules started (the
// channel's Demo: Rakuten imports, confirms, reviews payments and reports shipments; au PAY
// imports, fetches statuses, reflects shipments and completes), buyers placing orders every few
// seconds, and a packer shipping them.
package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Demo is a running demo.
type Demo struct {
	// Sims are the running simulators, one per connected channel, in the channels' order.
	Sims []*Sim
	// PackAfter is how long an order waits in 出荷待ち before the packer ships it, and PackEvery
	// how often the packer looks (PackAfter and DefaultPackEvery unless set).
	PackAfter, PackEvery time.Duration
	// Relay is the SMTP server the demo shops' buyer mails go through.
	Relay *relaysim.Relay
	// Files are the file-only channels' demo shops (the CSV shop), whose orders the demo
	// imports from files.
	Files   []*FileShop
	st      store.Store // the store Setup made the shops in
	servers []*http.Server
}

// Sim is one channel's simulator in the demo, and its demo shop once Setup made it.
type Sim struct {
	Spec   *channel.Spec
	Server channel.SimServer
	URL    string
	Shop   shop.Shop
}

// DefaultPackEvery is how often the demo packer looks for orders to ship.
const DefaultPackEvery = 20 * time.Second

// StartSimulators starts every connected channel's simulator on a loopback port, at the demo's
// pace.
func StartSimulators() (*Demo, error) {
	seed := uint64(time.Now().UnixNano())
	d := &Demo{PackAfter: PackAfter, PackEvery: DefaultPackEvery}
	var err error
	if d.Relay, err = startRelay(); err != nil {
		return nil, err
	}
	for i, spec := range channel.All() {
		if spec.Planned || spec.Simulator == nil {
			continue
		}
		s := &Sim{Spec: spec, Server: spec.Simulator.New(channel.SimConfig{QuotaPerSecond: spec.Quota.PerSecond, Seed: seed + uint64(i), Demo: true})}
		if s.URL, err = d.serve(s.Server.Handler()); err != nil {
			return nil, errors.Join(err, d.Close())
		}
		d.Sims = append(d.Sims, s)
	}
	d.Files = fileShops()
	return d, nil
}

// Sim returns the simulator of a channel.
func (d *Demo) Sim(name string) (*Sim, bool) {
	for _, s := range d.Sims {
		if s.Spec.Name == name {
			return s, true
		}
	}
	return nil, false
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

// Setup makes sure each simulator's demo shop exists, points it and its mail at this run's
// simulator and relay, and starts its rules: the channel's own, and on a new shop the
// サンクスメール and 発送メール rules.
func (d *Demo) Setup(ctx context.Context, st store.Store) error {
	for _, s := range d.Sims {
		sh, err := s.setup(ctx, st)
		if err == nil {
			err = d.setupMail(ctx, st, sh)
		}
		if err != nil {
			return fmt.Errorf("demo shop of %s: %w", s.Spec.Name, err)
		}
		s.Shop = sh
	}
	for _, f := range d.Files {
		sh, err := f.setup(ctx, st)
		if err == nil {
			err = d.setupMail(ctx, st, sh)
		}
		if err != nil {
			return fmt.Errorf("demo shop of %s: %w", f.Spec.Name, err)
		}
		f.Shop = sh
	}
	d.st = st
	return nil
}

// credentialLife is how long the demo shops' credentials are said to live.
const credentialLife = 90 * 24 * time.Hour

func (s *Sim) setup(ctx context.Context, st store.Store) (shop.Shop, error) {
	demo := s.Spec.Simulator.Demo
	creds := shop.Credentials(s.Server.Credentials())
	creds["endpoint"] = s.URL
	if sh, ok, err := existing(ctx, st, demo.ShopName, creds); ok || err != nil {
		return sh, err
	}
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(s.Spec.Name), Name: demo.ShopName, Code: demo.Code, Credentials: creds,
		CredentialsExpireAt: time.Now().Add(credentialLife)})
	if err != nil {
		return shop.Shop{}, err
	}
	for _, name := range demo.Phases {
		if _, err := ensurePhase(ctx, st, name); err != nil {
			return shop.Shop{}, err
		}
	}
	p, err := phaseIDs(ctx, st)
	if err != nil {
		return shop.Shop{}, err
	}
	for _, r := range demo.Rules(func(name string) int64 { return p[name] }) {
		r.ShopID, r.Enabled = sh.ID, true
		if _, err := st.SaveRule(ctx, r); err != nil {
			return shop.Shop{}, err
		}
	}
	return sh, addMailRules(ctx, st, sh)
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
			if err := st.SetShopCredentials(ctx, sh.ID, creds, time.Now().Add(credentialLife)); err != nil {
				return shop.Shop{}, false, err
			}
			sh, err := st.GetShop(ctx, sh.ID)
			return sh, true, err
		}
	}
	return shop.Shop{}, false, nil
}

// Shops are the demo shops Setup made.
func (d *Demo) Shops() []shop.Shop {
	out := make([]shop.Shop, 0, len(d.Sims)+len(d.Files))
	for _, s := range d.Sims {
		out = append(out, s.Shop)
	}
	for _, f := range d.Files {
		out = append(out, f.Shop)
	}
	return out
}

// Mover moves orders as an operator does: the move queues the rule of the destination phase.
type Mover interface {
	MoveOrders(ctx context.Context, st store.Store, ids []int64, phaseID int64, actor string) ([]int64, error)
}

// PackAfter is how long an order waits in 出荷待ち before the demo packer ships it.
const PackAfter = time.Minute

// Pack plays the shops' packer until ctx ends: every PackEvery it gives the orders that waited
// PackAfter in 出荷待ち a Yamato tracking number and moves them to 発送メール (出荷済み on a shop
// without it), whose rule mails the buyer and hands them to the ship report.
func (d *Demo) Pack(ctx context.Context, st store.Store, mover Mover) {
	tick := time.NewTicker(cmp.Or(d.PackEvery, DefaultPackEvery))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, sh := range d.Shops() {
			if err := d.packShop(ctx, st, mover, sh); err != nil && ctx.Err() == nil {
				slog.Error("demo packer", "shop", sh.Name, "error", err)
			}
		}
	}
}

func (d *Demo) packShop(ctx context.Context, st store.Store, mover Mover, sh shop.Shop) error {
	p, err := phaseIDs(ctx, st)
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
		shipment := order.Shipment{PackageKey: o.Packages[0].Key, ShipDate: time.Now().In(order.JST).Format("2006-01-02"), Carrier: "1001", TrackingNumber: yamatoNumber(rand.IntN)}
		if err := st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{shipment}, "demo:packer"); err != nil {
			continue
		}
		packed = append(packed, o.ID)
	}
	to, ok := p[ShippingPhase]
	if !ok {
		to = p["出荷済み"]
	}
	if len(packed) > 0 {
		_, err = mover.MoveOrders(ctx, st, packed, to, "demo:packer")
	}
	return err
}

// ensurePhase returns the phase of that name, made if there is none yet: the phases are every
// shop's, so the second demo shop finds those the first one made.
func ensurePhase(ctx context.Context, st store.Store, name string) (int64, error) {
	p, err := phaseIDs(ctx, st)
	if err != nil {
		return 0, err
	}
	if id, ok := p[name]; ok {
		return id, nil
	}
	created, err := st.CreatePhase(ctx, name)
	return created.ID, err
}

// phaseIDs returns the phases by name.
func phaseIDs(ctx context.Context, st store.Store) (map[string]int64, error) {
	phases, err := st.ListPhases(ctx)
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

// PushOrdersTo has the demo shops whose simulator is a cart that posts its orders (the own
// cart) post them to ichigen at base, as a real cart would, instead of ichigen pulling them.
func (d *Demo) PushOrdersTo(base string) {
	for _, s := range d.Sims {
		p, ok := s.Server.(interface{ PushTo(url string) })
		if path := s.Spec.Simulator.Demo.IntakePath; ok && path != nil && s.Shop.ID != 0 {
			p.PushTo(base + path(s.Shop.ID))
		}
	}
}

// PlaceOrders has buyers order until ctx ends: each channel's first batch, then a few orders
// every twenty seconds at each marketplace.
func (d *Demo) PlaceOrders(ctx context.Context) {
	for _, s := range d.Sims {
		s.Spec.Simulator.Demo.Orders(s.Server, true, time.Now().Add(-30*time.Minute))
	}
	d.placeFileOrders(ctx, d.st, true)
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			for _, s := range d.Sims {
				s.Spec.Simulator.Demo.Orders(s.Server, false, time.Now())
			}
			d.placeFileOrders(ctx, d.st, false)
		}
	}
}

// Close stops the simulators.
func (d *Demo) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := []error{d.Relay.Close()}
	for _, s := range d.servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	return errors.Join(errs...)
}
