package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestBrowserListForVolume walks the list's pages in Chromium: 130 orders show as 「130件」 on
// three numbered pages of 50; the jump opens page 3 (101–130); 100 per page is picked from the
// select, starts again at page 1 and is remembered on the next visit; the side bar's shop counts
// fold and stay folded after a reload.
func TestBrowserListForVolume(t *testing.T) {
	t.Parallel()
	ctx := startBrowser(t)
	b := setup(t, storetest.SQLite)
	if _, err := b.st.UpsertOrders(ctx, b.shop.ID, storetest.MakeOrders(31, 100, base), store.UpsertOptions{}); err != nil {
		t.Fatal(err)
	}
	addUser(t, b, "hanako", "correct horse battery")
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var count, pages, pager string
	var rows int
	countRows := chromedp.Evaluate(`document.querySelectorAll("tbody tr[data-row]").length`, &rows)
	run("log in",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "hanako"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Text(`[data-total]`, &count),
		chromedp.Text(`[data-pages]`, &pages),
		countRows,
	)
	if !strings.HasPrefix(strings.TrimSpace(count), "130件") || strings.Join(strings.Fields(pages), "") != "123" || rows != 50 {
		t.Fatalf("the first page counts %q, numbers %q, shows %d rows", count, pages, rows)
	}
	run("jump to page 3",
		chromedp.SetValue(`form[data-jump] input[name=page]`, "3"),
		chromedp.Submit(`form[data-jump]`),
		chromedp.WaitVisible(`[data-pages] strong[data-page="3"]`),
		chromedp.Text(`nav.pager`, &pager),
		countRows,
	)
	if !strings.Contains(pager, "101–130 / 130件") || rows != 30 {
		t.Fatalf("page 3 reads %q with %d rows", pager, rows)
	}
	screenshot(t, ctx, "orders-pager")
	run("show 100 a page",
		chromedp.SetValue(`select[data-page-size]`, "100"),
		chromedp.Evaluate(`document.querySelector("select[data-page-size]").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		chromedp.WaitVisible(`[data-pages] a[data-page="2"]`),
		chromedp.WaitVisible(`[data-pages] strong[data-page="1"]`),
		countRows,
	)
	if rows != 100 {
		t.Fatalf("100 a page shows %d rows", rows)
	}
	run("the size is remembered",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`table.orders`),
		countRows,
	)
	if rows != 100 {
		t.Fatalf("the next visit shows %d rows, not the 100 chosen", rows)
	}
	var hidden bool
	run("fold the first phase's shop counts",
		chromedp.WaitVisible(`ul.phase-counts button[data-fold]`),
		chromedp.Click(`ul.phase-counts button[data-fold]`),
		chromedp.Evaluate(`document.querySelector("ul.phase-counts ul[data-fold-body]").hidden`, &hidden),
	)
	if !hidden {
		t.Fatal("the shop counts did not fold")
	}
	run("reload",
		chromedp.Reload(),
		chromedp.WaitVisible(`ul.phase-counts button[data-fold]`),
		chromedp.Evaluate(`document.querySelector("ul.phase-counts ul[data-fold-body]").hidden`, &hidden),
	)
	if !hidden {
		t.Fatal("the fold was forgotten after a reload")
	}
}
