package amazon

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// PackageKey is the key of an Amazon order's one destination.
const PackageKey = "1"

// StatusOf normalises an OrderStatus.
func StatusOf(status string) order.MarketplaceStatus {
	switch status {
	case StatusPending:
		return order.StatusInReview // payment not authorised yet
	case StatusUnshipped, StatusPartiallyShipped:
		return order.StatusAwaitingShipment
	case StatusShipped, StatusInvoiceUnconfirmed:
		return order.StatusShipped
	case StatusCanceled:
		return order.StatusCancelled
	case StatusPendingAvailability, StatusUnfulfillable:
		return order.StatusOnHold
	}
	return order.StatusUnknown
}

// ImportStatuses are the statuses the import asks for: every one but those whose payment is not
// authorised (Pending, PendingAvailability), which carry no buyer data and no prices yet. Such
// an order is imported once Amazon moves it on, which changes its LastUpdateDate.
var ImportStatuses = []string{StatusUnshipped, StatusPartiallyShipped, StatusShipped, StatusInvoiceUnconfirmed, StatusCanceled, StatusUnfulfillable}

// paymentLabels are the PaymentMethod values in Japanese.
var paymentLabels = map[string]string{PaymentCOD: "代金引換", PaymentCVS: "コンビニ決済", PaymentOther: "Amazon決済(クレジットカード等)"}

// carrierCodes maps ichigen's carrier codes to Amazon's carrierCode. The spellings are those
// seller tools use for Amazon.co.jp; the JP list is not in the models (marketplace-apis.md §4,
// unverified): any other carrier goes as "Other" with its name in carrierName.
var carrierCodes = map[string]string{
	"1001": "Yamato Transport",
	"1002": "Sagawa Express",
	"1003": "Japan Post",
	"1004": "Seino Transportation",
	"1006": "Fukuyama Transport",
}

// OtherCarrier is Amazon's carrierCode for a carrier named in carrierName.
const OtherCarrier = "Other"

// CarrierCode returns Amazon's carrierCode and carrierName for an ichigen carrier.
func CarrierCode(ichigenCode string) (code, name string, ok bool) {
	if c, known := carrierCodes[ichigenCode]; known {
		return c, "", true
	}
	c, known := channel.CarrierByCode(ichigenCode)
	if !known {
		return "", "", false
	}
	return OtherCarrier, c.Name, true
}

// Payload is what ichigen keeps of an order as its raw payload: the order as Amazon answered it,
// without the buyer's personal data (kept in the order's own fields until retention masks
// them), and its items.
type Payload struct {
	Order Order       `json:"order"`
	Items []OrderItem `json:"items"`
}

// PayloadOf reads an order's raw payload.
func PayloadOf(o order.Order) (Payload, bool) {
	var p Payload
	if len(o.RawPayload) == 0 || json.Unmarshal(o.RawPayload, &p) != nil || p.Order.AmazonOrderId == "" {
		return p, false
	}
	return p, true
}

// IsAFN reports whether Amazon ships the order itself (FBA): such an order is imported to be
// seen, never reported as shipped.
func IsAFN(o order.Order) bool {
	p, ok := PayloadOf(o)
	return ok && p.Order.FulfillmentChannel == FulfillmentAFN
}

// ToOrder maps an order and its items onto ichigen's order.
func ToOrder(a Order, items []OrderItem) (order.Order, error) {
	number := strings.TrimSpace(a.AmazonOrderId)
	if number == "" {
		return order.Order{}, errors.New("order without AmazonOrderId")
	}
	orderedAt, err := ParseTime(a.PurchaseDate)
	if err != nil {
		return order.Order{}, fmt.Errorf("order %s: PurchaseDate %q: %w", number, a.PurchaseDate, err)
	}
	updatedAt, err := ParseTime(a.LastUpdateDate)
	if err != nil {
		return order.Order{}, fmt.Errorf("order %s: LastUpdateDate %q: %w", number, a.LastUpdateDate, err)
	}
	o := order.Order{Number: number, OrderedAt: orderedAt, MarketplaceUpdatedAt: updatedAt, MarketplaceStatusRaw: a.OrderStatus,
		MarketplaceStatus: StatusOf(a.OrderStatus), PaymentMethod: paymentLabels[a.PaymentMethod], Settlement: order.SettlementCommon, PaymentStatus: order.Paid}
	if o.PaymentMethod == "" {
		o.PaymentMethod = a.PaymentMethod
	}
	o.Prime = a.IsPrime
	// The LatestShipDate is the seller's deadline only when the seller ships (MFN): Amazon ships
	// its FBA orders itself, and 要対応 must not ask the shop to ship them.
	if a.LatestShipDate != "" && a.FulfillmentChannel != FulfillmentAFN {
		if o.LatestShipDate, err = ParseTime(a.LatestShipDate); err != nil {
			return order.Order{}, fmt.Errorf("order %s: LatestShipDate %q: %w", number, a.LatestShipDate, err)
		}
	}
	if a.OrderStatus == StatusPending || a.OrderStatus == StatusPendingAvailability || (a.PaymentMethod == PaymentCOD && o.MarketplaceStatus != order.StatusShipped) {
		o.PaymentStatus = order.Unpaid // COD is paid to the carrier on delivery
	}
	shipTo := order.Person{}
	if ad := a.ShippingAddress; ad != nil {
		shipTo = order.Person{Name: strings.TrimSpace(ad.Name), Phone: strings.TrimSpace(ad.Phone), Zip: strings.TrimSpace(ad.PostalCode), Address: JapaneseAddress(*ad)}
	}
	o.Buyer = shipTo
	o.Buyer.Phone, o.Buyer.Zip, o.Buyer.Address = "", "", "" // Amazon gives no buyer address
	if b := a.BuyerInfo; b != nil {
		o.Buyer.Name, o.Buyer.Email = strings.TrimSpace(b.BuyerName), strings.TrimSpace(b.BuyerEmail)
	}
	if o.Buyer.Name == "" {
		o.Buyer.Name = shipTo.Name
	}
	o.Packages = []order.Package{{Key: PackageKey, ShipTo: shipTo}}
	var goods, tax, postage, fee, discount int64
	for _, it := range items {
		price, err := sum(it.ItemPrice)
		if err != nil {
			return order.Order{}, fmt.Errorf("order %s item %s: %w", number, it.OrderItemId, err)
		}
		itemTax, _ := sum(it.ItemTax)
		if _, err := sum(it.ShippingPrice, it.ShippingTax, it.CODFee, it.PromotionDiscount, it.ShippingDiscount, it.CODFeeDiscount); err != nil {
			return order.Order{}, fmt.Errorf("order %s item %s: %w", number, it.OrderItemId, err)
		}
		ship, _ := sum(it.ShippingPrice)
		shipTax, _ := sum(it.ShippingTax)
		cod, _ := sum(it.CODFee)
		codOff, _ := sum(it.CODFeeDiscount)
		promo, _ := sum(it.PromotionDiscount)
		shipOff, _ := sum(it.ShippingDiscount)
		goods, tax, postage, fee, discount = goods+price, tax+itemTax+shipTax, postage+ship, fee+cod-codOff, discount+promo+shipOff
		sku := cmpOr(it.SellerSKU, it.ASIN)
		line := order.Line{PackageKey: PackageKey, SKU: sku, Name: it.Title, Quantity: int64(it.QuantityOrdered), TaxRate: taxRate(price, itemTax)}
		if it.QuantityOrdered > 0 {
			line.UnitPrice = price / int64(it.QuantityOrdered)
		}
		o.Lines = append(o.Lines, line)
	}
	o.Amounts = order.Amounts{Goods: order.YenOf(goods), Tax: order.YenOf(tax), Postage: order.YenOf(postage), PaymentFee: order.YenOf(fee),
		Discount: order.YenOf(discount), Points: order.YenOf(0)}
	total := goods + postage + fee - discount
	if a.OrderTotal != nil && a.OrderTotal.Amount != "" {
		if total, err = a.OrderTotal.Yen(); err != nil {
			return order.Order{}, fmt.Errorf("order %s: OrderTotal: %w", number, err)
		}
	}
	o.Amounts.Total, o.Amounts.Requested = order.YenOf(total), order.YenOf(total)
	kept := a
	if kept.ShippingAddress != nil {
		kept.ShippingAddress = &Address{City: a.ShippingAddress.City, StateOrRegion: a.ShippingAddress.StateOrRegion, PostalCode: a.ShippingAddress.PostalCode, CountryCode: a.ShippingAddress.CountryCode}
	}
	kept.BuyerInfo = nil
	if o.RawPayload, err = json.Marshal(Payload{Order: kept, Items: items}); err != nil {
		return order.Order{}, fmt.Errorf("order %s: %w", number, err)
	}
	return o, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sum adds amounts in yen.
func sum(ms ...*Money) (int64, error) {
	var n int64
	for _, m := range ms {
		v, err := m.Yen()
		if err != nil {
			return 0, err
		}
		n += v
	}
	return n, nil
}

// taxRate is the consumption-tax rate (percent) of a tax-included price and its tax: 10, 8 or 0.
func taxRate(price, tax int64) int64 {
	if tax <= 0 || price <= tax {
		return 0
	}
	r := float64(tax) * 100 / float64(price-tax)
	if r < 9 {
		return 8
	}
	return 10
}

// JapaneseAddress writes an address the Japanese way: prefecture, city, then the lines.
func JapaneseAddress(a Address) string {
	parts := []string{a.StateOrRegion, a.City, a.AddressLine1}
	s := strings.Join(parts, "")
	for _, l := range []string{a.AddressLine2, a.AddressLine3} {
		if l = strings.TrimSpace(l); l != "" {
			s += " " + l
		}
	}
	return strings.TrimSpace(s)
}
