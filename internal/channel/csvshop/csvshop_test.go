package csvshop_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/csvshop"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
)

// TestDemoSettingsAreWhatOrderimportReads: the demo shop's settings, kept here as JSON so that
// the channel does not import orderimport, are saved under orderimport's names and read into a
// mapping that reads the demo's order files and a shipment layout that passes its check.
func TestDemoSettingsAreWhatOrderimportReads(t *testing.T) {
	t.Parallel()
	spec, ok := channel.Lookup(csvshop.Name)
	if !ok || !spec.FileOnly {
		t.Fatal("csvshop is not registered as a file-only channel")
	}
	var m orderimport.Mapping
	var l orderimport.ShipmentLayout
	for name, into := range map[string]any{orderimport.SettingName: &m, orderimport.ShipmentSettingName: &l} {
		b, err := json.Marshal(spec.FileDemo.Settings[name])
		if err != nil || json.Unmarshal(b, into) != nil {
			t.Fatalf("setting %s: %v", name, err)
		}
	}
	if err := l.Check(); err != nil || !l.ShiftJIS || len(l.Columns) != 4 {
		t.Fatalf("shipment layout %+v: %v", l, err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	orders, err := orderimport.Read(bytes.NewReader(spec.FileDemo.Orders(20, 1, time.Now(), r.IntN)), m)
	if err != nil || len(orders) != 20 || orders[0].Number != "TEL-000001" || len(orders[0].Lines) == 0 || orders[0].Buyer.Phone == "" {
		t.Fatalf("%d orders: %v", len(orders), err)
	}
}
