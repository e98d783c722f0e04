package order

import (
	"testing"
	"time"
)

// TestDayRangeIsReadInJapanTime: each range's bounds on a day, taken in Japan time — 23:30 UTC on
// 2026-12-31 is already 2027-01-01 in Tokyo, so 今日 is New Year's Day and 先月 is December.
func TestDayRangeIsReadInJapanTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC) // 2027-01-01 08:30 JST
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, JST) }
	for _, c := range []struct {
		r        DayRange
		from, to time.Time
	}{
		{DayToday, day(2027, 1, 1), day(2027, 1, 2)},
		{DayYesterday, day(2026, 12, 31), day(2027, 1, 1)},
		{DayLast7, day(2026, 12, 26), day(2027, 1, 2)},
		{DayLast30, day(2026, 12, 3), day(2027, 1, 2)},
		{DayThisMonth, day(2027, 1, 1), day(2027, 2, 1)},
		{DayLastMonth, day(2026, 12, 1), day(2027, 1, 1)},
	} {
		from, to := c.r.Bounds(now)
		if !from.Equal(c.from) || !to.Equal(c.to) {
			t.Errorf("%s (%s): %s – %s, want %s – %s", c.r, c.r.Label(), from, to, c.from, c.to)
		}
	}
	if _, err := ParseDayRange("last8", "注文日"); err == nil {
		t.Error("last8 read as a day range")
	}
	if r, err := ParseDayRange("last7", "注文日"); err != nil || r != DayLast7 {
		t.Errorf("last7: %q %v", r, err)
	}
}
