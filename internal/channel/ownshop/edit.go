package ownshop

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
)

// What the own cart's client offers besides channel.Client; the build fails if one stops.
var _ channel.OrderEditor = (*Client)(nil)

// EditSpec: the own cart's orders are ichigen's to change (the cart sends them and is done);
// what holds them back is the card payment, which the client checks (seed 004, 注文内容の修正).
var EditSpec = &channel.EditSpec{
	Fields:  []channel.EditField{channel.EditShipTo, channel.EditPostage, channel.EditPaymentFee, channel.EditLines},
	Refusal: "出荷済み・キャンセル済みの注文は変更できません。",
}

// EditOrder makes a change to an own-cart order. A card order is changed only while 仮売上, and
// a change of its requested amount goes to webコレクト (A07) in the same step, before the order
// changes in ichigen: refused there, nothing changes. After capture (決済完了) it is refused with
// the seed's words; in any other card status too. A lost A07 answer is settled by reading the
// trade back (ChangeAmount).
func (c *Client) EditOrder(ctx context.Context, o order.Order, ch order.Change) (order.Order, error) {
	op := webcollect.FuncCreditChangePrice.Name
	switch o.MarketplaceStatus {
	case order.StatusShipped, order.StatusCompleted, order.StatusCancelled, order.StatusCancelPending:
		return o, refuse(op, EditSpec.Refusal)
	}
	got := applyToCart(o, ch)
	if !o.PaymentStatus.Card() {
		return got, nil
	}
	if o.PaymentStatus != order.CardAuthorized {
		msg := MsgChangeOnlyAuthorized
		if o.PaymentStatus == order.CardCaptured {
			msg = MsgChangeCaptured
		}
		return o, refuse(op, msg)
	}
	before, _ := o.Amounts.Requested.Value()
	after, ok := got.Amounts.Requested.Value()
	if !ok || after <= 0 {
		return o, refuse(op, "変更後の請求金額が0円以下になるため、決済金額を変更できません。数量・単価を見直すか、キャンセルしてください。")
	}
	if after == before {
		return got, nil
	}
	if _, err := c.ChangeAmount(ctx, o, after); err != nil {
		return o, err
	}
	return got, nil
}

// applyToCart makes the change to the cart order the order was stored from, so that its raw
// payload (the audit copy) and its amounts say the same, and maps it again; ichigen's own state
// of the order (payment and marketplace status, phase) stays. An order whose payload is no cart
// order takes the change as order.Change.Apply makes it.
func applyToCart(o order.Order, ch order.Change) order.Order {
	var c CartOrder
	if json.Unmarshal(o.RawPayload, &c) != nil || len(c.Lines) != len(o.Lines) {
		return ch.Apply(o)
	}
	if s := ch.ShipTo; s != nil {
		p := s.Person()
		c.ShipTo = CartPerson{Name: p.Name, Phone: p.Phone, Zip: p.Zip, Address: p.Address}
	}
	for _, l := range ch.Lines {
		c.Lines[l.Line].Quantity, c.Lines[l.Line].UnitPrice = l.Quantity, l.UnitPrice
	}
	if ch.Postage != nil {
		c.Postage = *ch.Postage
	}
	if ch.PaymentFee != nil {
		c.Fee = *ch.PaymentFee
	}
	total, _ := ch.Apply(o).Amounts.Total.Value()
	c.Total = total
	if c.Payment.Amount != 0 {
		c.Payment.Amount = total
	}
	c.UpdatedAt = o.MarketplaceUpdatedAt.Add(time.Second)
	got := ToOrder(c)
	got.ID, got.ShopID, got.PhaseID = o.ID, o.ShopID, o.PhaseID
	got.PaymentStatus, got.PaidOn, got.MarketplaceStatus, got.MarketplaceStatusRaw = o.PaymentStatus, o.PaidOn, o.MarketplaceStatus, o.MarketplaceStatusRaw
	return got
}
