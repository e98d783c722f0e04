package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestBrowserRelativeDaysAndSavedSearchOrder walks issue 20 item 3's leftovers in Chromium:
// picking 「今日」 turns the date fields off and the list's URL carries date=today with today's
// order alone; saved as 「今日の注文」 beside another search, ↑ puts it first and ✎ renames it.
func TestBrowserRelativeDaysAndSavedSearchOrder(t *testing.T) {
	t.Parallel()
	ctx := startBrowser(t)
	b := setup(t, storetest.SQLite)
	ids := dayOrders(t, b)
	addUser(t, b, "hanako", "correct horse battery")
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var disabled bool
	var loc, names string
	var rows int
	run("log in and save a first search",
		chromedp.Navigate(srv.URL+"/orders?q=338005"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "hanako"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`form.save-search`),
		chromedp.SendKeys(`form.save-search input[name=name]`, "全部"),
		chromedp.Submit(`form.save-search`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved] a`),
	)
	run("pick 今日",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`select[data-day-range]`),
		chromedp.SendKeys(`input[name=from]`, "2020-01-01"),
		chromedp.SetValue(`select[data-day-range]`, string(order.DayToday)),
		chromedp.Evaluate(`document.querySelector("select[data-day-range]").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		chromedp.Evaluate(`document.querySelector("input[name=from]").disabled`, &disabled),
	)
	if !disabled {
		t.Fatal("the date fields stay on beside 今日")
	}
	run("search",
		chromedp.Submit(`select[data-day-range]`),
		chromedp.WaitVisible(`.date-span`),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll("tbody tr[data-row]").length`, &rows),
	)
	if !strings.Contains(loc, "date=today") || strings.Contains(loc, "from=2020") || rows != 1 {
		t.Fatalf("the list at %s shows %d rows, want date=today and today's one order (%d)", loc, rows, ids["today"])
	}
	run("save it and move it up",
		chromedp.SendKeys(`form.save-search input[name=name]`, "今日の注文"),
		chromedp.Submit(`form.save-search`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved]:nth-child(2) button.nudge`),
		chromedp.Click(`div.saved-searches li[data-saved]:nth-child(2) button.nudge`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved]:nth-child(2) button.nudge`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("div.saved-searches li[data-saved] a span:first-child")).map(s => s.textContent).join(",")`, &names),
	)
	if names != "今日の注文,全部" {
		t.Fatalf("the side bar lists %q, want 今日の注文 first", names)
	}
	screenshot(t, ctx, "orders-relative-days")
	run("rename it",
		chromedp.Click(`div.saved-searches li[data-saved]:first-child details.rename-saved summary`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved]:first-child details.rename-saved input[name=name]`),
		chromedp.SetValue(`div.saved-searches li[data-saved]:first-child details.rename-saved input[name=name]`, "本日分"),
		chromedp.Submit(`div.saved-searches li[data-saved]:first-child details.rename-saved form`),
		chromedp.WaitVisible(`div.saved-searches li[data-saved] a`),
		chromedp.Poll(`document.querySelector("div.saved-searches li[data-saved] a span").textContent === "本日分"`, nil),
	)
	list, err := b.st.ListSavedSearches(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "本日分" || list[0].Filter.OrderedWithin != order.DayToday {
		t.Fatalf("saved searches %+v %v, want 本日分 (today) first", list, err)
	}
}
