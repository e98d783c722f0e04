package demo

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/csvshop"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestCSVDemoShopGetsOrdersByFile: the demo makes the CSV shop with its column mapping and
// shipment layout saved, imports its buyers' first file into the first phase, and a second
// run of the demo on the same data numbers its orders after those stored, never over them.
func TestCSVDemoShopGetsOrdersByFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	run := func() *Demo {
		d := &Demo{Files: fileShops()}
		var err error
		if d.Relay, err = startRelay(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Relay.Close() })
		if err := d.Setup(ctx, st); err != nil {
			t.Fatal(err)
		}
		if len(d.Files) != 1 || d.Files[0].Spec.Name != csvshop.Name || d.Shops()[0].ID != d.Files[0].Shop.ID {
			t.Fatalf("file shops %+v", d.Files)
		}
		d.placeFileOrders(ctx, st, true)
		return d
	}
	d := run()
	sh := d.Files[0].Shop
	var m orderimport.Mapping
	if ok, err := st.ShopSetting(ctx, sh.ID, orderimport.SettingName, &m); !ok || err != nil || m.Number != csvshop.DemoMapping["number"] || m.PaymentMethod != "支払方法" {
		t.Fatalf("mapping %+v %v %v", m, ok, err)
	}
	var l orderimport.ShipmentLayout
	if ok, err := st.ShopSetting(ctx, sh.ID, orderimport.ShipmentSettingName, &l); !ok || err != nil || len(l.Columns) != 4 {
		t.Fatalf("shipment layout %+v %v %v", l, ok, err)
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: phases[0].ID, PageSize: 100})
	if err != nil || page.Total != 5 {
		t.Fatalf("%d orders in %s, want 5: %v", page.Total, phases[0].Name, err)
	}
	run() // the demo started again on the same data
	page, err = st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil || page.Total != 10 {
		t.Fatalf("%d orders after a second run, want 10: %v", page.Total, err)
	}
	if _, err := st.GetOrderByNumber(ctx, sh.ID, "TEL-000010"); err != nil {
		t.Fatal(err)
	}
}
