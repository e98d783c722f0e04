package web

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// unfixedPostageURL is the order list of a shop's orders waiting for their postage, the oldest
// (the soonest cancelled) first.
func unfixedPostageURL(shopID int64) string {
	return orderFilter{Shop: i64toa(shopID), Postage: postageUnfixed, Market: string(order.StatusUnconfirmed), Dir: "asc"}.url("/orders")
}

// cancelCountdown is the day the marketplace cancels an order with the days left:
// 「2026/12/01 (あと3日)」.
func cancelCountdown(ctx context.Context, w attention.PostageWait) string {
	day := w.CancelAt.In(order.JST).Format("2006/01/02")
	if w.DaysLeft <= 0 {
		return day + " " + t(ctx, "(期限切れ)")
	}
	return day + " " + tf(ctx, "(あと%d日)", w.DaysLeft)
}
