package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/bench"
	"github.com/ichigen-oms/ichigen/internal/config"
)

// benchCommand builds a large store (`bench seed`) and measures ichigen against it (`bench`).
func benchCommand(cfg *config.Config) *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "measure the order list, keyword search, bulk move and import on a store built by `bench seed`",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			st, err := app.OpenStore(ctx, cfg, logger(cfg))
			if err != nil {
				return err
			}
			defer st.Close()
			figures, err := bench.Run(ctx, st)
			if err != nil {
				return err
			}
			return figures.Print(os.Stdout)
		},
		Commands: []*cli.Command{{
			Name:  "seed",
			Usage: "add two shops and a realistic history of orders to the database (--db), for `ichigen bench`",
			Flags: []cli.Flag{
				&cli.IntFlag{Name: "orders", Usage: "how many orders", Value: 1_000_000, Validator: func(n int) error {
					if n < 1 {
						return fmt.Errorf("--orders %d: give at least one order", n)
					}
					return nil
				}},
			},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				st, err := app.OpenStore(ctx, cfg, logger(cfg))
				if err != nil {
					return err
				}
				defer st.Close()
				total := cmd.Int("orders")
				bar := newProgressBar(os.Stderr, total, "orders")
				if err := bench.Seed(ctx, st, bench.SeedOptions{Orders: total, Progress: bar.Set}); err != nil {
					return err
				}
				bar.Done()
				fmt.Printf("seeded %d orders into %s in %v\n", total, config.RedactURL(cfg.DatabaseURL()), bar.Elapsed().Round(time.Second))
				return nil
			},
		}},
	}
}

// progressBar draws "[#####-----] 50% 500000/1000000 orders 12000/s" on one terminal line.
type progressBar struct {
	w     io.Writer
	total int
	unit  string
	start time.Time
}

func newProgressBar(w io.Writer, total int, unit string) *progressBar {
	return &progressBar{w: w, total: total, unit: unit, start: time.Now()}
}

// Set redraws the bar at done.
func (b *progressBar) Set(done int) {
	const width = 30
	filled := width * done / b.total
	rate := float64(done) / max(time.Since(b.start).Seconds(), 0.001)
	fmt.Fprintf(b.w, "\r[%s%s] %3d%% %d/%d %s %.0f/s", strings.Repeat("#", filled), strings.Repeat("-", width-filled),
		100*done/b.total, done, b.total, b.unit, rate)
}

// Done ends the bar's line.
func (b *progressBar) Done() { fmt.Fprintln(b.w) }

// Elapsed is the time since the bar started.
func (b *progressBar) Elapsed() time.Duration { return time.Since(b.start) }
