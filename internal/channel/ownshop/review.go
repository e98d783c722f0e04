package ownshop

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// LinkPaymentError is the link status of an order whose card payment the review found wrong.
const LinkPaymentError workflow.LinkStatus = "ownshop_payment_error" // 決済確認エラー

// ReauthDaysLeft: with automatic re-authorisation on, an unshipped order is re-authorised once
// fewer days than this are left.
const ReauthDaysLeft = 7

// review is 決済確認 (payment_review): each card order of the target phase is read back from
// webコレクト (E04) and its payment status set from what webコレクト holds — 仮売上 with the days
// left, 決済完了, 注文キャンセル (a change made in webコレクト's own screen, which never reaches
// the cart), 仮売上期限切れ after 58 days, 要確認 when webコレクト has no authorisation. Only an
// order whose authorisation is good (仮売上 or 決済完了) moves on to the success phase.
func (c *Client) review(ctx context.Context, o order.Order) (channel.Result, error) {
	trade := TradeOf(o)
	info, found, err := c.Gateway.TradeInfo(ctx, trade)
	switch {
	case channel.ClassOf(err) == channel.Rejected:
		return channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentError), Message: messageOf(err), Refreshed: withPayment(o, order.CardFailed)}, nil
	case err != nil:
		return channel.Result{}, err
	case !found:
		return channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentError), Message: "クロネコwebコレクトに受付番号「" + trade + "」の与信がありません。" + MsgUnsettled,
			Refreshed: withPayment(o, order.CardUnsettled)}, nil
	case info.Lapsed():
		return channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentError), Message: MsgExpired, Refreshed: withPayment(o, order.CardExpired)}, nil
	case info.StatusInfo == webcollect.StatusAuthorized && c.AutoReauth && info.DaysLeft() < ReauthDaysLeft && len(o.Shipments) == 0:
		// Beyond the seed: the shop asked for re-authorisation (A11) before the limit of an
		// order not yet shipped, which restarts its 58 days.
		if _, err := c.Gateway.ReAuth(ctx, trade); err != nil {
			if channel.ClassOf(err) != channel.Rejected {
				return channel.Result{}, err
			}
			return channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentError),
				Message: fmt.Sprintf("売上確定の期限まであと%d日のため再与信(A11)しましたが、失敗しました: %s", info.DaysLeft(), messageOf(err)), Refreshed: withPayment(o, order.CardAuthorized)}, nil
		}
		return channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Refreshed: withPayment(o, order.CardAuthorized),
			Message: fmt.Sprintf("売上確定の期限まであと%d日だったため再与信(A11)し、期限を58日後に延ばしました。", info.DaysLeft())}, nil
	case info.StatusInfo == webcollect.StatusAuthorized:
		return channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus,
			Message:   fmt.Sprintf("仮売上(与信完了)を確認しました。売上確定の期限まであと%d日です。", info.DaysLeft()),
			Refreshed: withPayment(o, order.CardAuthorized)}, nil
	case info.StatusInfo.Captured():
		return channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Message: "クロネコwebコレクトで売上確定済み(決済完了)です。",
			Refreshed: withPayment(o, order.CardCaptured)}, nil
	case info.StatusInfo == webcollect.StatusCancelled:
		return channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentError),
			Message:   "クロネコwebコレクトで取消済みの取引です(webコレクトの管理画面で操作された可能性があります)。注文をキャンセルするか、決済方法を変更してください。",
			Refreshed: withPayment(o, order.CardCancelled)}, nil
	}
	return channel.Result{OrderID: o.ID, LinkStatus: string(LinkPaymentError),
		Message:   "クロネコwebコレクトの取引状況が「" + info.StatusInfo.Label() + "」です。" + webcollect.MsgCheckConsole,
		Refreshed: withPayment(o, order.CardFailed)}, nil
}
