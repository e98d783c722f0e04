package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestCSVOrdersThroughTheAPI: a shop's column mapping saved, its orders imported from a file,
// the same file again adds nothing, and a broken row refuses the file with its line.
func TestCSVOrdersThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		admin := b.tokenFor(t, map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuShops: user.Update})
		shop := "/shops/" + i64(b.shop.ID)
		m := orderimport.Mapping{Number: "受注番号", OrderedAt: "受注日", BuyerName: "購入者", ItemName: "品名", UnitPrice: "単価", Quantity: "数量"}
		if w := b.do(t, admin, http.MethodPut, shop+"/csv-mapping", m); w.Code != http.StatusOK {
			t.Fatalf("mapping: %d %s", w.Code, w.Body)
		}
		file := "受注番号,受注日,購入者,品名,単価,数量\nTEL-1,2026/11/20,山田 太郎,煎茶,1080,2\nTEL-1,2026/11/20,山田 太郎,湯呑み,2200,1\n"
		// the dry run lists the order with its line and saves nothing; its upload_id imports it
		dry := decode[orderimport.Preview](t, b.postCSV(t, admin, shop+"/csv-orders?dry_run=true", []byte(file)), http.StatusOK)
		if dry.Inserted != 1 || len(dry.Rows) != 1 || dry.Rows[0] != (orderimport.PreviewRow{Line: 2, Number: "TEL-1", Buyer: "山田 太郎", Items: 2, Total: 4360, New: true}) || dry.Upload == "" {
			t.Fatalf("dry run: %+v", dry)
		}
		if _, err := b.st.GetOrderByNumber(context.Background(), b.shop.ID, "TEL-1"); err == nil {
			t.Fatal("the dry run saved the order")
		}
		got := decode[orderimport.Result](t, b.postCSV(t, admin, shop+"/csv-orders?upload_id="+dry.Upload, nil), http.StatusOK)
		if got.Orders != 1 || got.Inserted != 1 {
			t.Fatalf("first: %+v", got)
		}
		if got = decode[orderimport.Result](t, b.postCSV(t, admin, shop+"/csv-orders", []byte(file)), http.StatusOK); got.Inserted != 0 || got.Known != 1 {
			t.Fatalf("again: %+v", got)
		}
		// The shipment file in the layout the shop saved: the imported order once it has its number.
		layout := orderimport.ShipmentLayout{Columns: []orderimport.ShipmentColumn{{Header: "注文番号", Field: "order_number"}, {Header: "お問い合わせ番号", Field: "tracking_number"}}}
		if w := b.do(t, admin, http.MethodPut, shop+"/csv-shipment-layout", layout); w.Code != http.StatusOK {
			t.Fatalf("layout: %d %s", w.Code, w.Body)
		}
		o, err := b.st.GetOrderByNumber(context.Background(), b.shop.ID, "TEL-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := b.st.UpdateShipments(context.Background(), o.ID, o.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-21", Carrier: "1001", TrackingNumber: "444413758703"}}, "t"); err != nil {
			t.Fatal(err)
		}
		if w := b.do(t, admin, http.MethodGet, shop+"/csv-shipments.csv?ids="+i64(o.ID), nil); w.Code != http.StatusOK || w.Body.String() != "注文番号,お問い合わせ番号\r\nTEL-1,444413758703\r\n" {
			t.Fatalf("shipments: %d %q", w.Code, w.Body)
		}
		w := b.postCSV(t, admin, shop+"/csv-orders", []byte(strings.Replace(file, ",2\n", ",x\n", 1)))
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "2行目") {
			t.Fatalf("broken: %d %s", w.Code, w.Body)
		}
	})
}
