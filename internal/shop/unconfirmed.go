package shop

import "time"

// UnconfirmedCancelAfter is how long the channel's marketplace keeps an order left unconfirmed
// (注文確認待ち) before cancelling it, counted from the order: RMS cancels after 14 days. 0 when
// the marketplace does not.
func (c Channel) UnconfirmedCancelAfter() time.Duration {
	if c == Rakuten {
		return 14 * 24 * time.Hour
	}
	return 0
}
