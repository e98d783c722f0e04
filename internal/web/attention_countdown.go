package web

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// countdownURL is the order list of a countdown's orders, the oldest (the soonest cancelled)
// first. The list's dates are whole days, so it may show a few more orders of its first and last
// days than the countdown counts.
func countdownURL(c attention.Countdown, now time.Time) string {
	q := c.Query
	f := orderFilter{Shop: i64toa(q.ShopID), Market: string(q.MarketplaceStatus), Payment: string(q.PaymentStatus),
		To: now.Add(-attention.StuckAfter).In(order.JST).Format(time.DateOnly), Dir: "asc"}
	if !q.OrderedFrom.IsZero() {
		f.From = q.OrderedFrom.In(order.JST).Format(time.DateOnly)
	}
	return f.url("/orders")
}

// The English of the held-up orders' texts, kept beside them so that merges do not meet in
// i18n.go.
func init() {
	for ja, en := range map[string]string{
		"注文確認待ちのまま1日以上たった注文が%s件あります。":        "%s orders have waited unconfirmed for more than a day.",
		"審査中のまま1日以上、お客様の入金を待っている注文が%s件あります。": "%s orders have waited in review for the buyer's payment for more than a day.",
		"入金待ちのまま1日以上たった注文が%s件あります。":          "%s orders have waited for payment for more than a day.",
		"注文日から%d日たつと、モールがキャンセルします。":          "The marketplace cancels them %d days after the order.",
		"直し方: 注文確認の自動処理が止まっていないか、連携エラーになっていないかを確かめ、注文確認の処理フェーズに移動して注文確認してください。":         "To fix: check that the confirm rule runs and the orders are not in a link error, then move them to the confirm rule's phase to confirm them.",
		"モールが入金を確認すると発送待ちになり、自動で入金済みになります。期限までに入金がないとモールがキャンセルします。必要ならお客様に支払いをご案内ください。": "Once the marketplace sees the payment the order becomes ready to ship and paid on its own; unpaid by the deadline, the marketplace cancels it. Remind the buyer if needed.",
		"店舗が代金を受け取る決済です。入金を確かめたら、一覧で選んで「入金確認」してください。":                                   "The shop collects these payments itself. Once the money is in, select them in the list and confirm the payment.",
	} {
		english[ja] = en
	}
}
