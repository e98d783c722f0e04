package orderimport

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/ordercsv"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// ShipmentSettingName is the shop setting the shipment layout is saved under.
const ShipmentSettingName = "csv_shipment_layout"

// The fields a shipment file's column can hold.
var shipmentFields = map[string]func(o *order.Order, s order.Shipment) string{
	"order_number":    func(o *order.Order, _ order.Shipment) string { return o.MarketplaceNumber() },
	"ship_date":       func(_ *order.Order, s order.Shipment) string { return strings.ReplaceAll(s.ShipDate, "-", "/") },
	"carrier_code":    func(_ *order.Order, s order.Shipment) string { return s.Carrier },
	"carrier_name":    func(_ *order.Order, s order.Shipment) string { return carrierName(s.Carrier) },
	"tracking_number": func(_ *order.Order, s order.Shipment) string { return s.TrackingNumber },
	"package_key":     func(_ *order.Order, s order.Shipment) string { return s.PackageKey },
	"buyer_name":      func(o *order.Order, _ order.Shipment) string { return o.Buyer.Name },
}

func carrierName(code string) string {
	if c, ok := channel.CarrierByCode(code); ok {
		return c.Name
	}
	return code
}

// ShipmentColumn is one column of the shipment file the shop uploads to its mall: a header and
// a field (order_number, ship_date, carrier_code, carrier_name, tracking_number, package_key,
// buyer_name), or Fixed text written on every row.
type ShipmentColumn struct {
	Header string `json:"header"`
	Field  string `json:"field,omitempty"`
	Fixed  string `json:"fixed,omitempty"`
}

// ShipmentLayout is the shop's shipment file: its columns, and Shift_JIS or UTF-8.
type ShipmentLayout struct {
	Columns  []ShipmentColumn `json:"columns"`
	ShiftJIS bool             `json:"shift_jis,omitempty"`
}

// Check refuses a layout with no column or an unknown field.
func (l ShipmentLayout) Check() error {
	if len(l.Columns) == 0 {
		return apperror.New(apperror.Invalid, "出荷データの列を1つ以上登録してください。")
	}
	for _, c := range l.Columns {
		if _, ok := shipmentFields[c.Field]; c.Field != "" && !ok {
			return apperror.New(apperror.Invalid, "出荷データの列「%s」の項目「%s」はありません。order_number, ship_date, carrier_code, carrier_name, tracking_number, package_key, buyer_name のどれかにしてください。", c.Header, c.Field)
		}
	}
	return nil
}

// WriteShipments writes the shipment file of orders with the shop's saved layout: one row per
// shipment with a tracking number, bundle children left out (their parent carries the parcel).
// It returns the rows written.
func WriteShipments(ctx context.Context, st store.Store, shopID int64, ids []int64, w io.Writer) (int, error) {
	var l ShipmentLayout
	saved, err := st.ShopSetting(ctx, shopID, ShipmentSettingName, &l)
	if err != nil {
		return 0, err
	}
	if !saved {
		return 0, apperror.New(apperror.Invalid, "この店舗には出荷データの列が登録されていません。店舗の取込設定で登録してください。")
	}
	if err := l.Check(); err != nil {
		return 0, err
	}
	finish := func() error { return nil }
	enc := japanese.ShiftJIS.NewEncoder()
	if l.ShiftJIS {
		tw := transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		w, finish = tw, tw.Close
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		header[i] = c.Header
	}
	_ = cw.Write(header)
	rows := 0
	for start := 0; start < len(ids); start += store.MaxPageSize {
		orders, err := st.GetOrders(ctx, ids[start:min(start+store.MaxPageSize, len(ids))])
		if err != nil {
			return rows, err
		}
		for i := range orders {
			o := &orders[i]
			if o.ShopID != shopID || o.ManagementClass == order.BundleChild {
				continue
			}
			for _, s := range o.Shipments {
				if s.TrackingNumber == "" {
					continue
				}
				row := make([]string, len(l.Columns))
				for j, c := range l.Columns {
					v := c.Fixed
					if c.Field != "" {
						v = shipmentFields[c.Field](o, s)
					}
					v = ordercsv.Neutralise(v)
					if l.ShiftJIS {
						v = ordercsv.ShiftJISSafe(enc, v)
					}
					row[j] = v
				}
				_ = cw.Write(row)
				rows++
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return rows, fmt.Errorf("shipment file: %w", err)
	}
	return rows, finish()
}
