package yahoo

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// PackageKey is the key of a Yahoo order's one destination (the Ship group).
const PackageKey = "1"

// CompanyCode returns Yahoo's ShipCompanyCode for an ichigen carrier code (channel.Carriers,
// the RMS deliveryCompany codes). 1000–1027 name the same carriers on both lists
// (marketplace-apis.md §3a.7 and §6); from 1028 the lists part (Yahoo: JPロジスティクス,
// MagicalMove; Rakuten: Rakuten EXPRESS, …), so those are not sent.
func CompanyCode(ichigenCode string) (string, bool) {
	n, err := strconv.Atoi(ichigenCode)
	if err != nil || n < 1000 || n > 1027 {
		return "", false
	}
	return ichigenCode, true
}

// otherCarrier is ichigen's code for a carrier it cannot name (その他).
const otherCarrier = "1000"

// CompanyOf returns ichigen's carrier code for a ShipCompanyCode: "" when blank, その他 when
// ichigen's list does not share it.
func CompanyOf(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return ""
	}
	if _, ok := CompanyCode(code); ok {
		return code
	}
	return otherCarrier
}

// StatusLabel is an OrderStatus in Japanese.
func StatusLabel(status int) string {
	switch status {
	case OrderReserved:
		return "予約中"
	case OrderProcessing:
		return "処理中"
	case OrderHeld:
		return "保留"
	case OrderCancelled:
		return "キャンセル"
	case OrderCompleted:
		return "完了"
	}
	return "不明(" + strconv.Itoa(status) + ")"
}

// StatusOf normalises an order's status. Yahoo has one status, 処理中, from the order to its
// shipment: a new order (not seen) is 注文確認待ち, a prepaid one not yet paid 発送前入金待ち,
// one whose ship status is 出荷済み or later 発送済.
func StatusOf(info OrderInfo) order.MarketplaceStatus {
	switch info.OrderStatus {
	case OrderProcessing:
		switch {
		case info.Ship.ShipStatus >= ShipShipped:
			return order.StatusShipped
		case !info.IsSeen:
			return order.StatusUnconfirmed
		case Prepaid(info.Pay) && info.Pay.PayStatus != PayPaid:
			return order.StatusAwaitingPayment
		}
		return order.StatusAwaitingShipment
	case OrderReserved, OrderHeld:
		return order.StatusOnHold
	case OrderCancelled:
		return order.StatusCancelled
	case OrderCompleted:
		return order.StatusCompleted
	}
	return order.StatusUnknown
}

// Prepaid reports whether the buyer pays before the order ships (前払い: bank transfer,
// convenience store, Pay-easy), so that it waits for PayStatus 1. Card and PayPay are settled
// when ordered; 代引 and 後払い after shipment.
func Prepaid(p Pay) bool {
	m := strings.TrimPrefix(strings.TrimSpace(p.PayMethod), "payment_")
	switch {
	case m == "a1" || m == "a17" || m == "a19" || m == "d1" || m == "c2" || strings.HasPrefix(m, "z"):
		return false
	case strings.HasPrefix(m, "b") || m == "a6" || m == "a7" || m == "a15" || m == "c1" || m == "c3":
		return true
	}
	return p.PayType == 1 && p.PayStatus != PayPaid && p.PayKind != 0 && p.PayKind != 6
}

// SettlementOf returns who settles a PayMethod: the store for bank transfer to its account
// (b1–b6), 代引 (d1), 現金書留 (c3) and its own methods (e1–e15, z3); Yahoo for the rest (card,
// PayPay, コンビニ, carrier billing).
func SettlementOf(payMethod string) order.Settlement {
	m := strings.TrimPrefix(strings.TrimSpace(payMethod), "payment_")
	if strings.HasPrefix(m, "b") || strings.HasPrefix(m, "e") || m == "d1" || m == "c3" || m == "z3" {
		return order.SettlementSelective
	}
	return order.SettlementCommon
}

func joinName(last, first string) string {
	return strings.TrimSpace(strings.TrimSpace(last) + " " + strings.TrimSpace(first))
}

func joinAddress(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strings.TrimSpace(p))
	}
	return b.String()
}

// ToOrder maps a Yahoo order onto ichigen's order. The order, as XML, is kept as the raw payload.
// Coupons (the mall's and the store's discount) and points stay apart; the tax is worked out per
// rate from the tax-included lines, rounded down once per rate.
func ToOrder(info OrderInfo) (order.Order, error) {
	number := strings.TrimSpace(info.OrderID)
	if number == "" {
		return order.Order{}, errors.New("order without OrderId")
	}
	orderedAt, err := ParseTime(info.OrderTime)
	if err != nil {
		return order.Order{}, fmt.Errorf("order %s: OrderTime %q: %w", number, info.OrderTime, err)
	}
	raw, err := xml.Marshal(info)
	if err != nil {
		return order.Order{}, fmt.Errorf("order %s: %w", number, err)
	}
	p, s := info.Pay, info.Ship
	buyer := order.Person{Name: joinName(p.BillLastName, p.BillFirstName), Kana: joinName(p.BillLastNameKana, p.BillFirstNameKana),
		Email: strings.TrimSpace(p.BillMailAddress), Phone: strings.TrimSpace(p.BillPhoneNumber), Zip: strings.TrimSpace(p.BillZipCode),
		Address: joinAddress(p.BillPrefecture, p.BillCity, p.BillAddress1, p.BillAddress2)}
	shipTo := order.Person{Name: joinName(s.ShipLastName, s.ShipFirstName), Kana: joinName(s.ShipLastNameKana, s.ShipFirstNameKana),
		Phone: strings.TrimSpace(s.ShipPhoneNumber), Zip: strings.TrimSpace(s.ShipZipCode),
		Address: joinAddress(s.ShipPrefecture, s.ShipCity, s.ShipAddress1, s.ShipAddress2)}
	if shipTo.Name == "" && shipTo.Address == "" {
		shipTo = buyer
		shipTo.Email = ""
	}
	d := info.Detail
	o := order.Order{
		Number: number, OrderedAt: orderedAt, Buyer: buyer,
		Packages:             []order.Package{{Key: PackageKey, ShipTo: shipTo, DeliveryDate: isoDate(s.ShipRequestDate), DeliveryTime: strings.TrimSpace(s.ShipRequestTime)}},
		PaymentMethod:        strings.TrimSpace(p.PayMethodName),
		Settlement:           SettlementOf(p.PayMethod),
		MarketplaceStatusRaw: StatusLabel(info.OrderStatus),
		MarketplaceStatus:    StatusOf(info),
		PaymentStatus:        order.Unpaid,
		RawPayload:           raw,
		Remarks:              strings.TrimSpace(info.BuyerComments),
	}
	if t, err := ParseTime(info.LastUpdateTime); err == nil {
		o.MarketplaceUpdatedAt = t
	}
	if o.PaymentMethod == "" {
		o.PaymentMethod = strings.TrimSpace(p.PayMethod)
	}
	if p.PayStatus == PayPaid {
		o.PaymentStatus = order.Paid
	}
	var goods int64
	perRate := map[int64]int64{}
	for _, it := range info.Items {
		var opts []string
		for _, op := range it.ItemOptions {
			opts = append(opts, strings.TrimSpace(op.Name)+":"+strings.TrimSpace(op.Value))
		}
		sku := strings.TrimSpace(it.SubCode)
		if sku == "" {
			sku = strings.TrimSpace(it.ItemID)
		}
		o.Lines = append(o.Lines, order.Line{PackageKey: PackageKey, SKU: sku, Name: strings.TrimSpace(it.Title), Options: strings.Join(opts, " "),
			UnitPrice: it.UnitPrice, Quantity: it.Quantity, TaxRate: it.ItemTaxRatio})
		goods += it.UnitPrice * it.Quantity
		perRate[it.ItemTaxRatio] += it.UnitPrice * it.Quantity
	}
	var tax int64
	for rate, sum := range perRate {
		if rate > 0 {
			tax += sum * rate / (100 + rate)
		}
	}
	o.Amounts = order.Amounts{Goods: order.YenOf(goods), Tax: order.YenOf(tax), Postage: order.YenOf(d.ShipCharge), PaymentFee: order.YenOf(d.PayCharge),
		Discount: order.YenOf(d.TotalMallCouponDiscount + d.Discount), Points: order.YenOf(d.UsePoint), Total: order.YenOf(d.TotalPrice),
		Requested: order.YenOf(d.SettleAmount)}
	if strings.TrimSpace(s.ShipDate) != "" || strings.TrimSpace(s.ShipInvoiceNumber1) != "" {
		o.Shipments = []order.Shipment{{PackageKey: PackageKey, ShipDate: isoDate(s.ShipDate), Carrier: CompanyOf(s.ShipCompanyCode),
			TrackingNumber: strings.TrimSpace(s.ShipInvoiceNumber1)}}
	}
	return o, nil
}

// isoDate turns a yyyyMMdd date into YYYY-MM-DD; one it cannot read is kept as it came.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if t, err := ParseDate(s); err == nil {
		return t.Format("2006-01-02")
	}
	return s
}
