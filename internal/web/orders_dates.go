package web

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Relative order days (issue 20 item 3): the search form's 今日 / 昨日 / 過去7日 / 過去30日 / 今月 /
// 先月 beside the date fields. The list's URL carries the range (date=last7), not its days, so a
// bookmark or a saved search of 「過去7日」 is the last seven days whenever it is opened; the store
// reads it in Japan time when the search runs (store.OrderQuery.OrderedWithin).

// dayRangeChoices are the relative ranges the form offers.
func dayRangeChoices() []choice {
	out := make([]choice, len(order.DayRanges))
	for i, r := range order.DayRanges {
		out[i] = choice{string(r), r.Label()}
	}
	return out
}

// daySpan says which days a range stands for on now's day, 「2026/11/25〜2026/12/01」; "" for none.
func daySpan(r order.DayRange, now time.Time) string {
	if !r.Valid() {
		return ""
	}
	from, to := r.Bounds(now)
	const layout = "2006/01/02"
	last := to.AddDate(0, 0, -1)
	if last.Equal(from) {
		return from.Format(layout)
	}
	return from.Format(layout) + "〜" + last.Format(layout)
}
