// Package demo runs what `ichigen demo` shows besides ichigen itself: a Rakuten simulator in the
// same process, a demo shop connected to it with its import rule started, and buyers placing
// orders every few seconds.
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
	if _, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Enabled: true, Interval: 30 * time.Second}); err != nil {
		return shop.Shop{}, err
	}
	return sh, nil
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
