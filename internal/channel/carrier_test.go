package channel

import (
	"strings"
	"testing"

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
