// Package csvshop is the CSV shop (CSV店舗): a shop without an API — a mall ichigen does not
// speak yet, phone and fax orders — registered through the channel kit as a file-only channel
// (channel.Spec.FileOnly). Its orders come in as a CSV file through the shop's saved column
// mapping (internal/orderimport: UTF-8 or Shift_JIS detected, an order number never imported
// twice, a broken row refusing the whole file), and its shipments go out as a CSV file in the
// layout the shop defines (orderimport.ShipmentLayout). It makes no call, so it has no client,
// quota, credentials or simulator; the demo shop's buyers "send" order files, which the demo
// imports as an operator uploads them.
package csvshop

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Name is the channel's code.
const Name = "csvshop"

// The shop settings the demo saves, as internal/orderimport reads them (its JSON). This package
// does not import orderimport: internal/channels imports every channel, and tests of packages
// below orderimport (notify) import internal/channels.
const (
	mappingSetting  = "csv_order_mapping"   // orderimport.SettingName
	shipmentSetting = "csv_shipment_layout" // orderimport.ShipmentSettingName
)

// DemoMapping is the demo shop's column mapping (an orderimport.Mapping as JSON keys): the
// headers DemoOrders writes.
var DemoMapping = map[string]string{"number": "受注番号", "ordered_at": "受注日時", "buyer_name": "注文者名", "buyer_phone": "電話番号",
	"buyer_zip": "郵便番号", "buyer_address": "住所", "item_name": "商品名", "sku": "商品コード", "unit_price": "単価", "quantity": "数量",
	"postage": "送料", "payment_method": "支払方法"}

// DemoShipmentLayout is the demo shop's shipment file (an orderimport.ShipmentLayout as JSON):
// the order number, the ship date, the carrier and the number, in Shift_JIS as most malls'
// upload pages take it.
var DemoShipmentLayout = map[string]any{"shift_jis": true, "columns": []map[string]string{
	{"header": "受注番号", "field": "order_number"}, {"header": "出荷日", "field": "ship_date"},
	{"header": "配送会社", "field": "carrier_name"}, {"header": "伝票番号", "field": "tracking_number"}}}

var demoItems = []struct {
	sku, name string
	price     int
}{
	{"TEA-100", "静岡煎茶 100g", 1080}, {"TEA-200", "ほうじ茶 200g", 864}, {"CUP-01", "湯呑み 有田焼", 2200}, {"SWT-05", "抹茶羊羹 5本入", 1620},
}

var demoBuyers = []struct{ name, phone, zip, address string }{
	{"山田 太郎", "03-1234-5678", "100-0001", "東京都千代田区千代田1-1"},
	{"佐藤 花子", "06-2345-6789", "530-0001", "大阪府大阪市北区梅田1-1-1"},
	{"鈴木 一郎", "052-345-6789", "460-0008", "愛知県名古屋市中区栄3-1-1"},
	{"高橋 美咲", "092-456-7890", "810-0001", "福岡県福岡市中央区天神2-2-2"},
}

// DemoOrders writes a UTF-8 order file of count phone and fax orders placed at at, numbered
// from first (TEL-000001, …), some of two lines, in DemoMapping's headers.
func DemoOrders(count, first int, at time.Time, rand func(n int) int) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write([]string{"受注番号", "受注日時", "注文者名", "電話番号", "郵便番号", "住所", "商品コード", "商品名", "単価", "数量", "送料", "支払方法"})
	for i := range count {
		b := demoBuyers[rand(len(demoBuyers))]
		number := fmt.Sprintf("TEL-%06d", first+i)
		pay := []string{"代金引換", "銀行振込"}[rand(2)]
		for range 1 + rand(2) {
			it := demoItems[rand(len(demoItems))]
			_ = w.Write([]string{number, at.In(order.JST).Format("2006/01/02 15:04"), b.name, b.phone, b.zip, b.address,
				it.sku, it.name, fmt.Sprint(it.price), fmt.Sprint(1 + rand(3)), "660", pay})
		}
	}
	w.Flush()
	return buf.Bytes()
}

func init() {
	channel.Register(channel.Spec{Name: Name, Label: "CSV店舗", LabelEN: "CSV shop", Short: "CSV店舗", Position: 60, FileOnly: true,
		FileDemo: &channel.FileDemo{ShopName: "電話・FAX注文(CSV)", Code: "csvdemo",
			Settings: map[string]any{mappingSetting: DemoMapping, shipmentSetting: DemoShipmentLayout},
			Orders:   DemoOrders}})
}
