package channel

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

func TestValidateTracking(t *testing.T) {
	t.Parallel()
	cases := []struct{ carrier, number, want string }{
		{"1001", "444413758703", ""}, // samples that pass the 7DR check
		{"1002", "512547514334", ""},
		{"1003", "405548424886", ""},
		{"1001", "444413758704", "チェックデジット"},
		{"1001", "44441375870", "12桁"},
		{"1001", "4444A3758703", "12桁"},
		{"1001", "", "入力されていません"},
		{"1004", "ABC-123", ""}, // 西濃運輸: no check known
		{"9999", "444413758703", "登録されていません"},
	}
	for _, c := range cases {
		got := ValidateTracking(c.carrier, c.number)
		if (c.want == "" && got != "") || (c.want != "" && !strings.Contains(got, c.want)) {
			t.Errorf("%s %q: %q, want %q", c.carrier, c.number, got, c.want)
		}
	}
}

func TestCheckShipmentNormalisesAndNamesTheField(t *testing.T) {
	t.Parallel()
	s, problems := CheckShipment(order.Shipment{ShipDate: " 2026/11/02 ", Carrier: "1001", TrackingNumber: "４４４４-１３７５-８７０３"})
	if len(problems) != 0 || s.ShipDate != "2026-11-02" || s.TrackingNumber != "444413758703" {
		t.Fatalf("%+v %v", s, problems)
	}
	for _, tc := range []struct {
		in    order.Shipment
		field string
	}{
		{order.Shipment{Carrier: "1001", TrackingNumber: "444413758703"}, "ship_date"},
		{order.Shipment{ShipDate: "11月2日", Carrier: "1001", TrackingNumber: "444413758703"}, "ship_date"},
		{order.Shipment{ShipDate: "2026-11-02", TrackingNumber: "444413758703"}, "carrier"},
		{order.Shipment{ShipDate: "2026-11-02", Carrier: "9999", TrackingNumber: "444413758703"}, "carrier"},
		{order.Shipment{ShipDate: "2026-11-02", Carrier: "1001", TrackingNumber: "444413758704"}, "tracking_number"},
	} {
		if _, p := CheckShipment(tc.in); len(p) != 1 || p[0].Field != tc.field || p[0].Message == "" {
			t.Errorf("%+v: %+v, want one problem in %s", tc.in, p, tc.field)
		}
	}
}

// TestShipmentForAnOrderNamesOneOfItsPackagesOnADateItCanBe: a ship date outside
// order.CheckShipDate's window and a package key the order has no package of are refused in
// their fields; a blank key on an order of one package is that package.
func TestShipmentForAnOrderNamesOneOfItsPackagesOnADateItCanBe(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 5, 3, 0, 0, 0, time.UTC)
	o := order.Order{OrderedAt: time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC), Packages: []order.Package{{Key: "101"}, {Key: "102"}}}
	good := order.Shipment{PackageKey: "102", ShipDate: "2026-11-04", Carrier: "1001", TrackingNumber: "444413758703"}
	if s, p := CheckShipmentFor(o, good, now); len(p) != 0 || s.PackageKey != "102" {
		t.Fatalf("%+v %v", s, p)
	}
	for _, tc := range []struct {
		edit  func(*order.Shipment)
		field string
		want  string
	}{
		{func(s *order.Shipment) { s.ShipDate = "2099-12-31" }, "ship_date", "受け付けられるのは 2026/10/31 から 2026/11/12 までです"},
		{func(s *order.Shipment) { s.ShipDate = "2026-10-01" }, "ship_date", "2026/10/31 から"},
		{func(s *order.Shipment) { s.PackageKey = "999" }, "package_key", "送付先「999」はこの注文にありません。送付先 101、102 のどれかを指定してください。"},
		{func(s *order.Shipment) { s.PackageKey = "" }, "package_key", "送付先を指定してください"},
	} {
		s := good
		tc.edit(&s)
		if _, p := CheckShipmentFor(o, s, now); len(p) != 1 || p[0].Field != tc.field || !strings.Contains(p[0].Message, tc.want) {
			t.Errorf("%+v: %+v, want %q in %s", s, p, tc.want, tc.field)
		}
	}
	one := order.Order{OrderedAt: o.OrderedAt, Packages: []order.Package{{Key: "1"}}}
	blank := good
	blank.PackageKey = ""
	if s, p := CheckShipmentFor(one, blank, now); len(p) != 0 || s.PackageKey != "1" {
		t.Errorf("a blank key on a one-package order: %+v %v", s, p)
	}
}
