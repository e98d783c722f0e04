package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestCSVWithLinesShipToAndShipments: the export's options add the line items (one row each),
// the ship-to and the shipment of each line's package; a line name a spreadsheet would run is
// neutralised, the unit price stays a number; ship-to alone gives one row per package.
func TestCSVWithLinesShipToAndShipments(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	ctx := t.Context()
	o := storetest.MakeOrders(900, 1, base)[0]
	gift := order.Person{Name: "贈り先 花子", Zip: "530-0001", Address: "大阪府大阪市北区1-1-1", Phone: "06-0000-0000"}
	o.Packages = append(o.Packages, order.Package{Key: "2", ShipTo: gift, DeliveryDate: "2026-11-05", DeliveryTime: "午前"})
	o.Lines[1].PackageKey, o.Lines[1].Name = "2", `=HYPERLINK("http://x")`
	res, err := b.st.UpsertOrders(ctx, b.shop.ID, []order.Order{o}, store.UpsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[0]
	cur, err := b.st.GetOrder(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.st.UpdateShipments(ctx, id, cur.Version, []order.Shipment{{PackageKey: "2", ShipDate: "2026-11-02", Carrier: "1001", TrackingNumber: "444413758703"}}, "packer"); err != nil {
		t.Fatal(err)
	}
	s := b.loginAs(t, only(user.MenuOrders, user.View))
	read := func(query string) [][]string {
		t.Helper()
		w := s.do(http.MethodGet, "/orders/export.csv?ids="+i64toa(id)+query, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("export%s: %d %s", query, w.Code, w.Body.String())
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(w.Body.Bytes(), []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := read("&lines=1&shipto=1&shipments=1")
	col := func(name string) int {
		t.Helper()
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, rows[0])
		}
		return i
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows with line items, want the header and 3 lines", len(rows))
	}
	second := rows[2]
	if second[1] != o.Number || second[col("商品名")] != `'=HYPERLINK("http://x")` || second[col("単価")] != "2200" ||
		second[col("お届け先氏名")] != "贈り先 花子" || second[col("お届け希望日")] != "2026-11-05" ||
		second[col("配送番号")] != "444413758703" || second[col("配送会社")] == "1001" || second[col("配送会社")] == "" {
		t.Fatalf("the gift line's row: %v", second)
	}
	if first := rows[1]; first[col("お届け先氏名")] != o.Buyer.Name || first[col("配送番号")] != "" {
		t.Fatalf("the buyer's own line carries another package's ship-to or shipment: %v", first)
	}
	if byPackage := read("&shipto=1"); len(byPackage) != 3 || slices.Contains(byPackage[0], "商品名") {
		t.Fatalf("ship-to alone: %d rows, header %v; want one row per package", len(byPackage), byPackage[0])
	}
	if plain := read(""); len(plain) != 2 || len(plain[0]) != len(plain[1]) || slices.Contains(plain[0], "お届け先氏名") {
		t.Fatalf("without options: %v", plain)
	}
}
