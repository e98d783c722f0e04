package packing

import (
	"sort"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// Slip is one order's 納品書 (delivery slip) as it is printed on an A4 sheet and put in the
// parcel: who sends (the shop's 出荷設定 ご依頼主), who ordered and where it goes, what is in it,
// and what was paid, with the tax of each rate as a qualified invoice states it.
type Slip struct {
	Order order.Order
	// From is the shop as the slip names it: its ご依頼主, or the shop's name where none is set.
	From shop.Sender
	// Recipients are the order's destinations, titled お届け先 (or お届け先1, 2… for several).
	Recipients []SlipRecipient
	Lines      []SlipLine
	// Goods is the sum of the lines; Amounts the order's own amounts, shown unless it is a
	// split child's slip, which has none (ShowAmounts false).
	Goods       order.Yen
	Amounts     order.Amounts
	ShowAmounts bool
	// Taxes are the amounts per tax rate, highest rate first.
	Taxes []SlipTax
	// Logo is the path of the shop's logo image; empty when it has none.
	Logo string
	// Note says what the amounts are where they are not the parcel's own (a split order).
	Note string
}

// SlipRecipient is one destination of a slip.
type SlipRecipient struct {
	Title        string
	To           order.Person
	DeliveryDate string
	DeliveryTime string
}

// SlipLine is one line of a slip, tax included.
type SlipLine struct {
	order.Line
	Subtotal int64
	// Reduced marks a line at the reduced rate (8%), which a qualified invoice must show as such
	// (軽減税率の対象品目である旨).
	Reduced bool
}

// ReducedRate is the reduced consumption-tax rate (軽減税率), percent.
const ReducedRate = 8

// Qualified says the slip is a qualified invoice (適格請求書): the shop printed its
// registration number, so the slip states the totals and tax of each rate and marks the
// reduced-rate lines, as 消費税法第57条の4 requires.
func (s Slip) Qualified() bool { return s.From.InvoiceNumber != "" }

// Reduced says whether any line of the slip is at the reduced rate.
func (s Slip) Reduced() bool {
	for _, l := range s.Lines {
		if l.Reduced {
			return true
		}
	}
	return false
}

// SlipTax is the total of one tax rate, tax included, and the tax it holds.
type SlipTax struct {
	Rate int64 // percent
	Base int64 // tax included
	Tax  int64
}

// PackageTitle is how an order's destination is named to an operator or a buyer: お届け先 for
// the only one, お届け先1, 2… in the order's order for several, never by the marketplace's id
// (Rakuten's basketId 300).
func PackageTitle(o order.Order, key string) string {
	if len(o.Packages) <= 1 {
		return "お届け先"
	}
	for i, p := range o.Packages {
		if p.Key == key {
			return "お届け先" + strconv.Itoa(i+1)
		}
	}
	return "お届け先"
}

// NewSlip builds the slip of o. origin is the order a split child was split from (its number
// names where the amounts are); the zero order for any other.
func NewSlip(o order.Order, shopName string, sender shop.Sender, origin order.Order) Slip {
	s := Slip{Order: o, From: sender, Amounts: o.Amounts, ShowAmounts: true}
	if s.From.Name == "" {
		s.From.Name = shopName
	}
	for _, p := range o.Packages {
		s.Recipients = append(s.Recipients, SlipRecipient{Title: PackageTitle(o, p.Key), To: p.ShipTo,
			DeliveryDate: p.DeliveryDate, DeliveryTime: p.DeliveryTime})
	}
	if len(s.Recipients) == 0 {
		s.Recipients = []SlipRecipient{{Title: "お届け先", To: o.Buyer}}
	}
	base := map[int64]int64{}
	var goods int64
	for _, l := range o.Lines {
		sub := l.UnitPrice * l.Quantity
		s.Lines = append(s.Lines, SlipLine{Line: l, Subtotal: sub, Reduced: l.TaxRate == ReducedRate})
		goods += sub
		base[l.TaxRate] += sub
	}
	s.Goods = order.YenOf(goods)
	switch {
	case o.ManagementClass == order.Split && o.SplitFromID != 0:
		// A split child carries no amounts: the payment stays whole on the order it came from.
		s.Amounts, s.ShowAmounts = order.Amounts{}, false
		s.Note = "この納品書は分割してお届けする商品の明細です。送料・手数料・お支払い金額は注文 " + origin.Number + " の納品書に記載しています。"
	case o.ManagementClass == order.Split:
		s.Note = "ご注文の商品を分けてお届けします。お支払い金額はご注文全体の金額です(別便の商品を含みます)。"
	}
	// Postage and the payment fee are taxed at the standard rate.
	for _, y := range []order.Yen{s.Amounts.Postage, s.Amounts.PaymentFee} {
		if v, ok := y.Value(); ok && v != 0 {
			base[10] += v
		}
	}
	for rate, b := range base {
		if b == 0 {
			continue
		}
		s.Taxes = append(s.Taxes, SlipTax{Rate: rate, Base: b, Tax: b * rate / (100 + rate)})
	}
	sort.Slice(s.Taxes, func(i, j int) bool { return s.Taxes[i].Rate > s.Taxes[j].Rate })
	return s
}
