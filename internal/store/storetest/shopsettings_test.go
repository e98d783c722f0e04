package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// A shop's settings (the labels' ご依頼主, the CSV shop's mapping) are kept per shop and name,
// replaced when saved again, and none is the zero value.
func init() {
	conformanceTests["ShopSettingsAreKeptPerShopAndName"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		other, _ := NewShop(t, b.st, "other-settings")
		if s, err := b.st.ShopSender(ctx, other.ID); err != nil || s != (shop.Sender{}) {
			t.Fatalf("no sender saved: %+v %v", s, err)
		}
		first := shop.Sender{Name: "一元茶舗", Phone: "03-1111-2222", YamatoCustomerCode: "0311112222"}
		if err := b.st.SetShopSender(ctx, other.ID, first, "t"); err != nil {
			t.Fatal(err)
		}
		second := first
		second.Name = "一元茶舗 本店"
		if err := b.st.SetShopSender(ctx, other.ID, second, "t"); err != nil {
			t.Fatal(err)
		}
		if got, err := b.st.ShopSender(ctx, other.ID); err != nil || got != second {
			t.Fatalf("read back %+v %v", got, err)
		}
		var m map[string]string
		if saved, err := b.st.ShopSetting(ctx, other.ID, "csv_order_mapping", &m); err != nil || saved {
			t.Fatalf("another name is not the sender: %v %v", saved, err)
		}
		if err := b.st.SetShopSetting(ctx, other.ID, "csv_order_mapping", map[string]string{"number": "受注番号"}, "t"); err != nil {
			t.Fatal(err)
		}
		if saved, err := b.st.ShopSetting(ctx, other.ID, "csv_order_mapping", &m); err != nil || !saved || m["number"] != "受注番号" {
			t.Fatalf("mapping %v %v %v", m, saved, err)
		}
		if err := b.st.SetShopSender(ctx, 99999999, first, "t"); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an unknown shop: %v", err)
		}
	}
}

// UpdateShipmentsMany replaces many orders' shipments at once, with a history line each, and one
// stale version refuses them all.
func init() {
	conformanceTests["UpdateShipmentsManyIsAllOrNothing"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		sh, phases := NewShop(t, b.st, "many-shipments")
		res, err := b.st.UpsertOrders(ctx, sh.ID, MakeOrders(900001, 3, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)), store.UpsertOptions{PhaseID: phases["新規受付"].ID})
		if err != nil {
			t.Fatal(err)
		}
		orders, err := b.st.GetOrders(ctx, res.IDs)
		if err != nil {
			t.Fatal(err)
		}
		parcel := func(n string) []order.Shipment {
			return []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-02", Carrier: "1001", TrackingNumber: n}}
		}
		stale := []store.ShipmentUpdate{{OrderID: orders[0].ID, Version: orders[0].Version, Shipments: parcel("444413758703")},
			{OrderID: orders[1].ID, Version: orders[1].Version - 1, Shipments: parcel("512547514334")}}
		if err := b.st.UpdateShipmentsMany(ctx, stale, "t"); !apperror.Is(err, apperror.Conflict) {
			t.Fatalf("a stale version: %v", err)
		}
		if o := must[order.Order](t)(b.st.GetOrder(ctx, orders[0].ID)); len(o.Shipments) != 0 || o.Version != orders[0].Version {
			t.Fatalf("half applied: %+v", o)
		}
		good := []store.ShipmentUpdate{{OrderID: orders[0].ID, Version: orders[0].Version, Shipments: parcel("444413758703")},
			{OrderID: orders[2].ID, Version: orders[2].Version, Shipments: parcel("405548424886")}}
		if err := b.st.UpdateShipmentsMany(ctx, good, "packer"); err != nil {
			t.Fatal(err)
		}
		for i, u := range good {
			o := must[order.Order](t)(b.st.GetOrder(ctx, u.OrderID))
			if len(o.Shipments) != 1 || o.Shipments[0].TrackingNumber != u.Shipments[0].TrackingNumber || o.Version != u.Version+1 {
				t.Fatalf("order %d: %+v version %d", i, o.Shipments, o.Version)
			}
			events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, u.OrderID))
			if last := events[len(events)-1]; last.Actor != "packer" || last.Message != "出荷情報を更新しました" {
				t.Fatalf("history %+v", events)
			}
		}
	}
}
