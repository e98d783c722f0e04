package amazon_test

import (
	"encoding/json"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
)

// FuzzToOrder: no answer Amazon (or anything in front of it) sends makes the mapping panic, and
// an order it maps has a number and whole yen.
func FuzzToOrder(f *testing.F) {
	f.Add([]byte(`{"payload":{"AmazonOrderId":"503-0000001-0000001","PurchaseDate":"2026-12-01T01:02:03Z","LastUpdateDate":"2026-12-01T01:02:03Z","OrderStatus":"Unshipped","OrderTotal":{"CurrencyCode":"JPY","Amount":"1234.00"}}}`),
		[]byte(`{"payload":{"AmazonOrderId":"503-0000001-0000001","OrderItems":[{"ASIN":"B0","OrderItemId":"1","QuantityOrdered":2,"ItemPrice":{"CurrencyCode":"JPY","Amount":"2160"},"ItemTax":{"CurrencyCode":"JPY","Amount":"160"}}]}}`))
	f.Add([]byte(`{"payload":{"AmazonOrderId":"x","PurchaseDate":"bad","OrderTotal":{"Amount":"1.5"}}}`), []byte(`{"payload":{"OrderItems":[{"QuantityOrdered":0,"ItemPrice":{"Amount":"-1"}}]}}`))
	f.Fuzz(func(t *testing.T, orderJSON, itemsJSON []byte) {
		var o amazon.Response[amazon.Order]
		var items amazon.Response[amazon.OrderItemsList]
		if json.Unmarshal(orderJSON, &o) != nil || o.Payload == nil {
			return
		}
		var list []amazon.OrderItem
		if json.Unmarshal(itemsJSON, &items) == nil && items.Payload != nil {
			list = items.Payload.OrderItems
		}
		got, err := amazon.ToOrder(*o.Payload, list)
		if err != nil {
			return
		}
		if got.Number == "" || len(got.Packages) != 1 {
			t.Fatalf("mapped order without a number or its package: %+v", got)
		}
		if _, ok := amazon.PayloadOf(got); !ok {
			t.Fatalf("the raw payload of %s does not read back", got.Number)
		}
	})
}
