package packing_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

var testSender = shop.Sender{Name: "一元茶舗", Kana: "イチゲンチャホ", Phone: "03-1111-2222", Zip: "1000001", Address: "東京都千代田区千代田1-1",
	YamatoCustomerCode: "0311112222", SagawaCustomerCode: "123456789012"}

var now = time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)

type bench struct {
	st     store.Store
	shop   shop.Shop
	orders []order.Order // as stored, with ids
}

// setup stores five orders: 0 plain, 1 cash on delivery with a long item name, 2 and 3 bundled
// (3 into 2), 4 cancelled.
func setup(t *testing.T) *bench {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite(t)
	sh, phases := storetest.NewShop(t, st, "label")
	if err := st.SetShopSender(ctx, sh.ID, testSender, "tester"); err != nil {
		t.Fatal(err)
	}
	in := storetest.MakeOrders(1, 5, now.Add(-48*time.Hour))
	in[0].Packages[0].DeliveryDate, in[0].Packages[0].DeliveryTime = "2026-11-27", "14時〜16時"
	in[1].PaymentMethod = "代金引換"
	in[1].Lines[0].Name = "【送料無料】静岡県産 深蒸し煎茶 やぶきた 一番摘み 特上 100g×3袋 ギフト包装対応"
	in[1].Packages[0].DeliveryTime = "午前中"
	in[3].Buyer = in[2].Buyer
	in[3].Packages[0].ShipTo = in[2].Packages[0].ShipTo
	in[4].MarketplaceStatus = order.StatusCancelled
	res, err := st.UpsertOrders(ctx, sh.ID, in, store.UpsertOptions{PhaseID: phases["新規受付"].ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orderops.Bundle(ctx, st, []int64{res.IDs[2], res.IDs[3]}, "tester"); err != nil {
		t.Fatal(err)
	}
	out, err := st.GetOrders(ctx, res.IDs)
	if err != nil {
		t.Fatal(err)
	}
	return &bench{st: st, shop: sh, orders: out}
}

func (b *bench) ids() []int64 {
	ids := make([]int64, len(b.orders))
	for i, o := range b.orders {
		ids[i] = o.ID
	}
	return ids
}

// read decodes a label file from CP932 and splits it into rows.
func read(t *testing.T, f *packing.LabelFile) [][]string {
	t.Helper()
	var raw bytes.Buffer
	if _, err := f.WriteTo(&raw); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw.Bytes(), []byte("\r\n")) {
		t.Fatal("rows do not end in CRLF")
	}
	utf, err := io.ReadAll(japanese.ShiftJIS.NewDecoder().Reader(&raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(utf)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func col(t *testing.T, rows [][]string, header string) int {
	t.Helper()
	for i, h := range rows[0] {
		if h == header {
			return i
		}
	}
	t.Fatalf("no column %q in %v", header, rows[0])
	return -1
}

// TestYamatoLabelsFollowB2Layout checks the file against B2's published 入出力用 layout (S1, S2):
// the 1-based column positions below are the specification's.
func TestYamatoLabelsFollowB2Layout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f, err := packing.WriteLabels(context.Background(), b.st, b.ids(), packing.LabelOptions{Layout: packing.Yamato, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	rows := read(t, f)
	spec := map[int]string{1: "お客様管理番号", 2: "送り状種類", 4: "伝票番号", 5: "出荷予定日", 6: "お届け予定日", 7: "配達時間帯", 9: "お届け先電話番号",
		11: "お届け先郵便番号", 12: "お届け先住所", 16: "お届け先名", 22: "ご依頼主郵便番号", 25: "ご依頼主名", 28: "品名１", 34: "ｺﾚｸﾄ代金引換額（税込)",
		35: "内消費税額等", 40: "請求先顧客コード", 42: "運賃管理番号"}
	for pos, h := range spec {
		if rows[0][pos-1] != h {
			t.Errorf("column %d is %q, want %q", pos, rows[0][pos-1], h)
		}
	}
	if len(rows[0]) != 95 {
		t.Fatalf("%d columns, want B2's 95", len(rows[0]))
	}
	// Plain, COD, the bundle once under its parent; the cancelled order left out.
	if len(rows) != 4 || f.Rows != 3 || f.Skipped != 1 {
		t.Fatalf("%d rows (%d written, %d skipped): %v", len(rows), f.Rows, f.Skipped, rows)
	}
	plain, cod, bundle := rows[1], rows[2], rows[3]
	if plain[0] != packing.OrderKey(b.orders[0].ID, 1, 1) || bundle[0] != packing.OrderKey(b.orders[2].ID, 1, 1) {
		t.Fatalf("keys %q %q", plain[0], bundle[0])
	}
	if plain[1] != "0" || plain[4] != "2026/11/24" || plain[5] != "2026/11/27" || plain[6] != "1416" || plain[10] != "100-0001" {
		t.Fatalf("plain row: %q", plain[:11])
	}
	if plain[24] != "一元茶舗" || plain[19] != "03-1111-2222" || plain[39] != "0311112222" || plain[41] != "01" || plain[25] != "ｲﾁｹﾞﾝﾁｬﾎ" {
		t.Fatalf("sender: %q", plain[18:42])
	}
	requested, _ := b.orders[1].Amounts.Requested.Value()
	if cod[1] != "2" || cod[33] != strconv.FormatInt(requested, 10) || cod[34] != "370" || cod[6] != "0812" {
		t.Fatalf("COD row: 種類 %q 金額 %q 税 %q 時間帯 %q", cod[1], cod[33], cod[34], cod[6])
	}
	if w := halfWidths(cod[27]); w > 50 || !strings.HasSuffix(cod[27], "他3点") {
		t.Fatalf("品名 %q (%d characters): cut to 25 full-width keeping the count", cod[27], w)
	}
	// Bundle: the child's three lines travel in the parent's parcel (4 + 4 items).
	if !strings.HasSuffix(bundle[27], "他7点") {
		t.Fatalf("bundle 品名 %q", bundle[27])
	}
	var cut, cancelled bool
	for _, w := range f.Warnings {
		cut = cut || w.OrderID == b.orders[1].ID && strings.Contains(w.Message, "品名を")
		cancelled = cancelled || w.OrderID == b.orders[4].ID && w.Skipped
	}
	if !cut || !cancelled {
		t.Fatalf("warnings: %+v", f.Warnings)
	}
}

func TestSagawaLabelsFollowEhidenIIITemplate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f, err := packing.WriteLabels(context.Background(), b.st, b.ids()[:2], packing.LabelOptions{Layout: packing.Sagawa, Now: now, ShipDate: "2026/11/25"})
	if err != nil {
		t.Fatal(err)
	}
	rows := read(t, f)
	if len(rows[0]) != 74 || rows[0][9] != "お客様管理番号" || rows[0][61] != "お問い合せ送り状No." || rows[0][45] != "配達指定時間帯" {
		t.Fatalf("%d columns: %q", len(rows[0]), rows[0])
	}
	plain, cod := rows[1], rows[2]
	at := func(r []string, h string) string { return r[col(t, rows, h)] }
	if at(plain, "配達指定時間帯") != "14" || at(plain, "配達日") != "20261127" || at(plain, "指定シール１") != "019" || at(plain, "指定シール２") != "005" ||
		at(plain, "出荷日") != "2026/11/25" || at(plain, "お客様管理番号") != packing.OrderKey(b.orders[0].ID, 1, 1) {
		t.Fatalf("plain row: %q", plain)
	}
	if at(cod, "配達指定時間帯") != "01" || at(cod, "指定シール１") != "016" || at(cod, "指定シール３") != "010" || at(cod, "代引金額") == "" {
		t.Fatalf("COD row: %q", cod)
	}
	if w := halfWidths(at(cod, "品名１")); w > 32 || !strings.HasSuffix(at(cod, "品名１"), "他3点") {
		t.Fatalf("品名 %q is longer than e飛伝's 16", at(cod, "品名１"))
	}
}

func TestJapanPostLabelsUseTheFilterLayout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f, err := packing.WriteLabels(context.Background(), b.st, b.ids()[:2], packing.LabelOptions{Layout: packing.JapanPost, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	rows := read(t, f)
	at := func(r []string, h string) string { return r[col(t, rows, h)] }
	if at(rows[1], "配達希望時間帯") != "53" || at(rows[1], "発送予定日") != "20261124" || at(rows[1], "元/着払/代引") != "0" {
		t.Fatalf("plain row: %q", rows[1])
	}
	if at(rows[2], "元/着払/代引") != "2" || at(rows[2], "配達希望時間帯") != "51" {
		t.Fatalf("COD row: %q", rows[2])
	}
}

// A shop without its ご依頼主 gets no file: the label would print without a sender.
func TestLabelsNeedTheShopsSender(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if err := b.st.SetShopSender(context.Background(), b.shop.ID, shop.Sender{Name: "一元茶舗"}, "tester"); err != nil {
		t.Fatal(err)
	}
	_, err := packing.WriteLabels(context.Background(), b.st, b.ids(), packing.LabelOptions{Layout: packing.Yamato, Now: now})
	if err == nil || !strings.Contains(err.Error(), "出荷設定で電話番号、郵便番号、住所、ヤマト運輸の請求先顧客コード") {
		t.Fatalf("got %v", err)
	}
}

// Orders that all get no label (here only a cancelled one) give no empty file but the reason.
func TestLabelsOfNothingAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := packing.WriteLabels(context.Background(), b.st, []int64{b.orders[4].ID, 99999}, packing.LabelOptions{Layout: packing.Yamato, Now: now})
	if err == nil || !strings.Contains(err.Error(), "出力できる注文がありません") || !strings.Contains(err.Error(), "キャンセル") {
		t.Fatalf("got %v", err)
	}
}

func TestParseSlot(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]packing.Slot{"": packing.SlotNone, "午前": packing.SlotMorning, "午前中": packing.SlotMorning,
		"14時〜16時": packing.Slot1416, "１４：００－１６：００": packing.Slot1416, "19:00-21:00": packing.Slot1921, "1820": packing.Slot1820, "18時～21時": packing.Slot1821} {
		if got, ok := packing.ParseSlot(in); !ok || got != want {
			t.Errorf("ParseSlot(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"夕方", "7時〜9時"} {
		if _, ok := packing.ParseSlot(in); ok {
			t.Errorf("ParseSlot(%q) understood", in)
		}
	}
}

// halfWidths counts a text's width in half-width units, as the layouts give their sizes.
func halfWidths(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x80 || r >= 0xFF61 && r <= 0xFF9F {
			n++
		} else {
			n += 2
		}
	}
	return n
}
