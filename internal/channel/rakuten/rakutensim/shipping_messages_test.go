package rakutensim

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
)

// TestShippingMessagesAreRMSs: updateOrderShipping's messages carry no orderNumber; a refused
// request reports every bad record, each with its dataNumber (counted across the request) and
// shippingDetailId, in RMS's words 「<field>の書式が不正です。」; a taken one answers each record
// with RMS's INFO texts (see applyShipping for the sources).
func TestShippingMessagesAreRMSs(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	number := awaitingShipment(t, b, 1)[0]
	m, _ := b.sim.Order(number)
	basketID := m.PackageModelList[0].BasketID
	yamato := rakuten.ShippingModel{DeliveryCompany: "1001", ShippingNumber: "444413758703", ShippingDate: "2026-11-20"}

	var raw json.RawMessage
	bad := shipping(number, basketID, yamato,
		rakuten.ShippingModel{ShippingDetailID: 99999, DeliveryCompany: "1001", ShippingDate: "2026/11/20"},
		rakuten.ShippingModel{DeliveryCompany: "佐川急便"})
	if status := b.call(t, "updateOrderShipping", bad, &raw); status != 400 {
		t.Fatalf("bad records: HTTP %d", status)
	}
	if strings.Contains(string(raw), "orderNumber") {
		t.Errorf("updateOrderShipping's messages name the order: %s", raw)
	}
	var refused rakuten.MessagesResponse
	_ = json.Unmarshal(raw, &refused)
	want := []rakuten.Message{
		{MessageType: "ERROR", MessageCode: "ORDER_EXT_API_UPDATE_ORDERSHIPPING_ERROR_011", Message: "shippingDetailIdの書式が不正です。", DataNumber: 2, ShippingDetailID: 99999},
		{MessageType: "ERROR", MessageCode: "ORDER_EXT_API_UPDATE_ORDERSHIPPING_ERROR_011", Message: "deliveryCompanyの書式が不正です。", DataNumber: 3},
	}
	if len(refused.MessageModelList) != len(want) {
		t.Fatalf("refusal %+v, want one message per bad record", refused.MessageModelList)
	}
	for i, w := range want {
		if refused.MessageModelList[i] != w {
			t.Errorf("message %d: %+v, want %+v", i, refused.MessageModelList[i], w)
		}
	}

	raw = nil
	if status := b.call(t, "updateOrderShipping", shipping(number, basketID, yamato, yamato), &raw); status != 200 || strings.Contains(string(raw), "orderNumber") {
		t.Fatalf("taken: HTTP %d %s", status, raw)
	}
	var taken rakuten.MessagesResponse
	_ = json.Unmarshal(raw, &taken)
	if len(taken.MessageModelList) != 2 {
		t.Fatalf("taken: %+v", taken.MessageModelList)
	}
	for i, m := range taken.MessageModelList {
		if m.MessageCode != "ORDER_EXT_API_UPDATE_ORDERSHIPPING_INFO_101" || m.Message != "発送情報の追加設定が完了しました。" || m.DataNumber != i+1 || m.ShippingDetailID == 0 {
			t.Errorf("taken %d: %+v", i, m)
		}
	}
	first := taken.MessageModelList[0].ShippingDetailID
	update := rakuten.ShippingModel{ShippingDetailID: first, DeliveryCompany: "1001", ShippingNumber: "444413758704", ShippingDate: "2026-11-20"}
	b.call(t, "updateOrderShipping", shipping(number, basketID, update), &taken)
	if len(taken.MessageModelList) != 1 || taken.MessageModelList[0].Message != "発送情報の更新設定が完了しました。" || taken.MessageModelList[0].ShippingDetailID != first {
		t.Errorf("update: %+v", taken.MessageModelList)
	}
	b.call(t, "updateOrderShipping", shipping(number, basketID, rakuten.ShippingModel{ShippingDetailID: first, ShippingDeleteFlag: 1}), &taken)
	if len(taken.MessageModelList) != 1 || taken.MessageModelList[0].Message != "発送情報の削除設定が完了しました。" {
		t.Errorf("delete: %+v", taken.MessageModelList)
	}
}
