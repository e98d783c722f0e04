package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestBrowserBulkMoveAsksFirst: ticking 検索結果すべて and moving shows the preview to confirm and
// moves nothing; やめる goes back to the list; the confirming button moves all 30 orders.
func TestBrowserBulkMoveAsksFirst(t *testing.T) {
	t.Parallel()
	ctx := startBrowser(t)
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	hold := b.phases["保留"].ID
	inHold := func() int64 {
		t.Helper()
		page, err := b.st.SearchOrders(ctx, storeQueryPhase(hold))
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}
	tickAllAndMove := chromedp.Tasks{
		chromedp.Navigate(srv.URL + "/orders"),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Click(`input[data-select-all-results]`),
		chromedp.SetValue(`select[name=phase_id]`, i64toa(hold)),
		chromedp.Click(`button[formaction="/orders/move"]`),
		chromedp.WaitVisible(`[data-bulk-confirm]`),
	}
	var text, button string
	run("log in",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "hanako"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`table.orders`),
	)
	run("move every result", tickAllAndMove,
		chromedp.Text(`[data-bulk-confirm]`, &text),
		chromedp.Text(`button[data-confirm-bulk]`, &button),
	)
	screenshot(t, ctx, "bulk-confirm")
	if !strings.Contains(text, "30件の注文を「保留」へ移動します") || !strings.Contains(text, "新規受付") || button != "30件を「保留」へ移動する" {
		t.Fatalf("the confirmation says %q, its button %q", text, button)
	}
	if n := inHold(); n != 0 {
		t.Fatalf("%d orders moved before the confirmation", n)
	}
	run("cancel", chromedp.Click(`[data-bulk-confirm] a.button`), chromedp.WaitVisible(`table.orders`))
	if n := inHold(); n != 0 {
		t.Fatalf("%d orders moved after やめる", n)
	}
	run("confirm", tickAllAndMove,
		chromedp.Click(`button[data-confirm-bulk]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "30件の注文を「保留」に移動しました") || inHold() != 30 {
		t.Fatalf("after confirming the page says %q; %d orders in 保留", text, inHold())
	}
}
