package yahoo

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
)

func TestStatusOfReadsOrderStatusSeenPaymentAndShipment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		info OrderInfo
		want order.MarketplaceStatus
	}{
		{"new order, not seen", OrderInfo{OrderStatus: 2, Pay: Pay{PayMethod: "payment_a1", PayStatus: 1}}, order.StatusUnconfirmed},
		{"taken, card", OrderInfo{OrderStatus: 2, IsSeen: true, Pay: Pay{PayMethod: "payment_a1", PayStatus: 1}}, order.StatusAwaitingShipment},
		{"taken, bank transfer unpaid", OrderInfo{OrderStatus: 2, IsSeen: true, Pay: Pay{PayMethod: "payment_b1"}}, order.StatusAwaitingPayment},
		{"taken, 代引 unpaid", OrderInfo{OrderStatus: 2, IsSeen: true, Pay: Pay{PayMethod: "payment_d1"}}, order.StatusAwaitingShipment},
		{"shipped", OrderInfo{OrderStatus: 2, IsSeen: true, Ship: Ship{ShipStatus: 3}}, order.StatusShipped},
		{"予約中", OrderInfo{OrderStatus: 1}, order.StatusOnHold},
		{"保留", OrderInfo{OrderStatus: 3}, order.StatusOnHold},
		{"キャンセル", OrderInfo{OrderStatus: 4}, order.StatusCancelled},
		{"完了", OrderInfo{OrderStatus: 5}, order.StatusCompleted},
	} {
		if got := StatusOf(c.info); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestToOrderKeepsPointsAndCouponsApart(t *testing.T) {
	t.Parallel()
	info := OrderInfo{OrderID: "shop-10000001", OrderTime: "20261201093000", LastUpdateTime: "20261201100000", OrderStatus: 2, IsSeen: true,
		BuyerComments: " ギフト包装をお願いします。 ",
		Pay: Pay{PayStatus: 1, PayMethod: "payment_a17", PayMethodName: "PayPay残高等", BillLastName: "佐藤", BillFirstName: "花子",
			BillPrefecture: "東京都", BillCity: "千代田区", BillAddress1: "丸の内1-1-1", BillAddress2: " メゾン101", BillZipCode: "100-0005"},
		Ship:   Ship{ShipLastName: "鈴木", ShipFirstName: "一郎", ShipPrefecture: "大阪府", ShipCity: "大阪市北区", ShipAddress1: "梅田1-2-3", ShipCompanyCode: "1001", ShipInvoiceNumber1: "444413758703", ShipDate: "20261202"},
		Detail: Detail{ShipCharge: 660, PayCharge: 0, TotalMallCouponDiscount: 200, Discount: 100, UsePoint: 150, TotalPrice: 3520, SettleAmount: 3370},
		Items: []Item{{LineID: 1, ItemID: "yunomi", SubCode: "yunomi-藍", Title: "湯呑み", UnitPrice: 2200, Quantity: 1, ItemTaxRatio: 10,
			ItemOptions: []ItemOption{{Index: 1, Name: "色", Value: "藍"}}}, {LineID: 2, ItemID: "sencha", Title: "煎茶", UnitPrice: 1080, Quantity: 1, ItemTaxRatio: 8}},
	}
	o, err := ToOrder(info)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := o.Amounts.Goods.Value()
	d, _ := o.Amounts.Discount.Value()
	p, _ := o.Amounts.Points.Value()
	r, _ := o.Amounts.Requested.Value()
	tax, _ := o.Amounts.Tax.Value()
	if g != 3280 || d != 300 || p != 150 || r != 3370 || tax != 200+80 {
		t.Errorf("goods %d, discount %d, points %d, requested %d, tax %d", g, d, p, r, tax)
	}
	if o.Buyer.Name != "佐藤 花子" || o.Buyer.Address != "東京都千代田区丸の内1-1-1メゾン101" || o.Packages[0].ShipTo.Name != "鈴木 一郎" {
		t.Errorf("buyer %+v, ship to %+v", o.Buyer, o.Packages[0].ShipTo)
	}
	if o.Remarks != "ギフト包装をお願いします。" {
		t.Errorf("the buyer's comments mapped as remarks %q", o.Remarks)
	}
	if o.Lines[0].SKU != "yunomi-藍" || o.Lines[0].Options != "色:藍" || o.Lines[1].SKU != "sencha" {
		t.Errorf("lines %+v", o.Lines)
	}
	if o.PaymentStatus != order.Paid || o.Settlement != order.SettlementCommon || o.MarketplaceStatusRaw != "処理中" {
		t.Errorf("payment %s, settlement %s, status %s", o.PaymentStatus, o.Settlement, o.MarketplaceStatusRaw)
	}
	if len(o.Shipments) != 1 || o.Shipments[0].ShipDate != "2026-12-02" || o.Shipments[0].Carrier != "1001" || o.MarketplaceUpdatedAt.IsZero() {
		t.Errorf("shipments %+v, updated %s", o.Shipments, o.MarketplaceUpdatedAt)
	}
	if SettlementOf("payment_b1") != order.SettlementSelective || SettlementOf("payment_d1") != order.SettlementSelective {
		t.Error("bank transfer and 代引 are the store's to settle")
	}
}
