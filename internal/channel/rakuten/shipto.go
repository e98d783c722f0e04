package rakuten

import (
	"context"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Which RMS operations change an order (注文内容修正, seed 003), from RMS's RakutenPayOrderAPI
// pages as copied in public clients (search index file id 69634449013; JakeJP/Rakuten.RMS.Api's
// RakutenPayOrderService): updateOrderSender changes, at 注文確認待ち, 楽天処理中 and 発送待ち
// (100, 200, 300) only, a package's ship-to (SenderModel), items, quantities, unit prices, tax
// rates, postage, 代引料, wrapping and the payment method, each package sent whole;
// updateOrderSenderAfterShipping does it after shipping; updateOrderOrderer the orderer and
// updateOrderDelivery the delivery method. Amounts are limited once paid: with 楽天共通決済 at
// settlement status 30400 no amount may change, with 選択制決済 only postage and 代引料.

// ShipToChangeable says whether RMS takes a change of an order's ship-to at this
// orderProgress, and if not, why, in words for the operator.
func ShipToChangeable(progress int) (bool, string) {
	switch {
	case progress >= ProgressUnconfirmed && progress <= ProgressAwaitingShip:
		return true, ""
	case progress == ProgressChanging:
		return false, "RMSで変更確定待ちの注文です。RMSで変更を確定してから、もう一度送付先を変更してください。"
	case progress >= ProgressCancelPending:
		return false, "キャンセル済み(キャンセル確定待ちを含む)の注文は送付先を変更できません。"
	default:
		return false, "発送済みの注文の送付先はAPIの updateOrderSender では変更できません。RMSの受注管理で変更してください。"
	}
}

// SetShipTo changes the ship-to of one of an order's packages at RMS (updateOrderSender), the
// rest of the package sent back as RMS holds it. The order is read first: a state RMS refuses
// the change in is refused here with the reason, and a ship-to RMS already holds (a lost answer
// whose request was applied, a second click) is not sent again. A lost answer is settled by
// reading the order back. It returns the order as RMS then holds it.
func (c *Client) SetShipTo(ctx context.Context, number string, basketID int64, to SenderModel) (order.Order, error) {
	if strings.TrimSpace(to.FamilyName) == "" || strings.TrimSpace(to.Prefecture) == "" || strings.TrimSpace(to.City) == "" ||
		strings.TrimSpace(to.SubAddress) == "" || strings.TrimSpace(to.ZipCode1) == "" || strings.TrimSpace(to.PhoneNumber1) == "" {
		return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: "updateOrderSender",
			Message: "送付先の氏名(姓)・郵便番号・都道府県・市区郡・それ以降の住所・電話番号は必須です。入力して、もう一度変更してください。"}
	}
	for attempt := 0; ; attempt++ {
		m, err := c.getOne(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		if ok, why := ShipToChangeable(m.OrderProgress); !ok {
			return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: "updateOrderSender", Message: why}
		}
		var pkg *PackageModel
		for i := range m.PackageModelList {
			if m.PackageModelList[i].BasketID == basketID {
				pkg = &m.PackageModelList[i]
			}
		}
		if pkg == nil {
			return order.Order{}, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: "updateOrderSender",
				Message: fmt.Sprintf("RMSの注文 %s に送付先ID %d がありません。注文を取り込み直してから変更してください。", number, basketID)}
		}
		if pkg.SenderModel == to {
			return ToOrder(m) // RMS holds it already
		}
		req := UpdateOrderSenderRequest{OrderNumber: number, PackageModelList: []SenderPackage{{BasketID: pkg.BasketID, PostagePrice: pkg.PostagePrice,
			DeliveryPrice: pkg.DeliveryPrice, SenderModel: to, ItemModelList: pkg.ItemModelList}}}
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
