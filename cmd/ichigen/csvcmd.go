package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// csvCommand is the packing bench from the shell: label files out, tracking files in.
func csvCommand(cfg *config.Config) *cli.Command {
	return &cli.Command{
		Name:  "csv",
		Usage: "carrier label files out (csv labels), tracking numbers in (csv tracking), orders in by CSV (csv mapping, csv import)",
		Commands: []*cli.Command{
			{
				Name:  "mapping",
				Usage: "save a shop's CSV column mapping (JSON of orderimport.Mapping: {\"number\":\"受注番号\",\"ordered_at\":\"受注日\",…})",
				Flags: []cli.Flag{
					&cli.Int64Flag{Name: "shop", Usage: "the shop's id", Required: true},
					&cli.StringFlag{Name: "json", Usage: "the mapping", Required: true},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					var m orderimport.Mapping
					if err := json.Unmarshal([]byte(cmd.String("json")), &m); err != nil {
						return fmt.Errorf("列の対応(JSON)が読めません: %w", err)
					}
					if err := m.Check(); err != nil {
						return err
					}
					st, err := app.OpenStore(ctx, cfg, logger(cfg))
					if err != nil {
						return err
					}
					defer st.Close()
					return st.SetShopSetting(ctx, cmd.Int64("shop"), orderimport.SettingName, m, "cli")
				},
			},
			{
				Name:      "import",
				Usage:     "import a shop's orders from a CSV file with its saved mapping (UTF-8 or Shift_JIS); orders already stored are never imported twice",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{
					&cli.Int64Flag{Name: "shop", Usage: "the shop's id", Required: true},
					&cli.Int64Flag{Name: "phase", Usage: "the phase of new orders (default the shop's first)"},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					in, size, st, err := openUpload(ctx, cfg, cmd, "ichigen csv import --shop N FILE")
					if err != nil {
						return err
					}
					defer in.Close()
					defer st.Close()
					phase := cmd.Int64("phase")
					if phase == 0 {
						phases, err := st.ListPhases(ctx)
						if err != nil || len(phases) == 0 {
							return fmt.Errorf("処理フェーズが読めません (設定 > 処理フェーズで作成してください): %v", err)
						}
						phase = phases[0].ID
					}
					start := time.Now()
					bar := newProgress(in, size)
					res, err := orderimport.Import(ctx, st, cmd.Int64("shop"), phase, bar, "cli")
					bar.done()
					if err != nil {
						return err
					}
					fmt.Printf("%s: %d orders, %d new, %d already stored, in %s\n", in.Name(), res.Orders, res.Inserted, res.Known, time.Since(start).Round(time.Millisecond))
					return nil
				},
			},
			{
				Name:  "labels",
				Usage: "write the label file of a shop's orders in a phase, or of --ids, in a carrier program's layout (Shift_JIS)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "layout", Usage: "yamato-b2, sagawa-ehiden3 or japanpost-yupri", Required: true},
					&cli.Int64Flag{Name: "shop", Usage: "the shop's id"},
					&cli.Int64Flag{Name: "phase", Usage: "the phase's id: its orders"},
					&cli.StringFlag{Name: "ids", Usage: "order ids, comma-separated, instead of --shop/--phase"},
					&cli.StringFlag{Name: "ship-date", Usage: "出荷予定日 YYYY-MM-DD (default today)"},
					&cli.StringFlag{Name: "out", Usage: "the file to write", Required: true},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					layout, err := packing.ParseLayout(cmd.String("layout"))
					if err != nil {
						return err
					}
					st, err := app.OpenStore(ctx, cfg, logger(cfg))
					if err != nil {
						return err
					}
					defer st.Close()
					var ids []int64
					if raw := cmd.String("ids"); raw != "" {
						for _, s := range strings.Split(raw, ",") {
							id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
							if err != nil {
								return fmt.Errorf("注文ID「%s」が読めません。", s)
							}
							ids = append(ids, id)
						}
					} else if ids, err = orderops.FindAll(ctx, st, store.OrderQuery{ShopID: cmd.Int64("shop"), PhaseID: cmd.Int64("phase"), Ascending: true}); err != nil {
						return err
					}
					start := time.Now()
					bar := newProgress(nil, int64(len(ids)))
					f, err := packing.WriteLabels(ctx, st, ids, packing.LabelOptions{Layout: layout, ShipDate: cmd.String("ship-date"), Progress: bar.count})
					bar.done()
					if err != nil {
						return err
					}
					out, err := os.Create(cmd.String("out"))
					if err != nil {
						return err
					}
					if _, err := f.WriteTo(out); err != nil {
						_ = out.Close()
						return err
					}
					if err := out.Close(); err != nil {
						return err
					}
					for _, w := range f.Warnings {
						fmt.Fprintf(os.Stderr, "%s: %s\n", w.Number, w.Message)
					}
					fmt.Printf("%s: %d rows (%s), %d orders left out, %d warnings, in %s\n", cmd.String("out"), f.Rows, layout.Label(), f.Skipped, f.WarningCount, time.Since(start).Round(time.Millisecond))
					return nil
				},
			},
			{
				Name:      "tracking",
				Usage:     "read a tracking file (B2 issued data, e飛伝Ⅲ, or key,number[,date]) and report each row; --confirm saves the valid ones",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "carrier", Usage: "carrier code (1001 Yamato, 1002 Sagawa, 1003 Japan Post …); B2 and e飛伝 files name theirs"},
					&cli.StringFlag{Name: "ship-date", Usage: "ship date of rows without one, YYYY-MM-DD (default today)"},
					&cli.Int64Flag{Name: "shop", Usage: "match order numbers in this shop only"},
					&cli.Int64Flag{Name: "move-to-phase", Usage: "move the saved orders to this phase (its rule is queued)"},
					&cli.BoolFlag{Name: "confirm", Usage: "save the valid rows, all in one transaction"},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					in, size, st, err := openUpload(ctx, cfg, cmd, "ichigen csv tracking FILE")
					if err != nil {
						return err
					}
					defer in.Close()
					defer st.Close()
					start := time.Now()
					bar := newProgress(in, size)
					rep, err := packing.CheckTracking(ctx, st, bar, packing.TrackingOptions{Carrier: cmd.String("carrier"), ShipDate: cmd.String("ship-date"), ShopID: cmd.Int64("shop")})
					bar.done()
					if err != nil {
						return err
					}
					fmt.Printf("%s (%s, carrier %s): %d rows in %s\n", in.Name(), rep.Format, rep.Carrier, len(rep.Rows), time.Since(start).Round(time.Millisecond))
					for _, o := range packing.Outcomes {
						fmt.Printf("  %-16s %d\n", o.Label(), rep.Counts[o])
					}
					for _, r := range rep.Rows {
						if r.Outcome != packing.Matched {
							fmt.Printf("  %d行目 %s %s: %s\n", r.Line, r.Key, r.Outcome.Label(), r.Message)
						}
					}
					if !cmd.Bool("confirm") {
						fmt.Println("nothing saved; run again with --confirm to save the valid rows")
						return nil
					}
					q, err := jobs.New(ctx, st, jobs.Config{Logger: logger(cfg)})
					if err != nil {
						return err
					}
					applied, err := packing.ApplyTracking(ctx, st, q, rep, cmd.Int64("move-to-phase"), "cli")
					if err != nil {
						return err
					}
					fmt.Printf("saved %d rows on %d orders, moved %d, in %s\n", applied.Rows, applied.Orders, len(applied.Moved), time.Since(start).Round(time.Millisecond))
					return nil
				},
			},
		},
	}
}

// progress reports how much of a file was read, or how many orders were written, as a bar on
// one line of w, redrawn in place. It draws only when w is a terminal: a script or a log file
// sees no bar.
type progress struct {
	r     io.Reader
	total int64
	read  int64
	shown int
	w     io.Writer
}

// openUpload opens the file named by cmd's argument (usage says how to name it when it is
// missing) and the store; it returns the file, its size for the progress bar, and the store.
func openUpload(ctx context.Context, cfg *config.Config, cmd *cli.Command, usage string) (*os.File, int64, store.Store, error) {
	path := cmd.Args().First()
	if path == "" {
		return nil, 0, nil, fmt.Errorf("取り込むファイルを指定してください: %s", usage)
	}
	in, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	info, err := in.Stat()
	if err != nil {
		in.Close()
		return nil, 0, nil, err
	}
	st, err := app.OpenStore(ctx, cfg, logger(cfg))
	if err != nil {
		in.Close()
		return nil, 0, nil, err
	}
	return in, info.Size(), st, nil
}

// newProgress is a bar on stderr when stderr is a terminal, else one that draws nothing.
func newProgress(r io.Reader, total int64) *progress {
	p := &progress{r: r, total: total, shown: -1}
	if isTerminal(os.Stderr) {
		p.w = os.Stderr
	}
	return p
}

// isTerminal reports whether f is a character device (a terminal), not a file or a pipe.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	p.draw(p.read, p.total)
	return n, err
}

// count is WriteLabels' Progress: done of total orders written.
func (p *progress) count(done, total int) { p.draw(int64(done), int64(total)) }

func (p *progress) draw(done, total int64) {
	if p.w == nil || total <= 0 {
		return
	}
	if pct := int(min(done, total) * 100 / total); pct != p.shown {
		p.shown = pct
		fmt.Fprintf(p.w, "\r[%-40s] %3d%%", strings.Repeat("=", pct*40/100), pct)
	}
}

func (p *progress) done() {
	if p.w != nil {
		p.draw(p.total, p.total)
		fmt.Fprintln(p.w)
	}
}
