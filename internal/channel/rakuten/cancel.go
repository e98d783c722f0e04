package rakuten

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// RMS cancelOrder (キャンセル申請) is valid only for orders at 100 注文確認待ち, 200 楽天処理中 and
// 300 発送待ち; after shipping it is cancelOrderAfterShipping, which cancels outright and is
// meant for goods already returned (JakeJP/Rakuten.RMS.Api RakutenPayOrderService.cs;
// marketplace-apis.md §1). changeReasonDetailApply is one of the reasons below, and
// inventoryRestoreType 0 follows each item's own stock setting.

// CancelSpec is what RMS accepts of a cancellation through the API.
var CancelSpec = &channel.CancelSpec{
	Reasons: []channel.CancelReason{
		{Code: "1", Label: "お客様都合: キャンセル"},
		{Code: "4", Label: "お客様都合: 未入金"},
		{Code: "6", Label: "お客様都合: その他"},
		{Code: "8", Label: "店舗都合: 欠品"},
		{Code: "13", Label: "店舗都合: 発送遅延"},
		{Code: "14", Label: "店舗都合: 顧客・配送対応注意表示"},
		{Code: "10", Label: "店舗都合: その他"},
	},
	Statuses: []order.MarketplaceStatus{order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingShipment},
	Refusal:  "RMSでAPIからキャンセルできるのは注文確認待ち・楽天処理中・発送待ちの注文だけです。発送後の注文は、返品を確かめてからRMSの「発送後のキャンセル」で処理してください。",
}

// Cancel applies for the cancellation of an order at RMS (cancelOrder, キャンセル申請), which
// moves it to キャンセル確定待ち. The order is read first: one RMS holds cancelled or about to be
// is returned as it is (a lost answer's cancellation is never sent again), one in another state
// than those CancelSpec allows is refused with what to do.
func (c *Client) Cancel(ctx context.Context, number, reason string) (order.Order, error) {
	code, err := strconv.Atoi(reason)
	if _, ok := CancelSpec.Reason(reason); !ok || err != nil {
		return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: Name, Operation: "cancelOrder",
			Message: fmt.Sprintf("キャンセル理由「%s」はRMSにありません。一覧から選んでください。", reason)}
	}
	for attempt := 0; ; attempt++ {
		m, err := c.getOne(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		switch {
		case m.OrderProgress == ProgressCancelPending || m.OrderProgress == ProgressCancelConfirmed:
			return ToOrder(m)
		case !CancelSpec.Allows(StatusOf(m.OrderProgress)):
			return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: Name, Operation: "cancelOrder",
				Message: fmt.Sprintf("RMSでの状態が「%s」のため、キャンセルできません。", StatusOf(m.OrderProgress).Label()) + CancelSpec.Refusal}
		}
		var resp MessagesResponse
		err = c.post(ctx, "cancelOrder", CancelOrderRequest{OrderNumber: number, InventoryRestoreType: 0, ChangeReasonDetailApply: code}, &resp)
		if channel.ClassOf(err) == channel.UnknownOutcome && attempt < unknownOutcomeRetries {
			continue // read back: applied, or send again
		}
		if err != nil {
			return order.Order{}, err
		}
		for _, msg := range resp.MessageModelList {
			if msg.MessageType == "ERROR" {
				return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: Name, Operation: "cancelOrder", Code: msg.MessageCode, Message: msg.Message}
			}
		}
		m, err = c.getOne(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		return ToOrder(m)
	}
}
