package aupay

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// PackageKey is the key of an au PAY order's one destination: a trade has one ship-to (sender*).
const PackageKey = "1"

// carrierCodes maps ichigen's carrier codes (channel.Carriers, the RMS deliveryCompany codes) to
// au's shippingCarrier. Only these three are known, from a client mapping Rakuten codes to au
// (marketplace-apis.md §6); the rest of au's table is not public.
var carrierCodes = []struct{ ichigen, au string }{
	{"1001", "1"}, // ヤマト運輸
	{"1002", "2"}, // 佐川急便
	{"1003", "6"}, // 日本郵便
}

// OtherCarrier is ichigen's code for a carrier it cannot name (その他).
const OtherCarrier = "1000"

// CarrierCode returns au's shippingCarrier for an ichigen carrier code.
func CarrierCode(ichigenCode string) (string, bool) {
	for _, c := range carrierCodes {
		if c.ichigen == ichigenCode {
			return c.au, true
		}
	}
	return "", false
}

// IsCarrierCode reports whether auCode is a shippingCarrier ichigen knows.
func IsCarrierCode(auCode string) bool {
	for _, c := range carrierCodes {
		if c.au == auCode {
			return true
		}
	}
	return false
}

// CarrierOf returns ichigen's carrier code for au's shippingCarrier: "" when blank, OtherCarrier
// when au's code is not one ichigen knows (the raw payload keeps it).
func CarrierOf(auCode string) string {
	auCode = strings.TrimSpace(auCode)
	if auCode == "" {
		return ""
	}
	for _, c := range carrierCodes {
		if c.au == auCode {
			return c.ichigen
		}
	}
	return OtherCarrier
}

// shopSettled are the payment methods the shop collects itself; au PAY Market settles the
// others (card, auかんたん決済, コンビニ, Pay-easy, 後払い). The split is ichigen's reading of the
// market's settlement pages, not a wire fact: settlementName values are free text.
var shopSettled = []string{"代金引換", "銀行振込"}

// SettlementOf returns the settlement family of a settlementName: selective (the shop settles
// it) for cash on delivery and bank transfer, common (au PAY Market settles it) otherwise.
func SettlementOf(settlementName string) order.Settlement {
	for _, m := range shopSettled {
		if strings.Contains(settlementName, m) {
			return order.SettlementSelective
		}
	}
	return order.SettlementCommon
}

// StatusOf normalises an orderStatus label.
func StatusOf(label string) order.MarketplaceStatus {
	switch strings.TrimSpace(label) {
	case StatusNew, StatusNewReservation:
		return order.StatusUnconfirmed
	case StatusAwaitingCredit:
		return order.StatusInReview
	case StatusAwaitingPayment:
		return order.StatusAwaitingPayment
	case StatusAwaitingShipment:
		return order.StatusAwaitingShipment
	case StatusAwaitingPaymentAfter:
		return order.StatusShipped
	case StatusCompleted:
		return order.StatusCompleted
	case StatusOnHold, StatusReserved: // 予約中: waits for the item's release, like a hold
		return order.StatusOnHold
	case StatusCancelled:
		return order.StatusCancelled
	}
	return order.StatusUnknown
}

// IsImportTarget reports whether a trade with this status is imported: every one but a cancelled
// trade. Status changes after import reach ichigen through Refetch (注文情報ステータス取得).
func IsImportTarget(label string) bool { return strings.TrimSpace(label) != StatusCancelled }

// ToOrder maps a trade onto ichigen's order. The trade, as XML, is kept as the raw payload.
func ToOrder(t OrderInfo) (order.Order, error) {
	number := strings.TrimSpace(t.OrderID)
	if number == "" {
		return order.Order{}, errors.New("trade without orderId")
	}
	orderedAt, err := ParseDateTime(t.OrderDate)
	if err != nil {
		return order.Order{}, fmt.Errorf("trade %s: orderDate %q: %w", number, t.OrderDate, err)
	}
	raw, err := xml.Marshal(t)
	if err != nil {
		return order.Order{}, fmt.Errorf("trade %s: %w", number, err)
	}
	buyer := order.Person{Name: strings.TrimSpace(t.OrdererName), Kana: strings.TrimSpace(t.OrdererKana), Email: strings.TrimSpace(t.MailAddress),
		Phone: strings.TrimSpace(t.OrdererPhoneNumber1), Zip: strings.TrimSpace(t.OrdererZipCode), Address: strings.TrimSpace(t.OrdererAddress)}
	shipTo := order.Person{Name: strings.TrimSpace(t.SenderName), Kana: strings.TrimSpace(t.SenderKana), Phone: strings.TrimSpace(t.SenderPhoneNumber1),
		Zip: strings.TrimSpace(t.SenderZipCode), Address: strings.TrimSpace(t.SenderAddress)}
	if shipTo.Name == "" && shipTo.Address == "" { // no separate ship-to: the buyer's own address
		shipTo = buyer
		shipTo.Email = ""
	}
	o := order.Order{
		Number:    number,
		OrderedAt: orderedAt,
		Buyer:     buyer,
		Packages: []order.Package{{Key: PackageKey, ShipTo: shipTo,
			DeliveryDate: wishDate(t.DeliveryRequestDay), DeliveryTime: strings.TrimSpace(t.DeliveryRequestTime)}},
		Amounts: order.Amounts{
			Goods: order.YenOf(t.TotalSalePrice), Postage: order.YenOf(t.PostagePrice), PaymentFee: order.YenOf(t.ChargePrice),
			Discount: order.YenOf(t.CouponTotalPrice), Points: order.YenOf(t.UsePoint + t.UseAuPointPrice),
			Total: order.YenOf(t.TotalPrice), Requested: order.YenOf(t.RequestPrice),
		},
		PaymentMethod:        strings.TrimSpace(t.SettlementName),
		Settlement:           SettlementOf(t.SettlementName),
		MarketplaceStatusRaw: strings.TrimSpace(t.OrderStatus),
		MarketplaceStatus:    StatusOf(t.OrderStatus),
		PaymentStatus:        order.Unpaid,
		RawPayload:           raw,
		Remarks:              strings.TrimSpace(t.UserComment),
	}
	if strings.EqualFold(strings.TrimSpace(t.PaymentStatus), "Y") {
		o.PaymentStatus = order.Paid
	}
	// au answers no tax total: it is worked out per rate from the tax-included lines, as a
	// qualified invoice does (rounded down once per rate).
	perRate := map[int64]int64{}
	for _, d := range t.Details {
		rate := taxRate(d.TaxRate)
		o.Lines = append(o.Lines, order.Line{PackageKey: PackageKey, SKU: strings.TrimSpace(d.ItemCode) + strings.TrimSpace(d.ItemManagementID),
			Name: strings.TrimSpace(d.ItemName), Options: strings.TrimSpace(d.ItemOption), UnitPrice: d.ItemPrice, Quantity: d.Unit, TaxRate: rate})
		perRate[rate] += d.ItemPrice * d.Unit
	}
	var tax int64
	for rate, sum := range perRate {
		if rate > 0 {
			tax += sum * rate / (100 + rate)
		}
	}
	o.Amounts.Tax = order.YenOf(tax)
	if strings.TrimSpace(t.ShipDate) != "" || strings.TrimSpace(t.ShippingNumber) != "" {
		o.Shipments = []order.Shipment{{PackageKey: PackageKey, ShipDate: isoDate(t.ShipDate), Carrier: CarrierOf(t.ShippingCarrier),
			TrackingNumber: strings.TrimSpace(t.ShippingNumber)}}
	}
	return o, nil
}

// taxRate reads a line's taxRate as a percent: "10", "8", "0.10" and "10%" are all read.
func taxRate(s string) int64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 100 {
		return 0
	}
	if f < 1 && f > 0 {
		f *= 100
	}
	return int64(f + 0.5)
}

// isoDate turns an API date into YYYY-MM-DD, ichigen's ship date; one it cannot read is kept
// as it came.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > len(DateLayout) { // "2026/11/20 00:00" and the like
		if t, err := ParseDateTime(s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	if t, err := ParseDate(s); err == nil {
		return t.Format("2006-01-02")
	}
	return s
}

// HoldsShipping reports whether the trade already holds this shipment report: the ship date
// (YYYY-MM-DD or any form ParseDate reads), ichigen's carrier code and the tracking number
// (compared normalised). It settles an unknown outcome of UpdateShipping.
func (t OrderInfo) HoldsShipping(shipDate, carrier, number string) bool {
	want, err := ParseDate(shipDate)
	if err != nil || isoDate(t.ShipDate) != want.Format("2006-01-02") {
		return false
	}
	auCarrier := ""
	if carrier != "" {
		var ok bool
		if auCarrier, ok = CarrierCode(carrier); !ok {
			return false
		}
	}
	return strings.TrimSpace(t.ShippingCarrier) == auCarrier &&
		order.NormaliseTrackingNumber(t.ShippingNumber) == order.NormaliseTrackingNumber(number)
}

// HoldsStatus reports whether the trade's status is label. It settles an unknown outcome of
// UpdateStatus.
func (t OrderInfo) HoldsStatus(label string) bool { return strings.TrimSpace(t.OrderStatus) == label }

// wishDate turns deliveryRequestDay into ichigen's yyyy-MM-dd; a date in another shape is kept as
// written, since a wish shown as the buyer's words beats a wish dropped.
func wishDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if t, err := ParseDate(s); err == nil {
		return t.Format(time.DateOnly)
	}
	return s
}
