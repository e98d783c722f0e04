package ordercsv

import (
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Columns are the optional parts of the file (issue 20 item 3). A row is the finest part
// chosen: with Lines one row per line item, with only ShipTo or Shipments one row per package
// (destination), else one row per order; the order's columns repeat on each of its rows.
type Columns struct {
	Lines     bool // 商品コード, 商品名, 項目・選択肢, 単価, 数量, 税率
	ShipTo    bool // the package's お届け先 and お届け希望日・時間帯
	Shipments bool // the package's 発送日, 配送会社, 配送番号
}

var (
	lineHeader     = []string{"商品コード", "商品名", "項目・選択肢", "単価", "数量", "税率"}
	lineNumeric    = map[int]bool{3: true, 4: true, 5: true} // within lineHeader
	shipToHeader   = []string{"お届け先氏名", "お届け先カナ", "お届け先郵便番号", "お届け先住所", "お届け先電話番号", "お届け希望日", "お届け時間帯"}
	shipmentHeader = []string{"発送日", "配送会社", "配送番号"}
)

// layout is the file's columns: its header and which of them are written from integers.
type layout struct {
	cols    Columns
	header  []string
	numeric map[int]bool
}

func newLayout(c Columns) layout {
	l := layout{cols: c, header: append([]string(nil), Header...), numeric: map[int]bool{}}
	for i := range numeric {
		l.numeric[i] = true
	}
	if c.Lines {
		for i := range lineNumeric {
			l.numeric[len(l.header)+i] = true
		}
		l.header = append(l.header, lineHeader...)
	}
	if c.ShipTo {
		l.header = append(l.header, shipToHeader...)
	}
	if c.Shipments {
		l.header = append(l.header, shipmentHeader...)
	}
	return l
}

// rows are an order's rows under the layout.
func (l layout) rows(o order.Order, n names) [][]string {
	base := row(o, n)
	if !l.cols.Lines && !l.cols.ShipTo && !l.cols.Shipments {
		return [][]string{base}
	}
	var out [][]string
	add := func(line *order.Line, pkg string) {
		r := append([]string(nil), base...)
		if l.cols.Lines && line == nil {
			r = append(r, make([]string, len(lineHeader))...)
		} else if l.cols.Lines {
			r = append(r, line.SKU, line.Name, line.Options, strconv.FormatInt(line.UnitPrice, 10),
				strconv.FormatInt(line.Quantity, 10), strconv.FormatInt(line.TaxRate, 10))
		}
		if l.cols.ShipTo {
			p := packageOf(o, pkg)
			r = append(r, p.ShipTo.Name, p.ShipTo.Kana, p.ShipTo.Zip, p.ShipTo.Address, p.ShipTo.Phone, p.DeliveryDate, p.DeliveryTime)
		}
		if l.cols.Shipments {
			r = append(r, shipmentCells(o, pkg)...)
		}
		out = append(out, r)
	}
	switch {
	case l.cols.Lines && len(o.Lines) > 0:
		for i := range o.Lines {
			add(&o.Lines[i], o.Lines[i].PackageKey)
		}
	case l.cols.Lines || len(o.Packages) == 0:
		add(nil, "") // an order without lines (or packages) still has its row
	default:
		for _, p := range o.Packages {
			add(nil, p.Key)
		}
	}
	return out
}

// packageOf finds an order's package by key; "" or an unknown key is the first.
func packageOf(o order.Order, key string) order.Package {
	for _, p := range o.Packages {
		if p.Key == key {
			return p
		}
	}
	if len(o.Packages) > 0 {
		return o.Packages[0]
	}
	return order.Package{}
}

// shipmentCells are a package's shipment: its ship date, carrier name and tracking numbers (a
// package sent as several parcels lists them joined by " / ").
func shipmentCells(o order.Order, pkg string) []string {
	var dates, carriers, numbers []string
	for _, s := range o.Shipments {
		if pkg != "" && s.PackageKey != pkg && len(o.Packages) > 1 {
			continue
		}
		name := s.Carrier
		if c, ok := channel.CarrierByCode(s.Carrier); ok {
			name = c.Name
		}
		dates, carriers, numbers = appendNew(dates, s.ShipDate), appendNew(carriers, name), append(numbers, s.TrackingNumber)
	}
	return []string{strings.Join(dates, " / "), strings.Join(carriers, " / "), strings.Join(numbers, " / ")}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
