package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/web"
)

// TestBrowserBulkMailBannerCountsTheFailure: a bulk メール送信 of two orders through a relay that
// refuses one recipient ends, without a reload, with the banner 「メール送信: 成功 1件・失敗 1件」
// in red, against a whole ichigen (River workers, the relay simulator).
func TestBrowserBulkMailBannerCountsTheFailure(t *testing.T) {
	t.Parallel()
	ctx := web.StartBrowser(t)
	in := startAuInstance(t)
	st := in.srv.Store
	bg := context.Background()
	relay, err := relaysim.Start(relaysim.Rules{MaskedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relay.Close() })
	if err := st.SaveMailSettings(bg, buyermail.Settings{ShopID: in.shop.ID, Host: relay.Host, Port: relay.Port, TLS: buyermail.StartTLS,
		From: "shop@example.jp", PerSecond: 1000, InsecureSkipVerify: true}); err != nil {
		t.Fatal(err)
	}
	orders := in.imported(t, 2)
	good, bad := orders[0], orders[1]
	// The relay takes only masked addresses: the first buyer has one, the second is refused.
	if _, err := st.DB().ExecContext(bg, "UPDATE orders SET buyer_email = 'buyer-1@pc.fw.rakuten.ne.jp' WHERE id = "+itoa(good.ID)); err != nil {
		t.Fatal(err)
	}
	g, err := st.CreateGroup(bg, user.Group{Name: "メール担当", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update}})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(bg, user.User{Login: "mailer", Name: "メール 担当", PasswordHash: hash, GroupID: g.ID}); err != nil {
		t.Fatal(err)
	}
	templates, err := st.ListMailTemplates(bg, in.shop.ID)
	if err != nil || len(templates) == 0 {
		t.Fatalf("no template: %v", err)
	}
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	rowOf := func(o order.Order) string { return `tbody tr:has(a[href="/orders/` + itoa(o.ID) + `"])` }
	var banner, tone string
	run("log in, select both orders and send them a mail",
		chromedp.Navigate(in.srv.URL()+"/orders?shop="+itoa(in.shop.ID)),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "mailer"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(rowOf(bad)),
		settled(),
		chromedp.Click(rowOf(good)+` input[data-order]`),
		chromedp.Click(rowOf(bad)+` input[data-order]`),
		chromedp.SetValue(`select[name=mail_template]`, itoa(templates[0].ID)),
		chromedp.Click(`button[formaction="/orders/mail"]`),
		chromedp.WaitVisible(`.watch[data-batch]:not(.running)`),
		chromedp.Text(`.watch[data-batch]`, &banner),
		chromedp.AttributeValue(`.watch[data-batch]`, "data-tone", &tone, nil),
		chromedp.WaitVisible(rowOf(bad)+` .link-error`),
		settled(),
	)
	if !strings.Contains(banner, "メール送信:") || !strings.Contains(banner, "成功 1件") || !strings.Contains(banner, "失敗 1件") || !strings.Contains(banner, "待ち 0件") || tone != "failed" {
		g, _ := st.GetOrder(bg, good.ID)
		b, _ := st.GetOrder(bg, bad.ID)
		t.Fatalf("the banner says %q (tone %q); the orders: %s %q %q / %s %q %q", banner, tone, g.Buyer.Email, g.LinkStatus, g.LinkMessage, b.Buyer.Email, b.LinkStatus, b.LinkMessage)
	}
	if n := len(relay.Messages()); n != 1 {
		t.Fatalf("the relay took %d messages, want 1", n)
	}
}
