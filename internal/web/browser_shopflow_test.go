package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/web"
)

// TestBrowserNewShopIsReadyTheFirstDay walks a new Rakuten shop in Chromium against the Rakuten
// simulator: the operator adds it and finds its four rules ready and stopped, the shop shown as
// 認証情報未設定; a wrong licenseKey gets the auth message from 接続テスト, the right one 接続でき
// ました; the rules page lists the chain, every rule 停止中.
func TestBrowserNewShopIsReadyTheFirstDay(t *testing.T) {
	t.Parallel()
	ctx := web.StartBrowser(t)
	sim := rakutensim.New(rakutensim.Config{})
	simServer := httptest.NewServer(sim.Handler())
	t.Cleanup(simServer.Close)
	cfg := &config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Addr: "127.0.0.1:0", LogLevel: "warn",
		ShutdownTimeout: 5 * time.Second, MaxWorkers: 4, CallRetention: time.Hour, ChannelTimeout: 5 * time.Second, JobTimeout: time.Minute}
	srv, err := app.Start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	st := srv.Store
	g, err := st.CreateGroup(context.Background(), user.Group{Name: "管理", Permissions: user.AdminPermissions()})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(context.Background(), user.User{Login: "owner", Name: "店長", PasswordHash: hash, GroupID: g.ID}); err != nil {
		t.Fatal(err)
	}
	secret, key := sim.Credentials()

	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	base := srv.URL()
	var text, status, shopURL string
	run("log in and add a Rakuten shop with its usual rules",
		chromedp.Navigate(base+"/settings/shops"),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "owner"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`#new-shop`),
		chromedp.SetValue(`#new-shop select[name=channel]`, "rakuten"),
		chromedp.SendKeys(`#new-shop input[name=name]`, "茶の店"),
		chromedp.SendKeys(`#new-shop input[name=code]`, "cha"),
		chromedp.Click(`#new-shop button[type=submit]`),
		chromedp.WaitVisible(`#connection-test`),
		settled(),
		chromedp.Text(`.flash`, &text),
		chromedp.Text(`#credentials dd`, &status),
		chromedp.Location(&shopURL),
	)
	if !strings.Contains(text, "楽天市場の標準の自動処理(受注取込 → 注文確認 → 決済審査結果確認 → 出荷情報反映)を停止中で用意しました") {
		t.Fatalf("after adding the shop the page says %q", text)
	}
	if strings.TrimSpace(status) != "認証情報未設定" {
		t.Fatalf("a shop without credentials shows %q", status)
	}
	web.Screenshot(t, ctx, "new-shop-created")

	saveCreds := func(license string) chromedp.Action {
		return chromedp.Tasks{
			chromedp.SendKeys(`input[name=serviceSecret]`, secret),
			chromedp.SendKeys(`input[name=licenseKey]`, license),
			chromedp.SendKeys(`input[name=endpoint]`, simServer.URL),
			chromedp.Submit(`input[name=licenseKey]`),
			chromedp.WaitVisible(`.flash`),
			settled(),
		}
	}
	run("enter a wrong licenseKey and test the connection",
		saveCreds("SL-wrong"),
		chromedp.Click(`#connection-test button`),
		chromedp.WaitVisible(`.flash-error`),
		settled(),
		chromedp.Text(`.flash-error`, &text),
	)
	if !strings.Contains(text, "認証エラー: 楽天市場が認証情報を受け付けませんでした(HTTP 401)") || !strings.Contains(text, "「licenseKey」") {
		t.Fatalf("接続テスト with a wrong key says %q", text)
	}
	web.Screenshot(t, ctx, "connection-test-auth-error")
	run("enter the right one and test again",
		saveCreds(key),
		chromedp.Click(`#connection-test button`),
		chromedp.WaitVisible(`.flash:not(.flash-error)`),
		settled(),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "接続できました。楽天市場が認証情報を受け付けました") {
		t.Fatalf("接続テスト with the right key says %q", text)
	}
	id := shopURL[strings.LastIndex(shopURL, "/")+1:]
	run("the rules page lists the chain, stopped",
		chromedp.Navigate(base+"/settings/rules?shop="+id),
		chromedp.WaitVisible(`tr[data-rule=ship_report]`),
		chromedp.Text(`table`, &text),
	)
	if strings.Count(text, "停止中") != 4 || strings.Contains(text, "開始中") {
		t.Fatalf("the rules page: %q", text)
	}
	web.Screenshot(t, ctx, "new-shop-rules")
}
