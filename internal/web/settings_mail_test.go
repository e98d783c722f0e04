package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestMailTemplatesAreEditedAndPreviewedOnTheSettingsPage: メールテンプレート lists a new shop's
// サンクスメール and 発送メール; a template with an unknown placeholder is refused with the
// placeholder named and the text kept; the preview fills a template on an order of the shop
// without saving it; the SMTP password is kept sealed and never shown.
func TestMailTemplatesAreEditedAndPreviewedOnTheSettingsPage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuShops, user.Update))
		page := htmlOf(s, mailSettingsPath(b.shop.ID))
		for _, want := range []string{"サンクスメール", "発送メール", "{{注文番号}}", "メール送信設定がないため"} {
			if !strings.Contains(page, want) {
				t.Fatalf("the page does not show %q", want)
			}
		}

		form := url.Values{"shop_id": {i64toa(b.shop.ID)}, "name": {"お礼"}, "subject": {"ご注文 {{注文番号}}"}, "body": {"{{購入者名}} 様\n{{会員ランク}}"}}
		w := s.do(http.MethodPost, "/settings/mail/templates", form)
		body := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "差し込み項目「{{会員ランク}}」はありません") || !strings.Contains(body, "{{購入者名}} 様\n{{会員ランク}}</textarea>") {
			t.Fatalf("an unknown placeholder: %d", w.Code)
		}

		form.Set("body", "{{購入者名}} 様\n{{商品明細}}")
		form.Set("action", "preview")
		w = s.do(http.MethodPost, "/settings/mail/templates", form)
		body = html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(body, "プレビュー(注文 338005-") || !strings.Contains(body, "静岡煎茶 100g") {
			t.Fatalf("preview: %d", w.Code)
		}
		if list, err := b.st.ListMailTemplates(ctx, b.shop.ID); err != nil || len(list) != 2 {
			t.Fatalf("the preview saved a template: %d %v", len(list), err)
		}

		w = s.do(http.MethodPost, "/settings/mail/smtp/"+i64toa(b.shop.ID), url.Values{"host": {"sub.fw.rakuten.ne.jp"}, "port": {"587"},
			"tls": {"starttls"}, "username": {"smtp-id"}, "password": {"SMTP-secret"}, "from": {"shop@example.jp"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("save SMTP: %d %s", w.Code, w.Body.String())
		}
		got, err := b.st.MailSettings(ctx, b.shop.ID)
		if err != nil || got.Password != "SMTP-secret" || got.TLS != buyermail.StartTLS {
			t.Fatalf("saved %v %v", got, err)
		}
		if page := htmlOf(s, mailSettingsPath(b.shop.ID)); strings.Contains(page, "SMTP-secret") || !strings.Contains(page, "保存済みです") {
			t.Fatal("the page shows the password, or not that one is saved")
		}

		// A shop made before buyer mail gets the standard templates on request.
		before, err := b.st.ListMailTemplates(ctx, b.shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tmpl := range before {
			if err := b.st.DeleteMailTemplate(ctx, tmpl.ID); err != nil {
				t.Fatal(err)
			}
		}
		if w := s.do(http.MethodPost, "/settings/mail/defaults/"+i64toa(b.shop.ID), nil); w.Code != http.StatusSeeOther {
			t.Fatalf("add defaults: %d", w.Code)
		}
		if list, err := b.st.ListMailTemplates(ctx, b.shop.ID); err != nil || len(list) != 2 || list[1].Name != buyermail.ShippingName {
			t.Fatalf("templates after adding the defaults: %+v %v", list, err)
		}
	})
}

// TestBulkMailQueuesTheOperatorsSend: 「メール送信」 from the order list is refused while the shop
// has no SMTP settings, and then queues one job with the selected orders and the template.
func TestBulkMailQueuesTheOperatorsSend(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		templates, err := b.st.ListMailTemplates(ctx, b.shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if page := htmlOf(s, "/orders"); !strings.Contains(page, "tea / 発送メール") {
			t.Fatal("the order list does not offer the shop's templates")
		}
		form := url.Values{"id": {i64toa(b.orderID[0]), i64toa(b.orderID[1])}, "mail_template": {i64toa(templates[1].ID)}}
		if msg := flash(s.do(http.MethodPost, "/orders/mail", form)); !strings.Contains(msg, "メール送信設定(SMTPサーバ・送信元メールアドレス)がありません") {
			t.Fatalf("without SMTP settings: %q", msg)
		}
		if err := b.st.SaveMailSettings(ctx, buyermail.Settings{ShopID: b.shop.ID, Host: "127.0.0.1", Port: 25, TLS: buyermail.NoTLS, From: "shop@example.jp"}); err != nil {
			t.Fatal(err)
		}
		if msg := flash(s.do(http.MethodPost, "/orders/mail", form)); !strings.Contains(msg, "2件の注文のメール送信を受け付けました") {
			t.Fatalf("send: %q", msg)
		}
		queued := b.queued(t, "send_mail")
		if len(queued) != 1 {
			t.Fatalf("queued %v", queued)
		}
		var args jobs.SendMailArgs
		if err := json.Unmarshal([]byte(queued[0]), &args); err != nil {
			t.Fatal(err)
		}
		if args.TemplateID != templates[1].ID || args.ShopID != b.shop.ID || len(args.OrderIDs) != 2 {
			t.Fatalf("queued %+v", args)
		}
	})
}
