package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestBounceAcknowledgedLeavesAttentionButNotTheHistory: an operator with order update rights
// marks a bounced mail 確認済み with a note on the order page; 要対応 counts it no more, the order
// keeps it 不達 with the note, and 操作履歴 has the line. The bulk page counts the rest before it
// marks them; a viewer gets no form and is refused.
func TestBounceAcknowledgedLeavesAttentionButNotTheHistory(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		b.h.deps.BounceMailbox = "bounce@ichigen.example"
		var mails []buyermail.Record
		for i, id := range b.orderID[:3] {
			rec, _, err := b.st.BeginMail(ctx, buyermail.Record{OrderID: id, ShopID: b.shop.ID, TemplateID: 1, TemplateName: "サンクスメール",
				Request: buyermail.RuleRequest, Recipient: fmt.Sprintf("gone%d@example.jp", i), Subject: "ご注文ありがとうございます", Body: "本文",
				MessageID: fmt.Sprintf("%d.ack@shop.example", i), Actor: "system:mail"})
			if err != nil {
				t.Fatal(err)
			}
			if err := b.st.FinishMail(ctx, rec.ID, buyermail.Sent, ""); err != nil {
				t.Fatal(err)
			}
			if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{MessageID: rec.MessageID,
				Failed: []buyermail.BouncedRecipient{{Recipient: rec.Recipient, Status: "5.1.1", Diagnostic: "550 User unknown"}}}); err != nil || !known {
				t.Fatalf("bounce: %v %v", known, err)
			}
			mails = append(mails, rec)
		}
		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		if page := viewer.do(http.MethodGet, "/", nil).Body.String(); !strings.Contains(page, `data-bounced="3"`) || strings.Contains(page, "/acknowledge") {
			t.Fatal("要対応 should count 3 bounces and give a viewer no acknowledge form")
		}
		ackPath := fmt.Sprintf("%s/mails/%d/acknowledge", idPath(mails[0].OrderID), mails[0].ID)
		if w := viewer.do(http.MethodPost, ackPath, url.Values{"note": {"x"}}); w.Code != http.StatusForbidden {
			t.Fatalf("a viewer acknowledged: %d", w.Code)
		}
		op := b.loginAs(t, only(user.MenuOrders, user.Update))
		if page := op.do(http.MethodGet, idPath(mails[0].OrderID), nil).Body.String(); !strings.Contains(page, ackPath) {
			t.Fatal("the order page has no acknowledge form for the bounced mail")
		}
		if w := op.do(http.MethodPost, ackPath, url.Values{"note": {"電話で連絡済み"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("acknowledge: %d %s", w.Code, w.Body)
		}
		if page := op.do(http.MethodGet, "/", nil).Body.String(); !strings.Contains(page, `data-bounced="2"`) {
			t.Fatal("要対応 should count 2 bounces after one acknowledged")
		}
		orderPage := html.UnescapeString(op.do(http.MethodGet, idPath(mails[0].OrderID), nil).Body.String())
		if !strings.Contains(orderPage, "不達") || !strings.Contains(orderPage, "電話で連絡済み") || strings.Contains(orderPage, ackPath) {
			t.Fatal("the order page should show the mail 不達 and 確認済み with the note, without the form")
		}
		events, err := b.st.ListOrderEvents(ctx, mails[0].OrderID)
		if err != nil {
			t.Fatal(err)
		}
		if !hasEvent(events, "確認済み") {
			t.Error("the order's history lacks the acknowledge line")
		}
		audit, err := b.st.ListAudit(ctx, 1, 20)
		if err != nil || len(audit) == 0 || audit[0].Action != "不達メールを確認済みに" || !strings.Contains(audit[0].Detail, "電話で連絡済み") {
			t.Fatalf("操作履歴: %+v %v", audit, err)
		}
		// Bulk: the count first, then exactly those marked.
		bulk := html.UnescapeString(op.do(http.MethodGet, "/bounces/"+i64toa(b.shop.ID), nil).Body.String())
		if !strings.Contains(bulk, `data-bounce-count="2"`) || !strings.Contains(bulk, "2件を確認済みにする") {
			t.Fatalf("the bulk page should count 2:\n%s", bulk)
		}
		form := url.Values{"mail": {i64toa(mails[1].ID), i64toa(mails[2].ID), i64toa(mails[0].ID)}, "note": {"一括"}}
		if w := op.do(http.MethodPost, "/bounces/"+i64toa(b.shop.ID)+"/acknowledge", form); w.Code != http.StatusSeeOther {
			t.Fatalf("bulk acknowledge: %d", w.Code)
		}
		if page := op.do(http.MethodGet, "/", nil).Body.String(); strings.Contains(page, "data-bounced") {
			t.Fatal("要対応 still shows bounces after all acknowledged")
		}
		// The mail settings show where the shop's sender mailbox forwards its bounces.
		admin := b.loginAs(t, only(user.MenuShops, user.Update))
		if page := admin.do(http.MethodGet, "/settings/mail?shop="+i64toa(b.shop.ID), nil).Body.String(); !strings.Contains(page, buyermail.ShopBounceAddress("bounce@ichigen.example", b.shop.ID)) {
			t.Error("the mail settings lack the shop's bounce address")
		}
	})
}

func hasEvent(events []order.Event, s string) bool {
	for _, e := range events {
		if e.Kind == order.EventMail && strings.Contains(e.Message, s) {
			return true
		}
	}
	return false
}
