package orderimport_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

var mapping = orderimport.Mapping{Number: "受注番号", OrderedAt: "受注日", BuyerName: "購入者", BuyerZip: "郵便番号", BuyerAddress: "住所",
	ItemName: "品名", UnitPrice: "単価", Quantity: "数量", Postage: "送料", PaymentMethod: "支払方法"}

const file = "受注番号,受注日,購入者,郵便番号,住所,品名,単価,数量,送料,支払方法\r\n" +
	"FAX-001,2026/11/20 10:30,山田 太郎,100-0001,東京都千代田区1-1,静岡煎茶 100g,\"1,080\",2,660,代金引換\r\n" +
	"FAX-001,2026/11/20 10:30,山田 太郎,100-0001,東京都千代田区1-1,湯呑み,2200,1,660,代金引換\r\n" +
	"TEL-002,2026/11/21,佐藤 花子,530-0001,大阪府大阪市北区1-1,ほうじ茶,864,3,,銀行振込\r\n"

func setup(t *testing.T) (store.Store, int64, int64) {
	t.Helper()
	st := storetest.SQLite(t)
	sh, phases := storetest.NewShop(t, st, "fax")
	if err := st.SetShopSetting(context.Background(), sh.ID, orderimport.SettingName, mapping, "t"); err != nil {
		t.Fatal(err)
	}
	return st, sh.ID, phases["新規受付"].ID
}

// A Shift_JIS file of two orders, one of two lines, is imported once: the same file again adds
// nothing.
func TestImportGroupsLinesAndNeverImportsTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, shopID, phaseID := setup(t)
	sjis, err := japanese.ShiftJIS.NewEncoder().String(file)
	if err != nil {
		t.Fatal(err)
	}
	res, err := orderimport.Import(ctx, st, shopID, phaseID, strings.NewReader(sjis), "tester")
	if err != nil || res.Orders != 2 || res.Inserted != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	o, err := st.GetOrderByNumber(ctx, shopID, "FAX-001")
	if err != nil || len(o.Lines) != 2 || o.Buyer.Name != "山田 太郎" || o.PaymentMethod != "代金引換" {
		t.Fatalf("%+v %v", o, err)
	}
	if total, _ := o.Amounts.Requested.Value(); total != 1080*2+2200+660 {
		t.Fatalf("total %d", total)
	}
	res, err = orderimport.Import(ctx, st, shopID, phaseID, strings.NewReader(file), "tester") // UTF-8 this time
	if err != nil || res.Inserted != 0 || res.Known != 2 {
		t.Fatalf("second import %+v %v", res, err)
	}
}

// Broken rows refuse the file with their line numbers, and nothing is stored.
func TestBrokenOrderFilesAreRefusedWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, shopID, phaseID := setup(t)
	for name, c := range map[string]struct{ file, want string }{
		"bad date":     {strings.Replace(file, "2026/11/21", "11月21日", 1), "4行目: 注文日時「11月21日」が読めません"},
		"bad quantity": {strings.Replace(file, ",2,660", ",二,660", 1), "2行目: 単価「1,080」・数量「二」は数字"},
		"no column":    {strings.Replace(file, "品名", "商品", 1), "列「品名」がありません"},
		"bad encoding": {file[:len(file)-2] + "\xff\r\n", "文字コードはShift_JISとして読みました"},
		"sjis broken":  {mustSJIS(file[:len(file)-2]) + "\x82\r\n", "4行目: 文字コードが読めません"},
	} {
		_, err := orderimport.Import(ctx, st, shopID, phaseID, bytes.NewReader([]byte(c.file)), "tester")
		if !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if page, _ := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID}); page.Total != 0 {
		t.Fatalf("%d orders stored from broken files", page.Total)
	}
}

func mustSJIS(s string) string {
	out, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}
