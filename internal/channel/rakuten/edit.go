package rakuten

import (
	"context"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// What the Rakuten client offers besides channel.Client; the build fails if one stops.
var _ channel.OrderEditor = (*Client)(nil)

// EditSpec is what RMS takes of a change to an order through updateOrderSender: a package's
// ship-to (SenderModel), its postage (postagePrice), its 代引料 (deliveryPrice, the payment fee
// of a 代金引換 order) and its items' units and price (ItemModelList), at 注文確認待ち, 楽天処理中
// and 発送待ち only (RMS's RakutenPayOrderAPI pages as copied in JakeJP/Rakuten.RMS.Api
// docs/reference/rakuten.rms.api.rakutenpayorderapi.packagemodel.md — deliveryPrice 代引料,
// totalPrice 商品代金+送料+消費税+代引手数料 — and search index file id 69634449013). After
// shipping it is updateOrderSenderAfterShipping's, which ichigen does not send.
var EditSpec = &channel.EditSpec{
	Fields:   []channel.EditField{channel.EditShipTo, channel.EditPostage, channel.EditPaymentFee, channel.EditLines},
	Statuses: []order.MarketplaceStatus{order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingShipment},
	Refusal:  "楽天では発送前(注文確認待ち・楽天処理中・発送待ち)の注文だけAPIで内容を変更できます。発送後の変更はRMSの受注管理でおこなってください。",
}

// EditOrder changes an order at RMS (updateOrderSender): the package the change names is read
// from RMS and sent back whole with the new ship-to, postage, 代引料 and items' units and prices
// (lines are counted across packages in RMS's order, as ToOrder lists them). The order is read
// first: a state RMS refuses the change in is refused with the reason, a change RMS holds
// already is not sent again, and a lost answer is settled by reading the order back.
func (c *Client) EditOrder(ctx context.Context, o order.Order, ch order.Change) (order.Order, error) {
	number := o.MarketplaceNumber()
	refuse := func(msg string) error {
		return &channel.Error{Class: channel.Rejected, Channel: Name, Operation: "updateOrderSender", Message: msg}
	}
	for attempt := 0; ; attempt++ {
		m, err := c.getOne(ctx, number)
		if err != nil {
			return order.Order{}, err
		}
		if ok, why := ShipToChangeable(m.OrderProgress); !ok {
			return order.Order{}, refuse(strings.ReplaceAll(why, "送付先を", "注文内容を"))
		}
		if ch.PaymentFee != nil && m.SettlementModel.SettlementMethod != "代金引換" {
			return order.Order{}, refuse(fmt.Sprintf("楽天でAPIから変更できる決済手数料は代金引換の代引料だけです(この注文の支払方法: %s)。RMSの受注管理で確認してください。", m.SettlementModel.SettlementMethod))
		}
		req, changed, err := senderRequest(m, ch)
		if err != nil {
			return order.Order{}, refuse(err.Error())
		}
		if !changed {
			return ToOrder(m) // RMS holds it already (a lost request was applied, a second click)
		}
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

// senderRequest builds the updateOrderSender request of a change: every package it touches,
// whole, as RMS holds it with the change made. changed is false when RMS holds the change
// already.
func senderRequest(m OrderModel, ch order.Change) (UpdateOrderSenderRequest, bool, error) {
	if len(m.PackageModelList) == 0 {
		return UpdateOrderSenderRequest{}, false, fmt.Errorf("RMSの注文 %s に送付先がありません。RMSの受注管理で確認してください。", m.OrderNumber)
	}
	pkgs := make([]PackageModel, len(m.PackageModelList))
	for i, p := range m.PackageModelList {
		p.ItemModelList = append([]ItemModel(nil), p.ItemModelList...)
		pkgs[i] = p
	}
	touched := map[int]bool{}
	if s := ch.ShipTo; s != nil {
		i := 0
		if s.PackageKey != "" {
			i = -1
			for j, p := range pkgs {
				if fmt.Sprint(p.BasketID) == s.PackageKey {
					i = j
				}
			}
			if i < 0 {
				return UpdateOrderSenderRequest{}, false, fmt.Errorf("RMSの注文 %s に送付先ID %s がありません。注文を取り込み直してから変更してください。", m.OrderNumber, s.PackageKey)
			}
		}
		to := senderOf(*s, pkgs[i].SenderModel)
		if to != pkgs[i].SenderModel {
			pkgs[i].SenderModel, touched[i] = to, true
		}
	}
	// Postage and 代引料 are the order's: the first package takes them, the others keep theirs.
	if ch.Postage != nil && pkgs[0].PostagePrice != *ch.Postage {
		pkgs[0].PostagePrice, touched[0] = *ch.Postage, true
	}
	if ch.PaymentFee != nil && pkgs[0].DeliveryPrice != *ch.PaymentFee {
		pkgs[0].DeliveryPrice, touched[0] = *ch.PaymentFee, true
	}
	for _, l := range ch.Lines {
		n := l.Line
		found := false
		for i := range pkgs {
			if n < len(pkgs[i].ItemModelList) {
				it := &pkgs[i].ItemModelList[n]
				if it.Units != l.Quantity || it.Price != l.UnitPrice {
					it.Units, it.Price, it.PriceTaxIncl, touched[i] = l.Quantity, l.UnitPrice, l.UnitPrice, true
				}
				found = true
				break
			}
			n -= len(pkgs[i].ItemModelList)
		}
		if !found {
			return UpdateOrderSenderRequest{}, false, fmt.Errorf("RMSの注文 %s に %d 行目の商品がありません。注文を取り込み直してから変更してください。", m.OrderNumber, l.Line+1)
		}
	}
	req := UpdateOrderSenderRequest{OrderNumber: m.OrderNumber}
	for i, p := range pkgs {
		if touched[i] {
			req.PackageModelList = append(req.PackageModelList, SenderPackage{BasketID: p.BasketID, PostagePrice: p.PostagePrice,
				DeliveryPrice: p.DeliveryPrice, SenderModel: p.SenderModel, ItemModelList: p.ItemModelList})
		}
	}
	return req, len(req.PackageModelList) > 0, nil
}

// senderOf is a ship-to in RMS's parts: the postcode split 3+4, the phone number in its three
// parts where it has hyphens (else whole in the first), the kana kept from the package.
func senderOf(s order.ShipTo, was SenderModel) SenderModel {
	zip := strings.ReplaceAll(strings.ReplaceAll(s.Zip, "-", ""), "ー", "")
	to := was
	to.FamilyName, to.FirstName = strings.TrimSpace(s.FamilyName), strings.TrimSpace(s.FirstName)
	to.Prefecture, to.City, to.SubAddress = strings.TrimSpace(s.Prefecture), strings.TrimSpace(s.City), strings.TrimSpace(s.Street)
	to.ZipCode1, to.ZipCode2 = zip, ""
	if len(zip) == 7 {
		to.ZipCode1, to.ZipCode2 = zip[:3], zip[3:]
	}
	parts := strings.SplitN(strings.TrimSpace(s.Phone), "-", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	to.PhoneNumber1, to.PhoneNumber2, to.PhoneNumber3 = parts[0], parts[1], parts[2]
	if was.FamilyName != to.FamilyName || was.FirstName != to.FirstName {
		to.FamilyNameKana, to.FirstNameKana = "", "" // the kana were the old recipient's
	}
	return to
}
