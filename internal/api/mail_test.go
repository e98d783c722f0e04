package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestMailTemplatesRefuseUnknownPlaceholdersAndPreviewOnARealOrder: a new shop lists its default
// サンクスメール and 発送メール; saving a template with an unknown placeholder is refused with
// the placeholder named; the preview fills a template on one of the shop's orders.
func TestMailTemplatesRefuseUnknownPlaceholdersAndPreviewOnARealOrder(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("shops", 2))
		list := decode[struct {
			Templates    []MailTemplate `json:"templates"`
			Placeholders []Placeholder  `json:"placeholders"`
		}](t, b.do(t, token, http.MethodGet, "/shops/"+i64(b.shop.ID)+"/mail-templates", nil), http.StatusOK)
		if len(list.Templates) != 2 || list.Templates[0].Name != "サンクスメール" || len(list.Placeholders) == 0 {
			t.Fatalf("templates %+v", list)
		}
		bad := map[string]any{"name": "お礼", "subject": "{{注文番号}}", "body": "{{購入者名}} 様 {{ポイント残高}}"}
		if p := problem(t, b.do(t, token, http.MethodPost, "/mail-templates", bad), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "「{{ポイント残高}}」") {
			t.Errorf("refusal %q does not name the placeholder", p.Detail)
		}
		preview := decode[MailPreview](t, b.do(t, token, http.MethodPost, "/mail-templates/preview", map[string]any{
			"name": "x", "subject": "ご注文 {{注文番号}}", "body": "{{購入者名}} 様\n{{商品明細}}", "preview_shop_id": b.shop.ID, "order_id": b.orderID[0]}), http.StatusOK)
		if preview.OrderID != b.orderID[0] || !strings.Contains(preview.Subject, preview.OrderNumber) || !strings.Contains(preview.Body, "静岡煎茶") {
			t.Errorf("preview %+v", preview)
		}
	})
}

// TestMailSettingsNeverShowThePassword: the SMTP password is written, never read back.
func TestMailSettingsNeverShowThePassword(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("shops", 2))
		path := "/shops/" + i64(b.shop.ID) + "/mail-settings"
		w := b.do(t, token, http.MethodPut, path, map[string]any{"host": "sub.fw.rakuten.ne.jp", "port": 587, "tls": "starttls",
			"username": "smtp-id", "password": "SMTP-secret", "from": "shop@example.jp"})
		got := decode[MailSettings](t, w, http.StatusOK)
		if !got.HasPassword || got.Password != "" || strings.Contains(w.Body.String(), "SMTP-secret") {
			t.Errorf("saved settings answer %s", w.Body.String())
		}
		if r := b.do(t, token, http.MethodGet, path, nil); strings.Contains(r.Body.String(), "SMTP-secret") {
			t.Errorf("settings show the password: %s", r.Body.String())
		}
	})
}
