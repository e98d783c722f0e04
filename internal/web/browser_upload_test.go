package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/web"
)

// TestBrowserOrderFileDryRunThenConfirm: in a real browser, an order file goes up through the
// progress form (static/upload.js sends it by XHR with the session's CSRF header), the dry run
// lists its orders and saves nothing, and the confirmation imports the file kept on the server.
func TestBrowserOrderFileDryRunThenConfirm(t *testing.T) {
	t.Parallel()
	ctx := web.StartBrowser(t)
	in := startAuInstance(t)
	st := in.srv.Store
	bg := context.Background()
	m := orderimport.Mapping{Number: "受注番号", OrderedAt: "受注日", BuyerName: "購入者", ItemName: "品名", UnitPrice: "単価", Quantity: "数量"}
	if err := st.SetShopSetting(bg, in.shop.ID, orderimport.SettingName, m, "t"); err != nil {
		t.Fatal(err)
	}
	g, err := st.CreateGroup(bg, user.Group{Name: "受注担当", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update}})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(bg, user.User{Login: "clerk", Name: "受注 担当", PasswordHash: hash, GroupID: g.ID}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "fax.csv")
	if err := os.WriteFile(file, []byte("受注番号,受注日,購入者,品名,単価,数量\nFAX-77,2026/11/20,山田 太郎,煎茶,1080,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var text string
	base := in.srv.URL()
	run("log in and open the order file import",
		chromedp.Navigate(base+"/orders/csv-orders?shop="+itoa(in.shop.ID)),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "clerk"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`form[data-upload-progress] input[type=file]`),
	)
	run("send the file: the dry run",
		chromedp.SetUploadFiles(`form[data-upload-progress] input[type=file]`, []string{file}),
		chromedp.Click(`form[data-upload-progress] button[type=submit]`),
		chromedp.WaitVisible(`p.notice`),
		chromedp.Text(`p.notice`, &text),
	)
	if !strings.Contains(text, "まだ何も登録していません") || !strings.Contains(text, "1件を新しく登録します") {
		t.Fatalf("dry run: %q", text)
	}
	if _, err := st.GetOrderByNumber(bg, in.shop.ID, "FAX-77"); err == nil {
		t.Fatal("the dry run saved the order")
	}
	run("confirm",
		chromedp.Click(`input[name=upload] ~ button[type=submit]`),
		chromedp.WaitVisible(`p.notice:not(:has(+ table))`),
		chromedp.Text(`p.notice`, &text),
	)
	if !strings.Contains(text, "1件を新しく登録しました") {
		t.Fatalf("confirm: %q", text)
	}
	if _, err := st.GetOrderByNumber(bg, in.shop.ID, "FAX-77"); err != nil {
		t.Fatalf("not imported: %v", err)
	}
}
