package main

import (
	"context"
	"fmt"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// importCommand queues an on-demand import of a date range (期間を指定して受注取込) for a running
// ichigen to work.
func importCommand(cfg *config.Config) *cli.Command {
	return &cli.Command{
		Name:  "import",
		Usage: "import a shop's orders of a date range now (dates in Japan time); a running ichigen works it",
		Flags: []cli.Flag{
			&cli.Int64Flag{Name: "shop", Usage: "the shop's id", Required: true},
			&cli.StringFlag{Name: "from", Usage: "first day, YYYY-MM-DD (or YYYY-MM-DDTHH:MM)", Required: true},
			&cli.StringFlag{Name: "to", Usage: "last day, YYYY-MM-DD, included (or YYYY-MM-DDTHH:MM, excluded)", Required: true},
			&cli.BoolFlag{Name: "overwrite", Usage: "overwrite orders already in ichigen with the marketplace's version (同一注文の上書き)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			from, err := parseDay(cmd.String("from"), false)
			if err != nil {
				return err
			}
			to, err := parseDay(cmd.String("to"), true)
			if err != nil {
				return err
			}
			st, err := app.OpenStore(ctx, cfg, logger(cfg))
			if err != nil {
				return err
			}
			defer st.Close()
			sh, err := st.GetShop(ctx, cmd.Int64("shop"))
			if err != nil {
				return err
			}
			q, err := jobs.New(ctx, st, jobs.Config{Logger: logger(cfg)})
			if err != nil {
				return err
			}
			id, err := q.ImportRange(ctx, jobs.ImportRangeArgs{ShopID: sh.ID, From: from, To: to, Overwrite: cmd.Bool("overwrite")}, time.Now())
			if err != nil {
				return err
			}
			fmt.Printf("queued import %d of %s from %s to %s; a running ichigen works it\n", id, sh.Name, from.Format(time.DateTime), to.Format(time.DateTime))
			return nil
		},
	}
}

// parseDay reads a date or a date and time in Japan time. A bare date ending a range means the
// whole day.
func parseDay(s string, end bool) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, order.JST); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, order.JST)
	if err != nil {
		return time.Time{}, fmt.Errorf("日付「%s」が読めません。2026-11-01 や 2026-11-01T09:00 の形で入力してください。", s)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}
