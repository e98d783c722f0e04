package web

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestLabelWarningsAreShownOnThePage: the order list's label links open a page that says what
// the file holds and lists each warning (a 品名 cut to the layout's width, a time slot it cannot
// read) with its order, and offers the download; a refused file (no sender) says what to enter.
func TestLabelWarningsAreShownOnThePage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.View})
		m := orderimport.Mapping{Number: "番号", OrderedAt: "日時", BuyerName: "氏名", BuyerZip: "郵便番号", BuyerAddress: "住所", DeliveryTime: "時間帯",
			ItemName: "品名", UnitPrice: "単価", Quantity: "数量"}
		if err := b.st.SetShopSetting(ctx, b.shop.ID, orderimport.SettingName, m, "t"); err != nil {
			t.Fatal(err)
		}
		file := "番号,日時,氏名,郵便番号,住所,時間帯,品名,単価,数量\n" +
			"LONG-1,2026/11/20 10:00,山田 太郎,100-0001,東京都千代田区1-1,夜遅く," + strings.Repeat("とても長い商品名", 6) + ",1000,1\n"
		if _, err := orderimport.Import(ctx, b.st, b.shop.ID, b.phases["出荷待ち"].ID, strings.NewReader(file), "t"); err != nil {
			t.Fatal(err)
		}
		o, err := b.st.GetOrderByNumber(ctx, b.shop.ID, "LONG-1")
		if err != nil {
			t.Fatal(err)
		}
		path := "/orders/labels?layout=yamato-b2&ids=" + i64toa(o.ID)
		w := s.do(http.MethodGet, path, nil)
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "出荷設定") || strings.Contains(page, "/orders/labels.csv") {
			t.Fatalf("no sender: %d %s", w.Code, page)
		}
		if err := b.st.SetShopSender(ctx, b.shop.ID, shop.Sender{Name: "一元茶舗", Phone: "03-1111-2222", Zip: "1000001", Address: "東京都千代田区1-1", YamatoCustomerCode: "0311112222"}, "t"); err != nil {
			t.Fatal(err)
		}
		w = s.do(http.MethodGet, path, nil)
		page := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(page, "1行を出力します。0件の注文は出力しません。注意が2件あります。") ||
			!strings.Contains(page, "品名をヤマト運輸 B2クラウドの桁数") || !strings.Contains(page, "お届け時間帯「夜遅く」が読めない") ||
			!strings.Contains(page, `href="/orders/`+i64toa(o.ID)+`"`) {
			t.Fatalf("page: %d %s", w.Code, page)
		}
		if !strings.Contains(w.Body.String(), `href="/orders/labels.csv?layout=yamato-b2&amp;ids=`+i64toa(o.ID)+`"`) {
			t.Fatalf("no download link: %s", page)
		}
		if w := s.do(http.MethodGet, "/orders/labels.csv?layout=yamato-b2&ids="+i64toa(o.ID), nil); w.Code != http.StatusOK || w.Header().Get("X-Ichigen-Warnings") != "2" {
			t.Fatalf("download: %d %v", w.Code, w.Header())
		}
	})
}
