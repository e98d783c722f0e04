package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
)

// simCommand runs one marketplace simulator alone, for a shop's own trials and anyone's client.
func simCommand() *cli.Command {
	return &cli.Command{
		Name:     "sim",
		Usage:    "run a marketplace simulator alone",
		Commands: []*cli.Command{rakutenSimCommand(), aupaySimCommand()},
	}
}

func rakutenSimCommand() *cli.Command {
	var addr, secret, key string
	var quota float64
	return &cli.Command{
		Name:  "rakuten",
		Usage: "Rakuten RMS order API 2.0 simulator (/es/2.0/order/<op>/, control API under /_sim/)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8081", Usage: "listen address HOST:PORT", Destination: &addr, Sources: cli.EnvVars("ICHIGEN_SIM_ADDR")},
			&cli.StringFlag{Name: "service-secret", Value: "SP338005_demoServiceSecret", Usage: "serviceSecret the simulator accepts", Destination: &secret, Sources: cli.EnvVars("ICHIGEN_SIM_SERVICE_SECRET")},
			&cli.StringFlag{Name: "license-key", Value: "SL338005_demoLicenseKey", Usage: "licenseKey the simulator accepts", Destination: &key, Sources: cli.EnvVars("ICHIGEN_SIM_LICENSE_KEY")},
			&cli.FloatFlag{Name: "quota", Value: 1, Usage: "requests per second per license key (0: unlimited)", Destination: &quota, Sources: cli.EnvVars("ICHIGEN_SIM_QUOTA")},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			sim := rakutensim.New(rakutensim.Config{ServiceSecret: secret, LicenseKey: key, QuotaPerSecond: quota, Seed: uint64(time.Now().UnixNano())})
			return serveSim(ctx, addr, sim.Handler(), func(at net.Addr) {
				fmt.Printf("Rakuten RMS simulator on http://%s\n  serviceSecret: %s\n  licenseKey:    %s\n  quota:         %g request(s)/s per key\n"+
					"  make orders:   curl -X POST http://%s/_sim/orders -d '{\"count\":10}'\n", at, secret, key, quota, at)
			})
		},
	}
}

func aupaySimCommand() *cli.Command {
	var addr, key, shopID string
	var quota float64
	return &cli.Command{
		Name:  "aupay",
		Usage: "au PAY Market (Wowma) shop API simulator (/wmshopapi/<proc>, control API under /_sim/)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8082", Usage: "listen address HOST:PORT", Destination: &addr, Sources: cli.EnvVars("ICHIGEN_SIM_ADDR")},
			&cli.StringFlag{Name: "api-key", Value: aupaysim.DefaultAPIKey, Usage: "API key the simulator accepts (Authorization: Bearer)", Destination: &key, Sources: cli.EnvVars("ICHIGEN_SIM_API_KEY")},
			&cli.StringFlag{Name: "shop-id", Value: aupaysim.DefaultShopID, Usage: "au shop id (shopId) the simulator answers for", Destination: &shopID, Sources: cli.EnvVars("ICHIGEN_SIM_SHOP_ID")},
			&cli.FloatFlag{Name: "quota", Value: 1, Usage: "requests per second per API key (0: unlimited)", Destination: &quota, Sources: cli.EnvVars("ICHIGEN_SIM_QUOTA")},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if key == "" || shopID == "" {
				return errors.New("--api-key と --shop-id を指定してください(空にはできません)")
			}
			sim := aupaysim.New(aupaysim.Config{APIKey: key, ShopID: shopID, QuotaPerSecond: quota, Seed: uint64(time.Now().UnixNano())})
			return serveSim(ctx, addr, sim.Handler(), func(at net.Addr) {
				fmt.Printf("au PAY Market simulator on http://%s\n  API key:       %s\n  shopId:        %s\n  key expires:   %s\n  quota:         %g request(s)/s per key\n"+
					"  make orders:   curl -X POST http://%s/_sim/orders -d '{\"count\":10,\"status\":\"発送待ち\"}'\n",
					at, key, shopID, sim.KeyExpiresAt().Format(time.DateOnly), quota, at)
			})
		},
	}
}

// serveSim listens on addr, prints the simulator's banner and serves until ctx ends.
func serveSim(ctx context.Context, addr string, handler http.Handler, banner func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	banner(ln.Addr())
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
