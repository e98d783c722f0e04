package orderimport_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The shipment file follows the layout the shop saved: its headers, fields and fixed text, one
// row per parcel with a number; orders without one are left out.
func TestShipmentsGoOutInTheShopsLayout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, shopID, phaseID := setup(t)
	if _, err := orderimport.Import(ctx, st, shopID, phaseID, strings.NewReader(file), "t"); err != nil {
		t.Fatal(err)
	}
	layout := orderimport.ShipmentLayout{Columns: []orderimport.ShipmentColumn{
		{Header: "注文番号", Field: "order_number"}, {Header: "発送日", Field: "ship_date"}, {Header: "配送会社", Field: "carrier_name"},
		{Header: "伝票番号", Field: "tracking_number"}, {Header: "ステータス", Fixed: "発送済"}}}
	if err := st.SetShopSetting(ctx, shopID, orderimport.ShipmentSettingName, layout, "t"); err != nil {
		t.Fatal(err)
	}
	page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID, Sort: store.SortNumber, Ascending: true})
	if err != nil || len(page.Orders) != 2 {
		t.Fatalf("%+v %v", page, err)
	}
	fax := page.Orders[0]
	if err := st.UpdateShipments(ctx, fax.ID, fax.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-22", Carrier: "1001", TrackingNumber: "444413758703"}}, "t"); err != nil {
		t.Fatal(err)
	}
	tel := page.Orders[1] // a parcel entered without its number yet
	if err := st.UpdateShipments(ctx, tel.ID, tel.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-22", Carrier: "1002"}}, "t"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rows, err := orderimport.WriteShipments(ctx, st, shopID, []int64{page.Orders[0].ID, page.Orders[1].ID}, &out)
	if err != nil || rows != 1 {
		t.Fatalf("%d rows: %v", rows, err)
	}
	if want := "注文番号,発送日,配送会社,伝票番号,ステータス\r\nFAX-001,2026/11/22,ヤマト運輸,444413758703,発送済\r\n"; out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}
