package order

import (
	"fmt"
	"time"
)

// MaxShipDaysAhead is how far after today (Japan time) a ship date may lie. Neither RMS nor au
// PAY documents a window (marketplace-apis.md), and a shipment is reported once its parcel is
// handed over, so a date far ahead is a typo (2099-12-31 was once reported to Rakuten and the
// order completed); a week leaves room for entering a planned dispatch a few days early.
const MaxShipDaysAhead = 7

// CheckShipDate checks a ship date (YYYY-MM-DD, Japan time) against the days it can be: from
// the day before the order was placed (a late-night order may be packed the same evening the
// marketplace dates the next day) to MaxShipDaysAhead days after today. It returns the
// operator's message, or "" when the date is within them; an order without an order time is
// checked against the upper bound only.
func CheckShipDate(date string, orderedAt, now time.Time) string {
	d, err := time.ParseInLocation(time.DateOnly, date, JST)
	if err != nil {
		return fmt.Sprintf("発送日「%s」が読めません。2026-11-01 の形で入力してください。", date)
	}
	today := now.In(JST)
	latest := time.Date(today.Year(), today.Month(), today.Day()+MaxShipDaysAhead, 0, 0, 0, 0, JST)
	var earliest time.Time
	if !orderedAt.IsZero() {
		o := orderedAt.In(JST)
		earliest = time.Date(o.Year(), o.Month(), o.Day()-1, 0, 0, 0, 0, JST)
	}
	if !d.After(latest) && !d.Before(earliest) {
		return ""
	}
	allowed := fmt.Sprintf("%s まで", latest.Format("2006/01/02"))
	if !earliest.IsZero() {
		allowed = fmt.Sprintf("%s から %s まで", earliest.Format("2006/01/02"), latest.Format("2006/01/02"))
	}
	return fmt.Sprintf("発送日「%s」は受け付けられません。受け付けられるのは %sです(注文日の前日から、今日の%d日後まで)。実際に発送した日を入力してください。",
		d.Format("2006/01/02"), allowed, MaxShipDaysAhead)
}
