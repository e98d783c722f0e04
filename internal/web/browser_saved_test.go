package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestBrowserSavedSearch walks a saved search in Chromium: the list filtered on 保留 is saved
// with 「この条件を保存」, the side bar shows it with the count of its 4 orders, its link lists
// exactly those 4, and its × deletes it once the confirmation is accepted.
func TestBrowserSavedSearch(t *testing.T) {
	t.Parallel()
	ctx := startBrowser(t)
	b := setup(t, storetest.SQLite)
	hold := i64toa(b.phases["保留"].ID)
	if _, err := b.st.MoveOrders(ctx, b.orderID[3:7], b.phases["保留"].ID, "hanako"); err != nil {
		t.Fatal(err)
	}
	addUser(t, b, "hanako", "correct horse battery")
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	chromedp.ListenTarget(ctx, func(ev any) {
		if _, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			go func() { _ = chromedp.Run(ctx, cdppage.HandleJavaScriptDialog(true)) }()
		}
	})
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var saved, count string
	var rows int
	run("log in and filter on 保留",
		chromedp.Navigate(srv.URL+"/orders?phase="+hold),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "hanako"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`form.save-search`),
	)
	run("save the search",
		chromedp.SendKeys(`form.save-search input[name=name]`, "保留の注文"),
		chromedp.Submit(`form.save-search`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved] a`),
		chromedp.Text(`div.saved-searches li[data-saved] a`, &saved),
	)
	if f := strings.Fields(saved); len(f) != 2 || f[0] != "保留の注文" || f[1] != "4" {
		t.Fatalf("the side bar shows %q, want 保留の注文 with 4", saved)
	}
	screenshot(t, ctx, "orders-saved-search")
	run("open it from the list of every order",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`div.saved-searches li[data-saved] a`),
		chromedp.Click(`div.saved-searches li[data-saved] a`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved] a`),
		chromedp.Text(`[data-total]`, &count),
		chromedp.Evaluate(`document.querySelectorAll("tbody tr[data-row]").length`, &rows),
	)
	if !strings.HasPrefix(strings.TrimSpace(count), "4件") || rows != 4 {
		t.Fatalf("the saved search lists %q with %d rows, want its 4 orders", count, rows)
	}
	run("delete it",
		chromedp.Click(`div.saved-searches button.forget`),
		chromedp.WaitVisible(`div.saved-searches p.muted`),
	)
	if list, err := b.st.ListSavedSearches(ctx); err != nil || len(list) != 0 {
		t.Fatalf("after the delete %d saved searches, %v", len(list), err)
	}
}
