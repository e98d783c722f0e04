package rakuten

import (
	"context"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// MsgReviewNG is the error of an order whose payment review failed.
const MsgReviewNG = "決済審査の結果、楽天で注文がキャンセル(キャンセル確定待ち)になりました。RMSで理由を確認し、必要ならお客様に連絡してください。"

// MsgAwaitingPayment is the message of a prepaid order (銀行振込, コンビニ前払) RMS holds in
// 楽天処理中 until the buyer pays; %s is the payment method.
const MsgAwaitingPayment = "お客様の「%s」の入金を待っています。楽天が入金を確認すると発送待ちになり、次の決済審査結果確認で進みます(操作は要りません)。入金期限を過ぎると楽天が注文をキャンセルします。"

// Prepaid says whether a payment method is paid by the buyer before RMS lets the order go to
// 発送待ち (銀行振込 and the convenience-store 前払 methods).
func Prepaid(method string) bool {
	return strings.Contains(method, "振込") || strings.Contains(method, "前払")
}

// ReviewPayments reads confirmed orders back (決済審査結果確認): an order RMS has moved to 発送待ち
// passed its review — a common-settlement order is then paid (入金済み), a selective one stays
// 未入金 for the shop to collect; an order RMS cancelled failed it; an order still 楽天処理中 is
// left for the next look.
func (c *Client) ReviewPayments(ctx context.Context, orders []order.Order) ([]channel.Result, error) {
	byNumber := make(map[string]order.Order, len(orders))
	numbers := make([]string, 0, len(orders))
	for _, o := range orders {
		byNumber[o.Number] = o
		numbers = append(numbers, o.Number)
	}
	models, err := c.GetOrdersAll(ctx, numbers)
	var results []channel.Result
	for _, m := range models {
		o := byNumber[m.OrderNumber]
		fresh, cerr := ToOrder(m)
		if cerr != nil {
			return results, cerr
		}
		switch {
		case m.OrderProgress == ProgressCancelPending || m.OrderProgress == ProgressCancelConfirmed:
			results = append(results, channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentReviewNG), Message: MsgReviewNG, Refreshed: &fresh})
		case m.OrderProgress >= ProgressAwaitingShip:
			results = append(results, channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkPaymentReviewed), Refreshed: &fresh})
		case m.OrderProgress == ProgressInReview && Prepaid(fresh.PaymentMethod):
			// Still 楽天処理中 because the buyer has not paid: say so, rather than leave the
			// order silent in the phase; the rule's sweep looks again.
			results = append(results, channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: fmt.Sprintf(MsgAwaitingPayment, fresh.PaymentMethod),
				Refreshed: &fresh, Pending: true})
		}
	}
	if err != nil {
		return results, err
	}
	return results, nil
}
