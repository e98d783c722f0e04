package web

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestBrowserOrderMemoAndSlip walks the order page as an operator reads it in Chromium: the
// history names the rule (自動処理「注文確認」), a memo typed in and saved stays after a reload;
// then two orders ticked on the list print as 納品書, one A4 page each, as Chromium's own print
// to PDF lays them out.
func TestBrowserOrderMemoAndSlip(t *testing.T) {
	t.Parallel()
	ctx := startBrowser(t)
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	o := giftOrder(t, b)
	if err := b.st.SetShopSender(t.Context(), b.shop.ID, shop.Sender{Name: "お茶の山田園", Zip: "420-0001", Address: "静岡県静岡市葵区1-2-3", Phone: "054-000-0000"}, "admin"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var history, memo, flashText string
	run("log in and open the order",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "hanako"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Navigate(srv.URL+idPath(o.ID)),
		chromedp.WaitVisible(`#memo textarea[name=memo]`),
		chromedp.Text(`body`, &history),
	)
	if !strings.Contains(history, "自動処理「注文確認」") || strings.Contains(history, "system:confirm") {
		t.Fatal("the order page's history does not name the rule as 自動処理「注文確認」")
	}
	run("write a memo",
		chromedp.SendKeys(`#memo textarea[name=memo]`, "のし: 御歳暮"),
		chromedp.Click(`#memo button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &flashText),
		chromedp.Reload(),
		chromedp.WaitVisible(`#memo textarea[name=memo]`),
		chromedp.Value(`#memo textarea[name=memo]`, &memo),
	)
	screenshot(t, ctx, "order-memo")
	if !strings.Contains(flashText, "メモを保存しました。") || memo != "のし: 御歳暮" {
		t.Fatalf("after saving the page says %q and the memo reads %q", flashText, memo)
	}

	var slips int
	var url, first string
	run("tick two orders and print their slips",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Click(`tbody tr:nth-child(1) input[data-order]`),
		chromedp.Click(`tbody tr:nth-child(2) input[data-order]`),
		chromedp.Click(`a[data-slips]`),
		chromedp.WaitVisible(`article.slip`),
		chromedp.Location(&url),
		chromedp.Evaluate(`document.querySelectorAll("article.slip").length`, &slips),
		chromedp.Text(`article.slip`, &first),
	)
	screenshot(t, ctx, "slips")
	if slips != 2 || !strings.Contains(url, "ids=") {
		t.Fatalf("%d slips at %s, want the two ticked", slips, url)
	}
	if !strings.Contains(first, "納品書") || !strings.Contains(first, "お茶の山田園") || !strings.Contains(first, "ご請求金額") {
		t.Fatalf("the first slip reads %q", first)
	}
	var pdf []byte
	run("print to PDF", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = cdppage.PrintToPDF().WithPreferCSSPageSize(true).Do(ctx)
		return err
	}))
	if n := len(pdfPage.FindAll(pdf, -1)); n != 2 {
		t.Fatalf("the PDF of two slips has %d pages, want one A4 page each", n)
	}
	// A4 is 210 × 297 mm, 595.3 × 841.9 points (Chromium rounds to its pixel grid: 594.96 × 841.92).
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0 0 59[45]\.\d+ 84[12]\.\d+\s*\]`).Match(pdf) {
		t.Fatalf("the PDF's pages are not A4: %q", regexp.MustCompile(`/MediaBox\s*\[[^\]]*\]`).Find(pdf))
	}
}
