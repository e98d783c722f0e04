package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// giftOrder stores an order of two destinations (Rakuten basket ids 300 and 310) whose buyer
// wrote remarks and asked for a day and a time of delivery, with a line of history written by
// the 注文確認 rule.
func giftOrder(t *testing.T, b *testBundle) order.Order {
	t.Helper()
	ctx := t.Context()
	o := storetest.MakeOrders(901, 1, base)[0]
	o.Remarks = "贈り物です。金額のわかるものは入れないでください。"
	o.MarketplaceStatusRaw = "200"
	o.Packages = []order.Package{
		{Key: "300", ShipTo: order.Person{Name: "山田 花子", Zip: "150-0001", Address: "東京都渋谷区神宮前1-1-1"}, DeliveryDate: "2026-12-05", DeliveryTime: "14時〜16時"},
		{Key: "310", ShipTo: order.Person{Name: "佐藤 一郎", Zip: "530-0001", Address: "大阪府大阪市北区梅田1-1-1"}},
	}
	o.Lines[0].PackageKey, o.Lines[1].PackageKey, o.Lines[2].PackageKey = "300", "310", "310"
	res, err := b.st.UpsertOrders(ctx, b.shop.ID, []order.Order{o}, store.UpsertOptions{Actor: "system:import"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[0]
	if err := b.st.AddOrderEvents(ctx, []order.Event{{OrderID: id, Kind: order.EventUpdated, Actor: "system:confirm", Message: "注文確認しました"}}); err != nil {
		t.Fatal(err)
	}
	got, err := b.st.GetOrder(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestOrderPageShowsNoInternalCodes: the order page names the rule that acted as
// 自動処理「注文確認」, the destinations as お届け先1 and 2 (not Rakuten's basket ids), the
// marketplace's status by RMS's own name with its code only as a hint, and shows the buyer's
// remarks, the day and the time of delivery asked for.
func TestOrderPageShowsNoInternalCodes(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		o := giftOrder(t, b)
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		page := htmlOf(s, idPath(o.ID))
		for _, want := range []string{"自動処理「注文確認」", "<h2>お届け先1</h2>", "<h2>お届け先2</h2>", "楽天処理中",
			"贈り物です。金額のわかるものは入れないでください。", "2026-12-05", "14時〜16時", "お届け希望日", "お届け時間帯", "納品書を印刷"} {
			if !strings.Contains(page, want) {
				t.Errorf("the order page does not show %q", want)
			}
		}
		for _, internal := range []string{">system:confirm<", "お届け先 300", ">300<", ">raw<"} {
			if strings.Contains(page, internal) {
				t.Errorf("the order page shows the internal %q", internal)
			}
		}
		if strings.Contains(page, `name="memo"`) {
			t.Error("a view-only operator is offered the memo form")
		}
	})
}

// TestOrderMemoIsEditedOnTheOrderPage: an operator with 更新 saves a memo, which the page shows
// and the history records; a stale form and a memo too long are refused with what to do; a
// view-only operator may not write one.
func TestOrderMemoIsEditedOnTheOrderPage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		o := giftOrder(t, b)
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		memo := func(text string, version int64) string {
			return flash(s.do(http.MethodPost, idPath(o.ID)+"/memo", url.Values{"memo": {text}, "version": {i64toa(version)}}))
		}
		if msg := memo("のし: 御歳暮\r\n外のし", o.Version); msg != "メモを保存しました。" {
			t.Fatalf("save: %q", msg)
		}
		page := htmlOf(s, idPath(o.ID))
		if !strings.Contains(page, ">のし: 御歳暮\n外のし</textarea>") || !strings.Contains(page, "メモを変更しました: 「のし: 御歳暮…」") {
			t.Fatal("the page does not show the memo saved and its line of history")
		}
		if msg := memo("古い画面から", o.Version); !strings.HasPrefix(msg, flashErrorMark) || !strings.Contains(msg, "再読み込み") {
			t.Errorf("a stale form: %q", msg)
		}
		if msg := memo(strings.Repeat("長", order.MemoMaxRunes+1), o.Version+1); !strings.HasPrefix(msg, flashErrorMark) || !strings.Contains(msg, "2000文字まで") {
			t.Errorf("a memo too long: %q", msg)
		}
		if got, _ := b.st.GetOrder(t.Context(), o.ID); got.Memo != "のし: 御歳暮\n外のし" {
			t.Fatalf("stored memo %q", got.Memo)
		}
		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		if w := viewer.do(http.MethodPost, idPath(o.ID)+"/memo", url.Values{"memo": {"x"}, "version": {"1"}}); w.Code != http.StatusForbidden {
			t.Fatalf("a view-only operator's memo: %d", w.Code)
		}
	})
}

// TestSplitOrderAmountsAreExplained: after a split the origin's page says its amounts are the
// whole order's and the child's that it has none; the child's 納品書 lists its goods, no payment,
// and names the origin.
func TestSplitOrderAmountsAreExplained(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		o := giftOrder(t, b)
		child, err := orderops.Split(t.Context(), b.st, o.ID, []orderops.LineMove{{Line: 1, Quantity: 1}}, "hanako")
		if err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		if page := htmlOf(s, idPath(o.ID)); !strings.Contains(page, "分割元の金額は分割前の注文全体の金額です") {
			t.Error("the split origin's page does not explain its amounts")
		}
		if page := htmlOf(s, idPath(child.ID)); !strings.Contains(page, "分割先の注文には金額がありません") {
			t.Error("the split child's page does not explain it has no amounts")
		}
		slip := htmlOf(s, idPath(child.ID)+"/slip")
		if !strings.Contains(slip, "注文 "+o.Number+" の納品書に記載しています") || strings.Contains(slip, "ご請求金額") {
			t.Error("the split child's slip shows a payment or does not name its origin")
		}
	})
}

// TestDeliverySlipPrintsTheOrder: 納品書 names the shop's ご依頼主, the buyer, the destinations,
// each line with its subtotal, the amounts and the tax per rate, one A4 sheet per order; the list's
// selection prints several; a selection it cannot read is refused with what to do.
func TestDeliverySlipPrintsTheOrder(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		o := giftOrder(t, b)
		if err := b.st.SetShopSender(t.Context(), b.shop.ID, shop.Sender{Name: "お茶の山田園", Zip: "420-0001", Address: "静岡県静岡市葵区1-2-3", Phone: "054-000-0000"}, "admin"); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		slip := htmlOf(s, idPath(o.ID)+"/slip")
		for _, want := range []string{"<h1>納品書</h1>", o.Number, o.Buyer.Name + " 様", "お茶の山田園", "静岡県静岡市葵区1-2-3", "TEL 054-000-0000",
			"お届け先1", "山田 花子 様", "お届け先2", "佐藤 一郎 様", "お届け希望: 2026-12-05 14時〜16時",
			"静岡煎茶 100g", "¥2,160", "色:藍", "送料", "¥660", "ご請求金額", "8%対象 ¥2,160(内消費税 ¥160)", "10%対象 ¥2,970(内消費税 ¥270)",
			"金額はすべて税込です。", `/static/slip.css`} {
			if !strings.Contains(slip, want) {
				t.Errorf("the slip does not show %q", want)
			}
		}
		if strings.Contains(slip, "送料が未確定") {
			t.Error("an order of fixed postage is warned of")
		}
		// The tenth order of the fixture has Rakuten's -9999 postage.
		two := htmlOf(s, slipsPath+"?ids="+i64toa(o.ID)+","+i64toa(b.orderID[9]))
		if n := strings.Count(two, `<article class="slip"`); n != 2 {
			t.Fatalf("%d slips for two orders", n)
		}
		if !strings.Contains(two, "送料が未確定の注文が1件あり") {
			t.Error("the print does not warn of the order whose postage is not fixed")
		}
		if w := s.do(http.MethodGet, slipsPath+"?ids=1,x", nil); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "一覧で選び直してから印刷してください") {
			t.Errorf("unreadable ids: %d", w.Code)
		}
		if page := htmlOf(s, "/orders"); !strings.Contains(page, `href="/orders/slips`) {
			t.Error("the order list offers no 納品書")
		}
	})
}

// TestBundleParentSlipBringsItsChildren: the 納品書 of a bundle parent (同梱) prints the slips
// of the orders bundled into it after its own, since they travel in the same parcel, and says so.
func TestBundleParentSlipBringsItsChildren(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		pair := storetest.MakeOrders(951, 2, base)
		pair[1].Buyer, pair[1].Packages = pair[0].Buyer, pair[0].Packages
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, pair, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		parent, err := orderops.Bundle(ctx, b.st, res.IDs, "hanako")
		if err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		slip := htmlOf(s, idPath(parent.ID)+"/slip")
		if n := strings.Count(slip, `<article class="slip"`); n != 2 || !strings.Contains(slip, "ご注文 "+pair[1].Number+" の商品を同じ荷物でお届けします") {
			t.Fatalf("%d slips for a bundle of two, or no note of the bundled order", n)
		}
		both := htmlOf(s, slipsPath+"?ids="+i64toa(res.IDs[0])+","+i64toa(res.IDs[1]))
		if n := strings.Count(both, `<article class="slip"`); n != 2 {
			t.Fatalf("%d slips when the parent and its child are both selected, want each once", n)
		}
	})
}
