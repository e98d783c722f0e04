package ownshop

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
)

// CheckDrift reads an open card order's trade back from webコレクト (E04) and says whether its
// state there differs from the order's payment status: cancelled or captured in webコレクト's own
// screen, lapsed, or gone. Nothing is written to webコレクト.
func (c *Client) CheckDrift(ctx context.Context, o order.Order) (order.Order, string, error) {
	trade := TradeOf(o)
	info, found, err := c.Gateway.TradeInfo(ctx, trade)
	if err != nil {
		return o, "", err
	}
	held := order.CardFailed
	switch {
	case !found:
		held = order.CardUnsettled
	case info.Lapsed():
		held = order.CardExpired
	case info.StatusInfo == webcollect.StatusAuthorized:
		held = order.CardAuthorized
	case info.StatusInfo.Captured():
		held = order.CardCaptured
	case info.StatusInfo == webcollect.StatusCancelled:
		held = order.CardCancelled
	}
	if held == o.PaymentStatus {
		return o, "", nil
	}
	msg := fmt.Sprintf("決済ステータスの不一致: ichigen では「%s」ですが、クロネコwebコレクトの取引(受付番号 %s)は「%s」でした。webコレクトの管理画面で直接操作された可能性があります。決済ステータスを「%s」に合わせました。管理画面で取引を確認してください。",
		o.PaymentStatus.Label(), trade, held.Label(), held.Label())
	return *withPayment(o, held), msg, nil
}
