package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/channel/csvshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

const csvOrderFile = "受注番号,受注日時,注文者名,電話番号,郵便番号,住所,商品コード,商品名,単価,数量,送料,支払方法\r\n" +
	"TEL-1,2026/11/20 10:30,山田 太郎,03-1234-5678,100-0001,東京都千代田区1-1,TEA-100,静岡煎茶 100g,1080,2,660,代金引換\r\n" +
	"TEL-1,2026/11/20 10:30,山田 太郎,03-1234-5678,100-0001,東京都千代田区1-1,CUP-01,湯呑み,2200,1,660,代金引換\r\n" +
	"FAX-2,2026/11/21 09:00,佐藤 花子,06-2345-6789,530-0001,大阪府大阪市北区1-1,TEA-200,ほうじ茶,864,3,660,銀行振込\r\n"

// TestCSVShopThroughThePages: a CSV shop is created from the new-shop form and sent to its CSV
// settings; the column mapping is saved there; a file with a broken line is refused whole with
// its line number and stores nothing; the good file (Shift_JIS) imports once and again imports
// nothing; the shipment layout is saved and the shipment file comes out in it.
func TestCSVShopThroughThePages(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuShops: user.Update})
		w := s.do(http.MethodPost, "/settings/shops", url.Values{"channel": {csvshop.Name}, "name": {"電話注文"}, "code": {"tel"}})
		loc := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasSuffix(loc, "/csv") || !strings.Contains(flash(w), "列の対応を登録してください") {
			t.Fatalf("create: %d to %q, flash %q %s", w.Code, loc, flash(w), w.Body)
		}
		shopID := strings.TrimSuffix(strings.TrimPrefix(loc, "/settings/shops/"), "/csv")
		if page := htmlOf(s, "/settings/shops/"+shopID); !strings.Contains(page, `href="`+loc+`"`) {
			t.Fatal("the CSV shop's page has no link to its CSV settings")
		}
		if page := htmlOf(s, loc); !strings.Contains(page, "まだ登録されていません") {
			t.Fatal("the CSV settings do not say the mapping is missing")
		}
		// The import before a mapping is saved says what to do.
		if w := s.upload(csvOrdersPath, url.Values{"shop": {shopID}}, []byte(csvOrderFile)); w.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(html.UnescapeString(w.Body.String()), "列の対応が登録されていません") {
			t.Fatalf("import without a mapping: %d", w.Code)
		}
		form := url.Values{}
		for k, v := range csvshop.DemoMapping { // the form's names are the mapping's JSON keys
			form.Set(k, v)
		}
		if w := s.do(http.MethodPost, loc+"/mapping", form); w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "列の対応を保存しました") {
			t.Fatalf("save mapping: %d %q", w.Code, flash(w))
		}
		if page := htmlOf(s, loc); !strings.Contains(page, `value="受注番号"`) || !strings.Contains(page, `href="/orders/csv-orders?shop=`+shopID+`"`) {
			t.Fatal("the saved mapping is not shown, or no link to the import")
		}
		count := func() int64 {
			id, _ := formID(shopID, "")
			page, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: id, PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			return page.Total
		}
		broken := strings.Replace(csvOrderFile, "FAX-2,2026/11/21 09:00", "FAX-2,昨日", 1)
		w = s.upload(csvOrdersPath, url.Values{"shop": {shopID}}, []byte(broken))
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "<li>4行目: 注文日時「昨日」が読めません") ||
			!strings.Contains(page, "何も登録していません") {
			t.Fatalf("broken file: %d %s", w.Code, page)
		}
		if n := count(); n != 0 {
			t.Fatalf("a broken file stored %d orders", n)
		}
		// past the pages' mebibyte: an order file of a few MiB (a long 備考 cell) goes through
		big := strings.Replace(csvOrderFile, "\r\n", ",備考\r\n", 1)
		big, err := japanese.ShiftJIS.NewEncoder().String(strings.Replace(big, "代金引換\r\n", "代金引換,"+strings.Repeat("x", 3<<20)+"\r\n", 1))
		if err != nil || len(big) < 3<<20 {
			t.Fatal(err)
		}
		phase := i64toa(b.phases["出荷待ち"].ID)
		w = s.upload(csvOrdersPath, url.Values{"shop": {shopID}, "phase": {phase}}, []byte(big))
		page := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(page, "まだ何も登録していません)。ファイルの注文2件のうち、2件を新しく登録します。0件は取込済み") ||
			!strings.Contains(page, "<td>4</td><td>FAX-2</td><td>佐藤 花子</td>") || !strings.Contains(page, "2件を登録する") {
			t.Fatalf("dry run: %d %s", w.Code, page)
		}
		if n := count(); n != 0 {
			t.Fatalf("the dry run stored %d orders", n)
		}
		upload := regexp.MustCompile(`name="upload" value="([0-9a-f]+)"`).FindStringSubmatch(page)
		if upload == nil {
			t.Fatal("no confirmation form")
		}
		w = s.do(http.MethodPost, csvOrdersPath, url.Values{"upload": {upload[1]}, "shop": {shopID}, "phase": {phase}})
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(page, "注文2件のうち、2件を新しく登録しました。0件は取込済み") {
			t.Fatalf("import: %d %s", w.Code, page)
		}
		w = s.upload(csvOrdersPath, url.Values{"shop": {shopID}}, []byte(csvOrderFile))
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(page, "2件は取込済みのため取り込みません") || strings.Contains(page, "件を登録する") {
			t.Fatalf("dry run again: %d %s", w.Code, page)
		}
		id, _ := formID(shopID, "")
		o, err := b.st.GetOrderByNumber(ctx, id, "TEL-1")
		if err != nil || len(o.Lines) != 2 || o.PhaseID != b.phases["出荷待ち"].ID {
			t.Fatalf("%+v %v", o, err)
		}

		// The shipment layout: a line with both a field and fixed text is refused, nothing saved.
		if w := s.do(http.MethodPost, loc+"/shipment-layout", url.Values{"columns": {"受注番号,order_number,x\n"}}); !strings.Contains(flash(w), "1行目") {
			t.Fatalf("a bad layout: %d %q", w.Code, flash(w))
		}
		var l orderimport.ShipmentLayout
		if saved, _ := b.st.ShopSetting(ctx, id, orderimport.ShipmentSettingName, &l); saved {
			t.Fatal("a bad layout was saved")
		}
		w = s.do(http.MethodPost, loc+"/shipment-layout", url.Values{"columns": {"受注番号,order_number\n伝票番号,tracking_number\n区分,,宅配便\n"}, "shift_jis": {"1"}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "出荷データの形式を保存しました") {
			t.Fatalf("save layout: %d %q", w.Code, flash(w))
		}
		if err := b.st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-22", Carrier: "1001", TrackingNumber: "444413758703"}}, "t"); err != nil {
			t.Fatal(err)
		}
		w = s.do(http.MethodGet, "/orders/csv-shipments.csv?shop="+shopID+"&phase="+i64toa(b.phases["出荷待ち"].ID), nil)
		body, _ := japanese.ShiftJIS.NewDecoder().String(w.Body.String())
		if w.Code != http.StatusOK || w.Header().Get("X-Ichigen-Rows") != "1" || !strings.Contains(w.Header().Get("Content-Type"), "Shift_JIS") ||
			body != "受注番号,伝票番号,区分\r\nTEL-1,444413758703,宅配便\r\n" {
			t.Fatalf("shipments: %d %q %q", w.Code, w.Header(), body)
		}
		if page := htmlOf(s, loc); !strings.Contains(page, "区分,,宅配便") {
			t.Fatal("the saved layout is not shown")
		}
	})
}
