package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// A bounce that comes back after the mail was sent, added to the conformance suite.
func init() {
	conformanceTests["BounceMarksTheMailByItsMessageIDOnce"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 2, time.Now()), store.UpsertOptions{PhaseID: b.phases["新規受付"].ID}))
		since := time.Now().Add(-time.Hour)
		var sent []buyermail.Record
		for i, id := range res.IDs {
			rec, _, err := b.st.BeginMail(ctx, buyermail.Record{OrderID: id, ShopID: b.shop.ID, TemplateID: 7, TemplateName: "サンクスメール",
				Request: buyermail.RuleRequest, Recipient: "buyer@example.jp", Subject: "件名", Body: "本文",
				MessageID: []string{"1.a@shop.example", "2.b@shop.example"}[i], Actor: "system:mail"})
			if err != nil {
				t.Fatal(err)
			}
			if err := b.st.FinishMail(ctx, rec.ID, buyermail.Sent, ""); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, rec)
		}
		bounce := buyermail.Bounce{MessageID: "2.b@shop.example", Failed: []buyermail.BouncedRecipient{{Recipient: "buyer@example.jp", Status: "5.1.1", Diagnostic: "550 User unknown"}}}
		for range 2 { // the same report twice: one bounce, one history line
			rec, known, err := b.st.BounceMail(ctx, bounce)
			if err != nil || !known || rec.ID != sent[1].ID || rec.State != buyermail.Bounced || !strings.Contains(rec.Message, "550 User unknown") {
				t.Fatalf("bounce: %+v known %v err %v", rec, known, err)
			}
		}
		if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{MessageID: "nobody@shop.example", Failed: bounce.Failed}); err != nil || known {
			t.Fatalf("a report for no mail of ours: known %v err %v", known, err)
		}
		if mails := must[[]buyermail.Record](t)(b.st.ListOrderMails(ctx, res.IDs[0])); mails[0].State != buyermail.Sent {
			t.Fatalf("the other order's mail changed: %+v", mails[0])
		}
		if n := must[int64](t)(b.st.CountBouncedMails(ctx, b.shop.ID, since)); n != 1 {
			t.Fatalf("%d bounced, want 1", n)
		}
		if n := must[int64](t)(b.st.CountBouncedMails(ctx, b.shop.ID, time.Now().Add(time.Hour))); n != 0 {
			t.Fatalf("%d bounced after the bounce, want 0", n)
		}
		if list := must[[]buyermail.Record](t)(b.st.ListBouncedMails(ctx, b.shop.ID, since, 5)); len(list) != 1 || list[0].OrderID != res.IDs[1] {
			t.Fatalf("bounced list %+v", list)
		}
		n := 0
		for _, e := range must[[]order.Event](t)(b.st.ListOrderEvents(ctx, res.IDs[1])) {
			if e.Kind == order.EventMail && strings.Contains(e.Message, "不達") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("history has %d bounce lines, want 1", n)
		}
	}
}
