package aupay_test

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/order"
)

func TestStatusLabelsMapOntoTheNormalisedStatuses(t *testing.T) {
	t.Parallel()
	for label, want := range map[string]order.MarketplaceStatus{
		"新規受付": order.StatusUnconfirmed, "新規予約": order.StatusUnconfirmed, "予約中": order.StatusOnHold,
		"発送前入金待ち": order.StatusAwaitingPayment, "与信待ち": order.StatusInReview, "発送待ち": order.StatusAwaitingShipment,
		"発送後入金待ち": order.StatusShipped, "完了": order.StatusCompleted, "保留": order.StatusOnHold, "キャンセル": order.StatusCancelled,
		" 完了 ": order.StatusCompleted, "出荷済み": order.StatusUnknown, "": order.StatusUnknown,
	} {
		if got := aupay.StatusOf(label); got != want {
			t.Errorf("%q: %s, want %s", label, got, want)
		}
	}
	for _, label := range aupay.SettableStatuses {
		if aupay.StatusOf(label) == order.StatusUnknown || !aupay.IsImportTarget(label) {
			t.Errorf("%s is an import target with a known status", label)
		}
	}
	if aupay.IsImportTarget(aupay.StatusCancelled) || aupay.IsSettableStatus(aupay.StatusCancelled) || !aupay.IsStatus(aupay.StatusCancelled) {
		t.Error("キャンセル is a status, but neither imported nor set with updateTradeStsProc")
	}
}

func TestShopSettledMethodsAreSelective(t *testing.T) {
	t.Parallel()
	for method, want := range map[string]order.Settlement{
		"代金引換": order.SettlementSelective, "銀行振込": order.SettlementSelective, "銀行振込(前払い)": order.SettlementSelective,
		"クレジットカード決済": order.SettlementCommon, "au PAY(auかんたん決済)": order.SettlementCommon, "コンビニ決済": order.SettlementCommon,
		"後払い決済": order.SettlementCommon, "": order.SettlementCommon,
	} {
		if got := aupay.SettlementOf(method); got != want {
			t.Errorf("%q: %s, want %s", method, got, want)
		}
	}
}

func TestCarrierCodesRoundTrip(t *testing.T) {
	t.Parallel()
	for ichigen, au := range map[string]string{"1001": "1", "1002": "2", "1003": "6"} {
		if got, ok := aupay.CarrierCode(ichigen); !ok || got != au || aupay.CarrierOf(au) != ichigen || !aupay.IsCarrierCode(au) {
			t.Errorf("%s ↔ %s: got %s %v", ichigen, au, got, ok)
		}
	}
	if _, ok := aupay.CarrierCode("1004"); ok {
		t.Error("西濃運輸 has no known au code")
	}
	if aupay.CarrierOf("99") != aupay.OtherCarrier || aupay.CarrierOf(" ") != "" {
		t.Error("an unknown au code is その他, a blank one is none")
	}
}

func TestToOrderReadsWhatTheAPIMayWrite(t *testing.T) {
	t.Parallel()
	base := aupay.OrderInfo{OrderID: " 123456789 ", OrderDate: "2026/11/01 09:05", OrdererName: "山田 太郎", OrdererAddress: "東京都千代田区丸の内1-1-1",
		Details: []aupay.Detail{{ItemCode: "TEA-001", ItemManagementID: "-100g", ItemPrice: 1080, Unit: 2, TaxRate: "0.08"}, {ItemCode: "CUP-001", ItemPrice: 2200, Unit: 1, TaxRate: "10%"}}}
	o, err := aupay.ToOrder(base)
	if err != nil {
		t.Fatal(err)
	}
	if o.Number != "123456789" || !o.OrderedAt.Equal(time.Date(2026, 11, 1, 0, 5, 0, 0, time.UTC)) {
		t.Fatalf("number %q, ordered %v", o.Number, o.OrderedAt)
	}
	// No separate ship-to: the buyer's address.
	if o.Packages[0].ShipTo.Name != "山田 太郎" || o.Packages[0].ShipTo.Address != base.OrdererAddress {
		t.Fatalf("ship-to %+v", o.Packages[0].ShipTo)
	}
	if o.Lines[0].SKU != "TEA-001-100g" || o.Lines[0].TaxRate != 8 || o.Lines[1].TaxRate != 10 {
		t.Fatalf("lines %+v", o.Lines)
	}
	// 2,160 at 8% and 2,200 at 10%: 160 + 200.
	if tax, _ := o.Amounts.Tax.Value(); tax != 360 {
		t.Fatalf("tax %d", tax)
	}
	if len(o.Shipments) != 0 {
		t.Fatalf("no shipment yet: %+v", o.Shipments)
	}
	shipped := base
	shipped.ShipDate, shipped.ShippingCarrier, shipped.ShippingNumber = "2026/11/03", "2", "512547514334"
	if o, _ = aupay.ToOrder(shipped); len(o.Shipments) != 1 || o.Shipments[0].ShipDate != "2026-11-03" || o.Shipments[0].Carrier != "1002" {
		t.Fatalf("shipment %+v", o.Shipments)
	}
	if !shipped.HoldsShipping("2026-11-03", "1002", "5125-4751-4334") || shipped.HoldsShipping("2026-11-03", "1001", "512547514334") ||
		shipped.HoldsShipping("", "1002", "512547514334") {
		t.Fatal("HoldsShipping compares date, carrier and the normalised number")
	}
	for name, bad := range map[string]aupay.OrderInfo{
		"no orderId":        {OrderDate: "2026/11/01 09:05"},
		"ISO orderDate":     {OrderID: "1", OrderDate: "2026-11-01T09:05:00+09:00"},
		"impossible date":   {OrderID: "1", OrderDate: "2026/13/45 99:00"},
		"orderDate missing": {OrderID: "1"},
	} {
		if _, err := aupay.ToOrder(bad); err == nil {
			t.Errorf("%s: mapped", name)
		}
	}
}

func FuzzToOrder(f *testing.F) {
	sim := aupaysim.New(aupaysim.Config{})
	id := sim.Generate(aupaysim.GenerateOptions{Count: 1, Settlement: "代金引換"})[0]
	tr, _ := sim.Trade(id)
	tr.ShipDate, tr.ShippingCarrier, tr.ShippingNumber = "2026/11/20", "1", "444413758703"
	seed, _ := xml.Marshal(tr)
	f.Add(seed)
	f.Add([]byte(`<orderInfo><orderId>1</orderId><orderDate>2026/02/30 25:61</orderDate><detail><taxRate>abc</taxRate><unit>-3</unit></detail></orderInfo>`))
	f.Add([]byte(`<orderInfo><orderId> </orderId><shipDate>2026/11/20 10:00</shipDate><shippingCarrier>99</shippingCarrier></orderInfo>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tr aupay.OrderInfo
		if xml.Unmarshal(data, &tr) != nil {
			return
		}
		o, err := aupay.ToOrder(tr)
		_ = tr.HoldsShipping("2026-11-20", "1001", tr.ShippingNumber)
		if err != nil {
			return
		}
		if o.Number != strings.TrimSpace(tr.OrderID) || o.Number == "" || len(o.Lines) != len(tr.Details) || len(o.Packages) != 1 {
			t.Fatalf("trade %q mapped to %q with %d lines", tr.OrderID, o.Number, len(o.Lines))
		}
		var back aupay.OrderInfo
		if err := xml.Unmarshal(o.RawPayload, &back); err != nil || strings.TrimSpace(back.OrderID) != o.Number {
			t.Fatalf("raw payload does not hold the trade: %v", err)
		}
	})
}

func TestToOrderReadsTheDeliveryWish(t *testing.T) {
	t.Parallel()
	base := aupay.OrderInfo{OrderID: "1", OrderDate: "2026/11/01 09:05", OrdererName: "山田 太郎",
		DeliveryRequestDay: "2026/11/05", DeliveryRequestTime: " 14時～16時 "}
	o, err := aupay.ToOrder(base)
	if err != nil {
		t.Fatal(err)
	}
	if p := o.Packages[0]; p.DeliveryDate != "2026-11-05" || p.DeliveryTime != "14時～16時" {
		t.Fatalf("wish %q %q", p.DeliveryDate, p.DeliveryTime)
	}
	// A date the shop's answer writes otherwise is kept as written rather than lost.
	base.DeliveryRequestDay, base.DeliveryRequestTime = "11月5日", ""
	if o, _ = aupay.ToOrder(base); o.Packages[0].DeliveryDate != "11月5日" || o.Packages[0].DeliveryTime != "" {
		t.Fatalf("wish %+v", o.Packages[0])
	}
	base.DeliveryRequestDay = ""
	if o, _ = aupay.ToOrder(base); o.Packages[0].DeliveryDate != "" {
		t.Fatalf("no wish: %+v", o.Packages[0])
	}
}
