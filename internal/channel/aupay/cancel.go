package aupay

import (
	"context"
	"errors"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// cancelTradeProc takes shopId, orderId, cancelReason and cancelComment; au publishes no table
// of cancelReason codes and the clients found send "9" (marketplace-apis.md §2, [S7]), so that
// is the one reason offered. The simulator refuses a completed or cancelled trade, as Wow!
// manager lets a shop cancel a trade only until it is completed.

// CancelSpec is what au PAY Market accepts of a cancellation through the API.
var CancelSpec = &channel.CancelSpec{
	Reasons: []channel.CancelReason{{Code: "9", Label: "その他"}},
	Statuses: []order.MarketplaceStatus{order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingPayment,
		order.StatusAwaitingShipment, order.StatusShipped, order.StatusOnHold},
	Refusal: "au PAY マーケットでAPIからキャンセルできるのは、完了・キャンセル前の取引だけです。Wow! managerで取引の状態を確認してください。",
}

// Cancel cancels a trade at au PAY Market (cancelTradeProc). The trade is read first: one
// cancelled already is returned as it is (a lost answer's cancellation is never sent again),
// one completed is refused with what to do; a lost answer is settled by reading the trade back,
// au applying writes at once.
func (c *Client) Cancel(ctx context.Context, number, reason string) (order.Order, error) {
	if _, ok := CancelSpec.Reason(reason); !ok {
		return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: Channel, Operation: OpCancelTrade,
			Message: fmt.Sprintf("キャンセル理由「%s」はau PAY マーケットに送れません。一覧から選んでください。", reason)}
	}
	for attempt := 0; ; attempt++ {
		t, err := c.GetTrade(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		status := StatusOf(t.OrderStatus)
		switch {
		case status == order.StatusCancelled:
			return ToOrder(t)
		case !CancelSpec.Allows(status):
			return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: Channel, Operation: OpCancelTrade,
				Message: fmt.Sprintf("au PAY マーケットでの状態が「%s」のため、キャンセルできません。", t.OrderStatus) + CancelSpec.Refusal}
		}
		err = c.CancelTrade(ctx, number, reason, "ichigenからのキャンセル")
		var e *channel.Error
		switch {
		case channel.ClassOf(err) == channel.UnknownOutcome && attempt < 2:
			continue // read back: applied, or send again
		case errors.As(err, &e) && e.Code == CodeCancelled && attempt < 2:
			continue // cancelled meanwhile: the read says so
		case err != nil:
			return order.Order{}, err
		}
		t, err = c.GetTrade(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		return ToOrder(t)
	}
}
