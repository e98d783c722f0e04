package orderimport_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

var cartMapping = orderimport.Mapping{Number: "注文番号", OrderedAt: "注文日時", BuyerName: "注文者", ItemName: "商品名", UnitPrice: "単価", Quantity: "数量",
	Postage: "送料", PaymentMethod: "決済方法",
	Trade: orderimport.Trade{TraderCode: "加盟店コード", TradeOrderNo: "受付番号", TradeAmount: "決済金額", AuthorizedAt: "与信日時"}}

const cartHeader = "注文番号,注文日時,注文者,商品名,単価,数量,送料,決済方法,加盟店コード,受付番号,決済金額,与信日時\r\n"

// TestOwnCartCSVCarriesTheWebcollectTrade: an own cart's export with webコレクト's trade
// columns stores each card order as the cart's intake would — 仮売上 once authorised, 要確認
// before, the trade's 受付番号 where 決済 finds it — so a cancel of the imported order reaches
// the trade on the simulator; a file with an amount that is not the order's total or a 受付番号
// webコレクト would not take is refused whole with the lines to fix, and a non-cart shop may not
// name the trade columns.
func TestOwnCartCSVCarriesTheWebcollectTrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	rakutenShop, phases := storetest.NewShop(t, st, "mall")
	sim := ownshopsim.New(ownshopsim.Config{})
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	creds := shop.Credentials(sim.Credentials())
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetShopSetting(ctx, sh.ID, orderimport.SettingName, cartMapping, "t"); err != nil {
		t.Fatal(err)
	}
	if !sim.Gateway.Authorize("CSV0000001", 1080*2+550, sim.Now()) {
		t.Fatal("the simulator did not authorise the trade")
	}

	broken := cartHeader +
		"W-1,2026/12/01 10:00,山田 太郎,煎茶,1080,2,550,,888888709,CSV0000001,9999,2026/12/01 10:01\r\n" +
		"W-2,2026/12/01 11:00,佐藤 花子,ほうじ茶,864,1,550,,888888709,CSV-000000000000000000002,,\r\n"
	_, err = orderimport.Import(ctx, st, sh.ID, phases["新規受付"].ID, strings.NewReader(broken), "tester")
	var fe *packing.FileError
	if !errors.As(err, &fe) || len(fe.Problems) != 2 || !strings.HasPrefix(fe.Problems[0], "3行目: 受付番号") || !strings.HasPrefix(fe.Problems[1], "2行目: 決済金額 9,999円 が注文の合計 2,710円") {
		t.Fatalf("a broken file: %v", err)
	}
	if page, _ := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID}); page.Total != 0 {
		t.Fatalf("%d orders stored from a refused file", page.Total)
	}

	file := cartHeader +
		"W-1,2026/12/01 10:00,山田 太郎,煎茶,1080,2,550,,888888709,CSV0000001,\"2,710\",2026/12/01 10:01\r\n" +
		"W-2,2026/12/01 11:00,佐藤 花子,ほうじ茶,864,1,550,,888888709,CSV0000002,1414,\r\n" +
		"W-3,2026/12/01 12:00,鈴木 一郎,玉露,3240,1,550,銀行振込,,,,\r\n"
	res, err := orderimport.Import(ctx, st, sh.ID, phases["新規受付"].ID, strings.NewReader(file), "tester")
	if err != nil || res.Inserted != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	want := map[string]order.PaymentStatus{"W-1": order.CardAuthorized, "W-2": order.CardUnsettled, "W-3": order.Unpaid}
	for number, ps := range want {
		o, err := st.GetOrderByNumber(ctx, sh.ID, number)
		if err != nil || o.PaymentStatus != ps {
			t.Fatalf("%s: %s, want %s (%v)", number, o.PaymentStatus.Label(), ps.Label(), err)
		}
	}
	o, _ := st.GetOrderByNumber(ctx, sh.ID, "W-1")
	if got := ownshop.TradeOf(o); got != "CSV0000001" || o.PaymentMethod != "クロネコwebコレクト クレジット" {
		t.Fatalf("W-1's trade %q, method %q", got, o.PaymentMethod)
	}
	client, err := ownshop.NewClient(channel.Account{ShopID: sh.ID, ShopName: sh.Name, Credentials: creds.Plain(), BaseURL: ts.URL, HTTP: &http.Client{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, err := client.(channel.PaymentManager).CancelPayment(ctx, o)
	if err != nil || cancelled.PaymentStatus != order.CardCancelled {
		t.Fatalf("cancel of the imported trade: %s %v", cancelled.PaymentStatus.Label(), err)
	}

	if err := st.SetShopSetting(ctx, rakutenShop.ID, orderimport.SettingName, cartMapping, "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := orderimport.Import(ctx, st, rakutenShop.ID, phases["新規受付"].ID, strings.NewReader(file), "tester"); err == nil || !strings.Contains(err.Error(), "自社カートの店舗だけ") {
		t.Fatalf("trade columns on a Rakuten shop: %v", err)
	}
}
