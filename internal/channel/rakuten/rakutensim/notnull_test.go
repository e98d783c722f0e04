package rakutensim

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
)

// notNull lists, per model of a getOrder answer, the fields RMS always answers and the JSON type
// each has, as the public client github.com/oh0123/rakuten-spi-sdk (rms/order.go) models them
// without a pointer; issue 13 names settlementMethodCode, SkuModelList, the tax rates and
// defaultDeliveryCompanyCode.
var notNull = map[string]map[string]string{
	"OrderModel": {
		"orderNumber": "string", "orderProgress": "number", "orderDatetime": "string", "giftCheckFlag": "number",
		"severalSenderFlag": "number", "equalSenderFlag": "number", "isolatedIslandFlag": "number", "rakutenMemberFlag": "number",
		"carrierCode": "number", "emailCarrierCode": "number", "orderType": "number", "rakutenConfirmFlag": "number",
		"goodsPrice": "number", "goodsTax": "number", "postagePrice": "number", "deliveryPrice": "number", "paymentCharge": "number",
		"paymentChargeTaxRate": "number", "totalPrice": "number", "requestPrice": "number", "couponAllTotalPrice": "number",
		"couponShopPrice": "number", "couponOtherPrice": "number", "additionalFeeOccurAmountToUser": "number",
		"additionalFeeOccurAmountToShop": "number", "asurakuFlag": "number", "drugFlag": "number", "dealFlag": "number",
		"membershipType": "number", "modifyFlag": "number", "receiptIssueCount": "number", "OrdererModel": "object",
		"SettlementModel": "object", "DeliveryModel": "object", "PointModel": "object", "PackageModelList": "array",
		"TaxSummaryModelList": "array",
	},
	"SettlementModel": {"settlementMethodCode": "number", "settlementMethod": "string", "rpaySettlementFlag": "number"},
	"PackageModel": {
		"basketId": "number", "postagePrice": "number", "postageTaxRate": "number", "deliveryPrice": "number",
		"deliveryTaxRate": "number", "goodsTax": "number", "goodsPrice": "number", "totalPrice": "number",
		"packageDeleteFlag": "number", "SenderModel": "object", "ItemModelList": "array", "ShippingModelList": "array",
		"defaultDeliveryCompanyCode": "string",
	},
	"ItemModel": {
		"itemDetailId": "number", "itemName": "string", "itemId": "number", "itemNumber": "string", "manageNumber": "string",
		"price": "number", "units": "number", "pointRate": "number", "pointType": "number", "inventoryType": "number",
		"restoreInventoryFlag": "number", "dealFlag": "number", "drugFlag": "number", "deleteItemFlag": "number",
		"taxRate": "number", "priceTaxIncl": "number", "isSingleItemShipping": "number", "SkuModelList": "array",
	},
	"SkuModel": {"variantId": "string"},
	"TaxSummaryModel": {
		"taxRate": "number", "reqPrice": "number", "reqPriceTax": "number", "totalPrice": "number", "paymentCharge": "number",
		"couponPrice": "number", "point": "number",
	},
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case bool:
		return "boolean"
	}
	return "null"
}

// TestGetOrderAnswersEveryNotNullField: a full getOrder answer, read as plain JSON, has every
// field RMS always answers, with its type (never null), in the order, its settlement, each
// package, item, SKU and tax summary; and it decodes into the client's model with the tax
// summary's total matching the order's.
func TestGetOrderAnswersEveryNotNullField(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	numbers := b.sim.Generate(GenerateOptions{Count: 20, UnfixedPostageShare: 0.3})
	var raw struct {
		OrderModelList []map[string]any `json:"OrderModelList"`
	}
	if status := b.call(t, "getOrder", map[string]any{"orderNumberList": numbers, "version": 7}, &raw); status != 200 || len(raw.OrderModelList) != len(numbers) {
		t.Fatalf("getOrder: %d, %d orders", status, len(raw.OrderModelList))
	}
	check := func(model string, m map[string]any, where string) {
		t.Helper()
		for field, want := range notNull[model] {
			if got := jsonType(m[field]); got != want {
				t.Errorf("%s %s.%s is %s, RMS answers a %s", where, model, field, got, want)
			}
		}
	}
	for _, o := range raw.OrderModelList {
		n, _ := o["orderNumber"].(string)
		check("OrderModel", o, n)
		if s, ok := o["SettlementModel"].(map[string]any); ok {
			check("SettlementModel", s, n)
		}
		for _, p := range asList(o["PackageModelList"]) {
			check("PackageModel", p, n)
			for _, it := range asList(p["ItemModelList"]) {
				check("ItemModel", it, n)
				skus := asList(it["SkuModelList"])
				if len(skus) == 0 {
					t.Errorf("%s: an item without SKU", n)
				}
				for _, s := range skus {
					check("SkuModel", s, n)
				}
			}
		}
		taxes := asList(o["TaxSummaryModelList"])
		if len(taxes) == 0 {
			t.Errorf("%s: no TaxSummaryModelList", n)
		}
		for _, s := range taxes {
			check("TaxSummaryModel", s, n)
		}
	}

	var resp rakuten.GetOrderResponse
	b.call(t, "getOrder", map[string]any{"orderNumberList": numbers, "version": "7"}, &resp)
	for _, m := range resp.OrderModelList {
		var total int64
		for _, s := range m.TaxSummaryModelList {
			total += s.TotalPrice
		}
		if m.PostagePrice != rakuten.Unfixed && total != m.GoodsPrice+m.PostagePrice || m.SettlementModel.SettlementMethodCode == 0 {
			t.Errorf("%s: tax summary total %d, goods+postage %d, method code %d", m.OrderNumber, total, m.GoodsPrice+m.PostagePrice, m.SettlementModel.SettlementMethodCode)
		}
	}
}

func asList(v any) []map[string]any {
	var out []map[string]any
	for _, e := range asAny(v) {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func asAny(v any) []any {
	l, _ := v.([]any)
	return l
}
