package rakuten

import (
	"context"
	"fmt"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// SetPostage sets an order's postage at RMS ([入力内容を反映する]), the fix for an order refused
// with 「送料が未設定の注文です」 (postage -9999): the first package whose postage is not fixed
// takes it, or the first package when all are. The order is read first and its package sent
// back whole with the new postage; a lost answer is settled by reading the order again. It
// returns the order as RMS then holds it.
func (c *Client) SetPostage(ctx context.Context, number string, postage int64) (order.Order, error) {
	if postage < 0 || postage > 1_000_000 {
		return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: "updateOrderSender",
			Message: fmt.Sprintf("送料 %d 円は設定できません。0円以上の金額を入力してください。", postage)}
	}
	for attempt := 0; ; attempt++ {
		m, err := c.getOne(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		if m.OrderProgress > ProgressChanging {
			return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: "updateOrderSender",
				Message: "発送済み・キャンセル済みの注文は送料を変更できません。RMSで注文の状態を確認してください。"}
		}
		if len(m.PackageModelList) == 0 {
			return order.Order{}, c.transport().Malformed("getOrder", 200, fmt.Errorf("order %s has no package", number))
		}
		i := max(0, slices.IndexFunc(m.PackageModelList, func(p PackageModel) bool { return p.PostagePrice == Unfixed }))
		p := m.PackageModelList[i]
		if p.PostagePrice == postage && m.PostagePrice != Unfixed {
			return ToOrder(m) // RMS holds it already (a lost request was applied)
		}
		req := UpdateOrderSenderRequest{OrderNumber: number, PackageModelList: []SenderPackage{{BasketID: p.BasketID, PostagePrice: postage,
			DeliveryPrice: p.DeliveryPrice, SenderModel: p.SenderModel, ItemModelList: p.ItemModelList}}}
		var resp MessagesResponse
		err = c.post(ctx, "updateOrderSender", req, &resp)
		if channel.ClassOf(err) == channel.UnknownOutcome && attempt < unknownOutcomeRetries {
			continue // read back: applied, or send again
		}
		if err != nil {
			return order.Order{}, err
		}
		m, err = c.getOne(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		return ToOrder(m)
	}
}

func (c *Client) getOne(ctx context.Context, number string) (OrderModel, error) {
	models, err := c.GetOrders(ctx, []string{number})
	if err != nil {
		return OrderModel{}, err
	}
	for _, m := range models {
		if m.OrderNumber == number {
			return m, nil
		}
	}
	return OrderModel{}, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: "getOrder",
		Message: "RMSにこの注文番号の注文がありません。注文番号を確認してください。"}
}
