package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestStartPageCountsBouncedMails: a buyer mail that bounced after it was sent is counted on
// 要対応 with its order, the buyer's server's answer and the fix, and shown 不達 on the order page.
func TestStartPageCountsBouncedMails(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		if page := s.do(http.MethodGet, "/", nil).Body.String(); strings.Contains(page, "data-bounced") {
			t.Fatal("要対応 shows bounces before any")
		}
		id := b.orderID[0]
		rec, _, err := b.st.BeginMail(ctx, buyermail.Record{OrderID: id, ShopID: b.shop.ID, TemplateID: 1, TemplateName: "サンクスメール",
			Request: buyermail.RuleRequest, Recipient: "gone@example.jp", Subject: "ご注文ありがとうございます", Body: "本文",
			MessageID: "1.bounce@shop.example", Actor: "system:mail"})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.st.FinishMail(ctx, rec.ID, buyermail.Sent, ""); err != nil {
			t.Fatal(err)
		}
		if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{MessageID: "1.bounce@shop.example",
			Failed: []buyermail.BouncedRecipient{{Recipient: "gone@example.jp", Status: "5.1.1", Diagnostic: "550 User unknown"}}}); err != nil || !known {
			t.Fatalf("bounce: %v %v", known, err)
		}
		text := html.UnescapeString(s.do(http.MethodGet, "/", nil).Body.String())
		for _, w := range []string{`data-bounced="1"`, "メール1件が不達(バウンス)で戻りました", "gone@example.jp", "550 User unknown",
			"href=\"" + idPath(id) + "\"", "直し方: 注文画面で購入者のメールアドレスを確認し"} {
			if !strings.Contains(text, w) {
				t.Errorf("要対応 lacks %q", w)
			}
		}
		if order := html.UnescapeString(s.do(http.MethodGet, idPath(id), nil).Body.String()); !strings.Contains(order, "不達") || !strings.Contains(order, "550 User unknown") {
			t.Error("the order page does not show the mail as 不達 with the report")
		}
	})
}
