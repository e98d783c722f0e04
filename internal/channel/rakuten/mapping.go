package rakuten

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// selectiveMethods are the payment methods the shop settles itself (選択制決済); Rakuten settles
// every other one (楽天共通決済).
var selectiveMethods = map[string]bool{"代金引換": true, "後払い": true}

// SettlementOf returns the settlement family of a payment method name.
func SettlementOf(method string) order.Settlement {
	if selectiveMethods[strings.TrimSpace(method)] {
		return order.SettlementSelective
	}
	return order.SettlementCommon
}

// StatusOf normalises an orderProgress.
func StatusOf(progress int) order.MarketplaceStatus {
	switch progress {
	case ProgressUnconfirmed:
		return order.StatusUnconfirmed
	case ProgressInReview:
		return order.StatusInReview
	case ProgressAwaitingShip:
		return order.StatusAwaitingShipment
	case ProgressChanging:
		return order.StatusChanging
	case ProgressShipped:
		return order.StatusShipped
	case ProgressPaying, ProgressPaid:
		return order.StatusCompleted
	case ProgressCancelPending:
		return order.StatusCancelPending
	case ProgressCancelConfirmed:
		return order.StatusCancelled
	}
	return order.StatusUnknown
}

// yen maps Rakuten's -9999 to 未確定.
func yen(v int64) order.Yen {
	if v == Unfixed {
		return order.Unfixed()
	}
	return order.YenOf(v)
}

// ToOrder maps a getOrder OrderModel onto ichigen's order. The model is kept as the raw payload.
func ToOrder(m OrderModel) (order.Order, error) {
	orderedAt, err := ParseTime(m.OrderDatetime)
	if err != nil {
		return order.Order{}, fmt.Errorf("order %s: orderDatetime %q: %w", m.OrderNumber, m.OrderDatetime, err)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return order.Order{}, err
	}
	o := order.Order{
		Number:    m.OrderNumber,
		OrderedAt: orderedAt,
		Buyer: order.Person{
			Name:  strings.TrimSpace(m.OrdererModel.FamilyName + " " + m.OrdererModel.FirstName),
			Kana:  strings.TrimSpace(m.OrdererModel.FamilyNameKana + " " + m.OrdererModel.FirstNameKana),
			Email: m.OrdererModel.EmailAddress, Phone: phone(m.OrdererModel.PhoneNumber1, m.OrdererModel.PhoneNumber2, m.OrdererModel.PhoneNumber3),
			Zip: zip(m.OrdererModel.ZipCode1, m.OrdererModel.ZipCode2), Address: m.OrdererModel.Prefecture + m.OrdererModel.City + m.OrdererModel.SubAddress,
		},
		Amounts: order.Amounts{
			Goods: yen(m.GoodsPrice), Tax: yen(m.GoodsTax), Postage: yen(m.PostagePrice), PaymentFee: yen(m.PaymentCharge),
			Discount: yen(m.CouponAllTotalPrice), Points: order.YenOf(m.PointModel.UsedPoint), Total: yen(m.TotalPrice), Requested: yen(m.RequestPrice),
		},
		PaymentMethod:        m.SettlementModel.SettlementMethod,
		Settlement:           SettlementOf(m.SettlementModel.SettlementMethod),
		MarketplaceStatusRaw: strconv.Itoa(m.OrderProgress),
		MarketplaceStatus:    StatusOf(m.OrderProgress),
		PaymentStatus:        order.Unpaid,
		RawPayload:           raw,
		Remarks:              strings.TrimSpace(m.Remarks),
	}
	// Rakuten settles common-settlement orders: 発送待ち means the payment is in.
	if o.Settlement == order.SettlementCommon && m.OrderProgress >= ProgressAwaitingShip && m.OrderProgress <= ProgressPaid {
		o.PaymentStatus = order.Paid
	}
	for _, p := range m.PackageModelList {
		key := strconv.FormatInt(p.BasketID, 10)
		s := p.SenderModel
		o.Packages = append(o.Packages, order.Package{Key: key, ShipTo: order.Person{
			Name: strings.TrimSpace(s.FamilyName + " " + s.FirstName), Kana: strings.TrimSpace(s.FamilyNameKana + " " + s.FirstNameKana),
			Phone: phone(s.PhoneNumber1, s.PhoneNumber2, s.PhoneNumber3), Zip: zip(s.ZipCode1, s.ZipCode2), Address: s.Prefecture + s.City + s.SubAddress,
		}, DeliveryDate: deref(m.DeliveryDate), DeliveryTime: ShippingTermWords(m.ShippingTerm)})
		for _, it := range p.ItemModelList {
			o.Lines = append(o.Lines, order.Line{PackageKey: key, SKU: firstNonEmpty(it.ItemNumber, it.ManageNumber), Name: it.ItemName,
				Options: it.SelectedChoice, UnitPrice: it.Price, Quantity: it.Units, TaxRate: int64(it.TaxRate*100 + 0.5)})
		}
		for _, sm := range p.ShippingModelList {
			o.Shipments = append(o.Shipments, order.Shipment{PackageKey: key, ShipDate: sm.ShippingDate, Carrier: sm.DeliveryCompany,
				TrackingNumber: sm.ShippingNumber, MarketplaceRef: strconv.FormatInt(sm.ShippingDetailID, 10)})
		}
	}
	return o, nil
}

func phone(parts ...string) string {
	var nonEmpty []string
	for _, p := range parts {
		if p != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return strings.Join(nonEmpty, "-")
}

func zip(a, b string) string {
	if a == "" && b == "" {
		return ""
	}
	return a + "-" + b
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ShippingTermWords says an お届け時間帯 as the buyer chose it: 午前, 午後, その他, or 14時〜16時 for
// h1h2; "" for none (0 or null) or a code RMS does not define.
func ShippingTermWords(term *int) string {
	if term == nil {
		return ""
	}
	switch t := *term; {
	case t == 1:
		return "午前"
	case t == 2:
		return "午後"
	case t == 9:
		return "その他"
	case t >= 707 && t <= 2424:
		from, to := t/100, t%100
		if from >= 7 && from <= 24 && to >= 7 && to <= 24 && from < to {
			return fmt.Sprintf("%d時〜%d時", from, to)
		}
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// progressNames are RMS's names of the order progress codes.
var progressNames = map[string]string{
	"100": "注文確認待ち", "200": "楽天処理中", "300": "発送待ち", "400": "変更確定待ち", "500": "発送済",
	"600": "支払手続き中", "700": "支払手続き済", "800": "キャンセル確定待ち", "900": "キャンセル確定",
}

// ProgressName is RMS's name of an order progress code as stored ("200": 楽天処理中); "" for a
// code it does not know.
func ProgressName(raw string) string { return progressNames[raw] }
