// Command ichigen is the order-management system in one binary: `ichigen demo` to try it,
// `ichigen serve` to run it, `ichigen migrate` to update a database ahead of a rollout.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/demo"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newCommand().Run(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "ichigen:", err)
		os.Exit(1)
	}
}

func newCommand() *cli.Command {
	cfg := &config.Config{}
	logger := func() *slog.Logger { return logger(cfg) }
	return &cli.Command{
		Name:  "ichigen",
		Usage: "order management for shops selling on several Japanese marketplaces (受注一元管理)",
		Flags: cfg.Flags(),
		Commands: []*cli.Command{
			{
				Name:  "serve",
				Usage: "run ichigen: web server and background jobs",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return serve(ctx, cfg, logger(), false)
				},
			},
			{
				Name:  "demo",
				Usage: "run ichigen with its own data directory (./ichigen-demo) and print the URL",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					if !cmd.IsSet("data-dir") {
						cfg.DataDir = "./ichigen-demo"
					}
					return serve(ctx, cfg, logger(), true)
				},
			},
			{
				Name:  "migrate",
				Usage: "bring the database schema (and River's) up to date, then exit",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					st, err := app.OpenStore(ctx, cfg, logger())
					if err != nil {
						return err
					}
					defer st.Close()
					fmt.Printf("database %s is up to date\n", config.RedactURL(cfg.DatabaseURL()))
					return nil
				},
			},
			importCommand(cfg),
			csvCommand(cfg),
			benchCommand(cfg),
			userCommand(cfg),
			tokenCommand(cfg),
			simCommand(),
			{
				Name:  "version",
				Usage: "print the version",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					fmt.Println("ichigen", app.Version)
					return nil
				},
			},
			{
				Name:  "config",
				Usage: "configuration",
				Commands: []*cli.Command{{
					Name:  "dump",
					Usage: "print the effective configuration as ICHIGEN_* variables, secrets redacted",
					Action: func(ctx context.Context, cmd *cli.Command) error {
						cfg.Dump(os.Stdout)
						return nil
					},
				}},
			},
		},
	}
}

func logger(cfg *config.Config) *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.Level()}))
}

func serve(ctx context.Context, cfg *config.Config, logger *slog.Logger, withDemo bool) error {
	if withDemo && cfg.BounceAddr == "" {
		// The demo's relay refuses some buyers' mail later; its reports come back to a bounce
		// listener in the process.
		cfg.BounceAddr = "127.0.0.1:0"
	}
	srv, err := app.Start(ctx, cfg, logger)
	if err != nil {
		return err
	}
	if withDemo {
		d, err := demo.StartSimulators()
		if err != nil {
			return errors.Join(err, srv.Shutdown())
		}
		defer d.Close()
		if err := d.Setup(ctx, srv.Store); err != nil {
			return errors.Join(err, srv.Shutdown())
		}
		if err := demoLogin(ctx, srv.Store); err != nil {
			return errors.Join(err, srv.Shutdown())
		}
		d.PushOrdersTo(srv.URL())
		go d.PlaceOrders(ctx)
		go d.Pack(ctx, srv.Store, srv.Queue)
		go d.ForwardBounces(ctx, srv.BounceAddr().String(), cfg.BounceMailbox, logger)
		fmt.Printf("\n  ichigen demo is running: %s\n", srv.URL())
		for _, s := range d.Sims {
			fmt.Printf("  shop %q imports from the %s simulator at %s\n", s.Shop.Name, s.Spec.LabelEN, s.URL)
		}
		for _, f := range d.Files {
			fmt.Printf("  shop %q (%s) gets its orders as CSV files, imported as an operator uploads them\n", f.Shop.Name, f.Spec.LabelEN)
		}
		fmt.Printf("  log in as %s / %s\n  data directory: %s (delete it to start over)\n  stop with Ctrl+C\n\n", demoLoginID, demoPassword, cfg.DataDir)
	}
	<-ctx.Done()
	logger.Info("shutting down")
	return srv.Shutdown()
}

// The demo's operator, an administrator; the demo is for trying ichigen out, not for real data.
const (
	demoLoginID  = "demo"
	demoPassword = "demo-password"
)

// demoLogin creates the demo operator on the demo's first run.
func demoLogin(ctx context.Context, st store.Store) error {
	_, err := st.GetUserByLogin(ctx, demoLoginID)
	if !apperror.Is(err, apperror.NotFound) {
		return err
	}
	_, _, err = addUser(ctx, st, user.User{Login: demoLoginID, Name: "デモ担当"}, adminGroupName, demoPassword)
	return err
}
