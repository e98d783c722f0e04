package web

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// primeChoices are the Prime filter's options.
var primeChoices = []choice{{"1", "Primeのみ"}}

// shipQuery reads the Prime and 出荷期限 filters into q.
func (f orderFilter) shipQuery(q *store.OrderQuery) error {
	switch f.Prime {
	case "":
	case "1":
		q.Prime = true
	default:
		return apperror.New(apperror.Invalid, "Primeの指定「%s」が読めません。一覧から選び直してください。", f.Prime)
	}
	day, err := order.ParseDay(f.ShipBy, "出荷期限")
	if err != nil {
		return err
	}
	if !day.IsZero() {
		q.ShipBy = day.AddDate(0, 0, 1) // the day is included
	}
	return nil
}

// shipByURL is the order list of a shop's orders at 発送待ち due by the end of the day of until,
// the soonest due first: the orders of 要対応's ship-by list, and those due later that day.
func shipByURL(shopID int64, until time.Time) string {
	day := until.In(order.JST).Format("2006-01-02")
	return orderFilter{Shop: i64toa(shopID), Market: string(order.StatusAwaitingShipment), ShipBy: day,
		Sort: "ship_by", Dir: "asc"}.url("/orders")
}

// shipByLeft is an order's LatestShipDate with the time left: 「2026/12/01 15:00 (あと5時間)」,
// or 「(2時間超過)」 when it has passed.
func shipByLeft(ctx context.Context, w attention.ShipByWait) string {
	at := when(w.Order.LatestShipDate)
	if w.Late() {
		return tf(ctx, "%s (%s超過)", at, hoursText(ctx, -w.Left))
	}
	return tf(ctx, "%s (あと%s)", at, hoursText(ctx, w.Left))
}

// hoursText is a duration in whole hours, a part of an hour as a whole one; under an hour in minutes.
func hoursText(ctx context.Context, d time.Duration) string {
	if d < time.Hour {
		return tf(ctx, "%d分", int((d+time.Minute-1)/time.Minute))
	}
	return tf(ctx, "%d時間", int((d+time.Hour-1)/time.Hour))
}
