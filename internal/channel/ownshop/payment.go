package ownshop

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
)

// What the own cart's client offers besides channel.Client; the build fails if one stops.
var _ channel.PaymentManager = (*Client)(nil)

// The seed's instructions (004, キャンセル処理 / 注文内容の修正) for a cancel or a change ichigen
// does not send.
const (
	MsgCancelCaptured       = "「決済完了」の注文は、ichigen からキャンセルできません。別途クロネコwebコレクトの管理画面より、処理をおこなってください(管理画面で操作した内容は ichigen に連携されません)。"
	MsgCancelUnsettled      = "「要確認」の注文は、キャンセル処理がクロネコwebコレクトに連動されません。必ずクロネコwebコレクト管理画面にてご確認ください。"
	MsgChangeCaptured       = "「決済完了」の注文は、ichigen から内容を修正できません(「仮売上」の注文だけ修正でき、決済金額もあわせて変更されます)。"
	MsgChangeOnlyAuthorized = "注文内容の修正(決済金額の変更)は、決済ステータスが「仮売上」の注文だけおこなえます。"
)

func refuse(op, message string) error {
	return &channel.Error{Class: channel.Rejected, Channel: Channel, Operation: op, Message: message}
}

// CancelPayment cancels the order's authorisation at webコレクト (A06), only while 仮売上: the
// order becomes 注文キャンセル. A lost answer is settled by reading the trade back (E04).
func (c *Client) CancelPayment(ctx context.Context, o order.Order) (order.Order, error) {
	op := webcollect.FuncCreditCancel.Name
	switch o.PaymentStatus {
	case order.CardAuthorized:
	case order.CardCaptured:
		return o, refuse(op, MsgCancelCaptured)
	case order.CardUnsettled:
		return o, refuse(op, MsgCancelUnsettled)
	case order.CardExpired:
		return o, refuse(op, MsgExpired)
	case order.CardCancelled:
		return o, refuse(op, "すでに注文キャンセル済みです。")
	default:
		return o, refuse(op, "クロネコwebコレクトのカード決済で「仮売上」の注文だけ、ichigen からキャンセルできます。")
	}
	trade := TradeOf(o)
	_, err := c.Gateway.Cancel(ctx, trade, nil)
	if channel.ClassOf(err) == channel.UnknownOutcome {
		info, found, rerr := c.Gateway.TradeInfo(ctx, trade)
		if rerr == nil && found && info.StatusInfo == webcollect.StatusCancelled {
			err = nil
		}
	}
	if err != nil {
		return o, err
	}
	o.PaymentStatus, o.MarketplaceStatus, o.MarketplaceStatusRaw = order.CardCancelled, order.StatusCancelled, "cancelled"
	o.MarketplaceUpdatedAt = o.MarketplaceUpdatedAt.Add(time.Second)
	return o, nil
}

// ChangeAmount changes the authorised amount at webコレクト (A07), only while 仮売上. A lost
// answer is settled by reading the trade back (E04).
func (c *Client) ChangeAmount(ctx context.Context, o order.Order, amount int64) (order.Order, error) {
	op := webcollect.FuncCreditChangePrice.Name
	switch o.PaymentStatus {
	case order.CardAuthorized:
	case order.CardCaptured:
		return o, refuse(op, MsgChangeCaptured)
	default:
		return o, refuse(op, MsgChangeOnlyAuthorized)
	}
	trade := TradeOf(o)
	_, err := c.Gateway.ChangePrice(ctx, trade, amount, nil)
	if channel.ClassOf(err) == channel.UnknownOutcome {
		info, found, rerr := c.Gateway.TradeInfo(ctx, trade)
		if rerr == nil && found && info.SettlePrice == amount {
			err = nil
		}
	}
	return o, err
}
