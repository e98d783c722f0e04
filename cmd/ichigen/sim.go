package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
)

// simCommand runs one marketplace simulator alone, for a shop's own trials and anyone's client.
func simCommand() *cli.Command {
	var addr, secret, key string
	var quota float64
	return &cli.Command{
		Name:  "sim",
		Usage: "run a marketplace simulator alone",
		Commands: []*cli.Command{{
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
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return fmt.Errorf("listen on %s: %w", addr, err)
				}
				fmt.Printf("Rakuten RMS simulator on http://%s\n  serviceSecret: %s\n  licenseKey:    %s\n  quota:         %g request(s)/s per key\n"+
					"  make orders:   curl -X POST http://%s/_sim/orders -d '{\"count\":10}'\n", ln.Addr(), secret, key, quota, ln.Addr())
				srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
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
			},
		}},
	}
}
