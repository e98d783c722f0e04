package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// browserPath finds headless Chromium: Debian's chromium, or $ICHIGEN_CHROMIUM. Without one the
// browser tests skip, unless ICHIGEN_REQUIRE_BROWSER=1 (as in CI, which installs it).
func browserPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ICHIGEN_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("ICHIGEN_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found; ICHIGEN_REQUIRE_BROWSER=1 makes this a failure (apt-get install chromium)")
	}
	t.Skip("no Chromium found: skipping the browser tests (apt-get install chromium)")
	return ""
}

// startBrowser opens a headless Chromium for the test.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browserPath(t)), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1400, 900), chromedp.Flag("lang", "ja-JP"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// screenshot saves the page to $ICHIGEN_SCREENSHOTS/name.png when that is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ICHIGEN_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserOperatorDay logs in, searches, moves two selected orders, fixes a bad tracking
// number on an order, and checks that a view-only operator is offered no change.
func TestBrowserOperatorDay(t *testing.T) {
	t.Parallel()
	ctx := startBrowser(t)
	b := setup(t, storetest.SQLite)
	addUser(t, b, "hanako", "correct horse battery")
	srv := httptest.NewServer(b.h)
	t.Cleanup(srv.Close)

	var text string
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run("log in",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "hanako"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`table.orders`),
		chromedp.WaitVisible(`ul.phase-counts`), // the side bar arrives by htmx
	)
	screenshot(t, ctx, "orders")

	run("search by keyword",
		chromedp.SetValue(`input[name=q]`, "-00000012"),
		chromedp.Submit(`form.filters`),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Text(`.actions .count`, &text),
	)
	if !strings.HasPrefix(strings.TrimSpace(text), "1件") {
		t.Fatalf("keyword search counts %q", text)
	}

	hold := i64toa(b.phases["保留"].ID)
	run("select two orders and move them",
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Click(`tbody tr:nth-child(1) input[data-order]`),
		chromedp.Click(`tbody tr:nth-child(2) input[data-order]`),
		chromedp.SetValue(`select[name=phase_id]`, hold),
		chromedp.Click(`button[formaction="/orders/move"]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "2件の注文を「保留」に移動しました") {
		t.Fatalf("after the move the page says %q", text)
	}
	page, err := b.st.SearchOrders(ctx, storeQueryPhase(b.phases["保留"].ID))
	if err != nil || page.Total != 2 {
		t.Fatalf("%d orders in 保留 after the move, %v", page.Total, err)
	}

	run("open an order and enter a bad tracking number",
		chromedp.Click(`tbody tr:nth-child(3) td.mono a`),
		chromedp.WaitVisible(`#shipments`),
		chromedp.SetValue(`select[name=carrier]`, "1001"),
		chromedp.SetValue(`input[name=ship_date]`, "2026-11-02"),
		chromedp.SetValue(`input[name=tracking]`, "444413758704"),
		chromedp.Click(`#shipments button[type=submit]`),
		chromedp.WaitVisible(`tr.invalid .error`),
		chromedp.Text(`tr.invalid .error`, &text),
	)
	if !strings.Contains(text, "チェックデジットが合いません") {
		t.Fatalf("bad tracking number message %q", text)
	}
	screenshot(t, ctx, "order-invalid-tracking")
	run("fix it",
		chromedp.SetValue(`input[name=tracking]`, "4444-1375-8703"),
		chromedp.Click(`#shipments button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &text),
		chromedp.Value(`input[name=tracking]`, &text),
	)
	if text != "444413758703" {
		t.Fatalf("saved tracking number %q", text)
	}
	screenshot(t, ctx, "order")

	// The settings an operator changes beside the day's work render in the browser too.
	for _, page := range []struct{ path, ready, name string }{
		{"/settings/phases", `button.danger`, "settings-phases"},
		{"/settings/notify", `textarea[name=addresses]`, "settings-notify"},
		{"/account/password", `input[type=password]`, "account-password"},
	} {
		run("open "+page.path, chromedp.Navigate(srv.URL+page.path), chromedp.WaitVisible(page.ready))
		screenshot(t, ctx, page.name)
	}

	// The day starts on 要対応: a group of failed reports opens the list of exactly its orders,
	// which are sent again all at once.
	if err := b.st.SetLinkStatus(ctx, b.orderID[20:23], store.Link{Status: "rakuten_ship_report_error", Message: "送付先の郵便番号が正しくありません。"}); err != nil {
		t.Fatal(err)
	}
	run("open 要対応", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`table.attention-errors`))
	screenshot(t, ctx, "attention-errors")
	run("open a group of errors",
		chromedp.Click(`a[data-error-group]`),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Text(`.actions .count`, &text),
	)
	if !strings.HasPrefix(strings.TrimSpace(text), "3件") {
		t.Fatalf("the group's list counts %q, want its 3 orders", text)
	}
	screenshot(t, ctx, "attention-group")
	run("send every order of the group again",
		chromedp.Click(`input[data-select-all-results]`),
		chromedp.SetValue(`select[name=link_status]`, ""),
		chromedp.Click(`button[formaction="/orders/link-status"]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "3件の注文の連携ステータスを「空欄(未処理)」に変更しました") {
		t.Fatalf("after the group's retry the page says %q", text)
	}
	// No group of errors is left; the fixture's orders waiting for their postage still are.
	run("要対応 after the retry", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`div.attention-postage`),
		chromedp.WaitNotPresent(`a[data-error-group]`))
	screenshot(t, ctx, "attention")

	viewer := b.loginAs(t, only(user.MenuOrders, user.View))
	var moveButtons, saveButtons int
	run("a view-only operator",
		chromedp.ActionFunc(func(ctx context.Context) error {
			return chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/login"), setCookie(srv.URL, sessionCookie, viewer.token))
		}),
		chromedp.Navigate(srv.URL+"/orders"),
		chromedp.WaitVisible(`table.orders`),
		chromedp.Evaluate(`document.querySelectorAll('button[formaction="/orders/move"]').length`, &moveButtons),
		chromedp.Navigate(srv.URL+"/orders/"+i64toa(b.orderID[0])),
		chromedp.WaitVisible(`#shipments`),
		chromedp.Evaluate(`document.querySelectorAll('#shipments button[type=submit]').length`, &saveButtons),
	)
	if moveButtons != 0 || saveButtons != 0 {
		t.Fatalf("a view-only operator sees %d move and %d save buttons", moveButtons, saveButtons)
	}
	// And the server refuses what the page does not offer.
	if w := viewer.do(http.MethodPost, "/orders/move", nil); w.Code != http.StatusForbidden {
		t.Fatalf("a view-only move: %d", w.Code)
	}
}

func storeQueryPhase(phaseID int64) store.OrderQuery { return store.OrderQuery{PhaseID: phaseID} }

// setCookie sets a cookie in the browser for the test server.
func setCookie(serverURL, name, value string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return network.SetCookie(name, value).WithURL(serverURL).WithHTTPOnly(true).Do(ctx)
	})
}
