package ownshop

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// ToOrder is a cart order as ichigen stores it: one package, the payment's webコレクト trade in
// the raw payload, and its card payment status (仮売上 once authorised, 要確認 before).
func ToOrder(c CartOrder) order.Order {
	raw, _ := json.Marshal(c)
	var lines []order.Line
	var goods, tax int64
	for _, l := range c.Lines {
		lines = append(lines, order.Line{PackageKey: "1", SKU: l.SKU, Name: l.Name, Options: l.Options, UnitPrice: l.UnitPrice, Quantity: l.Quantity, TaxRate: l.TaxRate})
		sub := l.UnitPrice * l.Quantity
		goods += sub
		if l.TaxRate > 0 {
			tax += sub * l.TaxRate / (100 + l.TaxRate)
		}
	}
	shipTo := person(c.ShipTo)
	if shipTo.Name == "" {
		shipTo = person(c.Buyer)
	}
	updated := c.UpdatedAt
	if updated.IsZero() {
		updated = c.OrderedAt
	}
	o := order.Order{Number: c.Number, OrderedAt: c.OrderedAt, Buyer: person(c.Buyer), Packages: []order.Package{{Key: "1", ShipTo: shipTo}},
		Lines: lines, PaymentMethod: methodLabel(c.Payment.Method), Settlement: order.SettlementCommon,
		Amounts: order.Amounts{Goods: order.YenOf(goods), Tax: order.YenOf(tax), Postage: order.YenOf(c.Postage), PaymentFee: order.YenOf(c.Fee),
			Discount: order.YenOf(c.Discount), Points: order.YenOf(0), Total: order.YenOf(c.Total), Requested: order.YenOf(c.Total)},
		MarketplaceStatusRaw: "new", MarketplaceStatus: order.StatusAwaitingShipment, PaymentStatus: order.Unpaid,
		RawPayload: raw, MarketplaceUpdatedAt: updated}
	switch {
	case c.Payment.Method == MethodWebcollectCard && !c.Payment.AuthorizedAt.IsZero():
		o.PaymentStatus = order.CardAuthorized
	case c.Payment.Method == MethodWebcollectCard:
		o.PaymentStatus = order.CardUnsettled
	}
	if c.Cancelled {
		o.MarketplaceStatusRaw, o.MarketplaceStatus = "cancelled", order.StatusCancelled
	}
	return o
}

func person(p CartPerson) order.Person {
	return order.Person{Name: p.Name, Kana: p.Kana, Email: p.Email, Phone: p.Phone, Zip: p.Zip, Address: p.Address}
}

func methodLabel(m string) string {
	switch m {
	case MethodWebcollectCard:
		return "クロネコwebコレクト クレジット"
	case MethodBankTransfer:
		return "銀行振込"
	case MethodCOD:
		return "代金引換"
	}
	return m
}

// TradeOf returns the order's webコレクト trade number (受付番号) from its payload: the cart's
// payment.order_no, else the order number.
func TradeOf(o order.Order) string {
	var c CartOrder
	if json.Unmarshal(o.RawPayload, &c) == nil && c.Payment.OrderNo != "" {
		return c.Payment.OrderNo
	}
	return o.MarketplaceNumber()
}

// Check lists what is wrong with a cart order, in the operator's (and the cart developer's)
// words; nil when it can be stored.
func Check(c CartOrder) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	switch {
	case strings.TrimSpace(c.Number) == "":
		add("order_number(注文番号)がありません。")
	case utf8.RuneCountInString(c.Number) > 50:
		add("order_number(注文番号)は50文字以内にしてください。")
	}
	if c.OrderedAt.IsZero() {
		add("ordered_at(注文日時)がありません。RFC 3339 形式(例: 2026-12-03T10:15:00+09:00)で送ってください。")
	}
	if strings.TrimSpace(c.Buyer.Name) == "" {
		add("buyer.name(注文者の氏名)がありません。")
	}
	if len(c.Lines) == 0 {
		add("lines(商品)が1行もありません。")
	}
	var goods int64
	for i, l := range c.Lines {
		if l.Quantity < 1 || l.UnitPrice < 0 || strings.TrimSpace(l.Name) == "" {
			add("lines[%d] は name、1以上の quantity、0以上の unit_price が必要です。", i)
		}
		goods += l.UnitPrice * l.Quantity
	}
	if want := goods + c.Postage + c.Fee - c.Discount; c.Total != want {
		add("total(合計)が %d 円ですが、商品 %d 円 + 送料 %d 円 + 手数料 %d 円 - 割引 %d 円 = %d 円です。", c.Total, goods, c.Postage, c.Fee, c.Discount, want)
	}
	switch c.Payment.Method {
	case MethodWebcollectCard:
		if c.Payment.OrderNo == "" || utf8.RuneCountInString(c.Payment.OrderNo) > 23 {
			add("payment.order_no(webコレクトの受付番号)は1〜23文字で送ってください。")
		}
		if c.Payment.Amount != c.Total {
			add("payment.amount(与信金額 %d 円)が total(%d 円)と一致しません。", c.Payment.Amount, c.Total)
		}
	case MethodBankTransfer, MethodCOD:
	default:
		add("payment.method は webcollect_credit、bank_transfer、cod のいずれかにしてください。")
	}
	if msg := CheckMember(c.Payment.MemberID, c.Payment.AuthenticationKey); msg != "" {
		add("payment.%s", msg)
	}
	return out
}
