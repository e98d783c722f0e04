package channel

import (
	"context"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// OrderEditor changes an order's contents at its marketplace (注文内容修正, seed 003) and returns
// the order as the marketplace then holds it. It is given the order as ichigen stores it. The
// order is read first where the marketplace holds it: a state the marketplace refuses the
// change in is refused (channel.Rejected) with why, and a change the marketplace holds already
// (a lost answer whose request was applied, a second click) is not sent again.
type OrderEditor interface {
	EditOrder(ctx context.Context, o order.Order, ch order.Change) (order.Order, error)
}

// EditField is one part of an order a marketplace may let change through its API.
type EditField string

// The parts of an order a change may touch.
const (
	EditShipTo     EditField = "ship_to"
	EditPostage    EditField = "postage"
	EditPaymentFee EditField = "payment_fee"
	EditLines      EditField = "lines"
)

// EditSpec is what a marketplace takes of a change to an order through its API. A channel with
// no API for it still has one, with no Fields and a Refusal that says where to change the order
// instead (au PAY: its store manager).
type EditSpec struct {
	// Fields are the parts the marketplace takes; none when it takes no change at all.
	Fields []EditField
	// Statuses are the marketplace statuses in which it takes a change; nil: any open one
	// (the client then refuses by its own rules, as the own cart does by payment status).
	Statuses []order.MarketplaceStatus
	// Refusal tells the operator what to do when the marketplace will not take the change.
	Refusal string
}

// Takes says whether the marketplace takes a change of field f.
func (e *EditSpec) Takes(f EditField) bool {
	return e != nil && slices.Contains(e.Fields, f)
}

// Allows says whether the marketplace takes a change of an order in status s.
func (e *EditSpec) Allows(s order.MarketplaceStatus) bool {
	if e == nil || len(e.Fields) == 0 || s.Cancelled() {
		return false
	}
	return e.Statuses == nil || slices.Contains(e.Statuses, s)
}

// ChangeFields lists the parts a change touches.
func ChangeFields(c order.Change) []EditField {
	var out []EditField
	if c.ShipTo != nil {
		out = append(out, EditShipTo)
	}
	if c.Postage != nil {
		out = append(out, EditPostage)
	}
	if c.PaymentFee != nil {
		out = append(out, EditPaymentFee)
	}
	if len(c.Lines) > 0 {
		out = append(out, EditLines)
	}
	return out
}
