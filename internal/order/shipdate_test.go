package order

import (
	"strings"
	"testing"
	"time"
)

// TestShipDateIsRefusedOutsideItsWindow: a ship date is taken from the day before the order (in
// Japan time) to MaxShipDaysAhead days after today; the refusal says the range allowed.
func TestShipDateIsRefusedOutsideItsWindow(t *testing.T) {
	t.Parallel()
	ordered := time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC) // 2026/11/01 10:00 in Japan
	now := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)   // 2026/11/21 01:00 in Japan
	for date, ok := range map[string]bool{
		"2026-10-31": true, // a shop ships before the buyer's late-night order is dated
		"2026-10-30": false,
		"2026-11-21": true,
		"2026-11-28": true, // seven days ahead
		"2026-11-29": false,
		"2099-12-31": false,
		"2000-01-01": false,
	} {
		msg := CheckShipDate(date, ordered, now)
		switch {
		case ok && msg != "":
			t.Errorf("%s refused: %s", date, msg)
		case !ok && !strings.Contains(msg, "受け付けられるのは 2026/10/31 から 2026/11/28 までです"):
			t.Errorf("%s: %q, want a refusal with the range", date, msg)
		}
	}
	if msg := CheckShipDate("2026-11-20", time.Time{}, now); msg != "" {
		t.Errorf("an order without an order time refused a ship date: %s", msg)
	}
}
