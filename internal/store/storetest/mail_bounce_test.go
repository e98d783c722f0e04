package storetest

import (
	"context"
	"fmt"
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

// Acknowledging bounces and matching a report without its Message-ID by recipient and shop.
func init() {
	conformanceTests["AcknowledgedBounceLeavesTheCountButNotTheHistory"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 3, time.Now()), store.UpsertOptions{PhaseID: b.phases["新規受付"].ID}))
		since := time.Now().Add(-time.Hour)
		var sent []buyermail.Record
		for i, id := range res.IDs {
			rec, _, err := b.st.BeginMail(ctx, buyermail.Record{OrderID: id, ShopID: b.shop.ID, TemplateID: 7, TemplateName: "サンクスメール",
				Request: buyermail.RuleRequest, Recipient: fmt.Sprintf("buyer%d@example.jp", i), Subject: "件名", Body: "本文",
				MessageID: fmt.Sprintf("%d.ack@shop.example", i), Actor: "system:mail"})
			if err != nil {
				t.Fatal(err)
			}
			if err := b.st.FinishMail(ctx, rec.ID, buyermail.Sent, ""); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, rec)
		}
		failed := func(to string) []buyermail.BouncedRecipient {
			return []buyermail.BouncedRecipient{{Recipient: to, Status: "5.1.1", Diagnostic: "550 User unknown"}}
		}
		// No Message-ID and no shop: nothing to match. No Message-ID but the shop's bounce
		// address: the shop's mail to that recipient (written in another case).
		if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{Failed: failed("buyer0@example.jp")}); err != nil || known {
			t.Fatalf("a report without Message-ID nor shop: known %v err %v", known, err)
		}
		if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{ShopID: b.shop.ID + 1000, Failed: failed("buyer0@example.jp")}); err != nil || known {
			t.Fatalf("another shop's report matched: known %v err %v", known, err)
		}
		rec, known, err := b.st.BounceMail(ctx, buyermail.Bounce{ShopID: b.shop.ID, Failed: failed("Buyer0@Example.jp")})
		if err != nil || !known || rec.ID != sent[0].ID || rec.State != buyermail.Bounced {
			t.Fatalf("report by recipient: %+v known %v err %v", rec, known, err)
		}
		// A Message-ID of this shop's, reaching another shop's address, is not taken.
		if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{ShopID: b.shop.ID + 1000, MessageID: "1.ack@shop.example", Failed: failed("buyer1@example.jp")}); err != nil || known {
			t.Fatalf("a report at another shop's address: known %v err %v", known, err)
		}
		for _, id := range []string{"1.ack@shop.example", "2.ack@shop.example"} {
			if _, known, err := b.st.BounceMail(ctx, buyermail.Bounce{ShopID: b.shop.ID, MessageID: id, Failed: failed("x@example.jp")}); err != nil || !known {
				t.Fatalf("bounce %s: %v %v", id, known, err)
			}
		}
		if n := must[int64](t)(b.st.CountBouncedMails(ctx, b.shop.ID, since)); n != 3 {
			t.Fatalf("%d bounced, want 3", n)
		}
		// One acknowledged with a note; another shop's ID list acknowledges nothing.
		if got := must[[]buyermail.Record](t)(b.st.AcknowledgeBounces(ctx, b.shop.ID+1000, []int64{sent[0].ID}, "op", "")); len(got) != 0 {
			t.Fatalf("acknowledged through another shop: %+v", got)
		}
		got := must[[]buyermail.Record](t)(b.st.AcknowledgeBounces(ctx, b.shop.ID, []int64{sent[0].ID}, "op", "電話で連絡済み"))
		if len(got) != 1 || !got[0].Acknowledged() || got[0].AcknowledgedNote != "電話で連絡済み" || got[0].AcknowledgedBy != "op" {
			t.Fatalf("acknowledged %+v", got)
		}
		if got := must[[]buyermail.Record](t)(b.st.AcknowledgeBounces(ctx, b.shop.ID, []int64{sent[0].ID}, "op", "")); len(got) != 0 {
			t.Fatalf("acknowledged twice: %+v", got)
		}
		if n := must[int64](t)(b.st.CountBouncedMails(ctx, b.shop.ID, since)); n != 2 {
			t.Fatalf("%d bounced after one acknowledged, want 2", n)
		}
		if list := must[[]buyermail.Record](t)(b.st.ListUnacknowledgedBounces(ctx, b.shop.ID)); len(list) != 2 {
			t.Fatalf("unacknowledged %+v", list)
		}
		mails := must[[]buyermail.Record](t)(b.st.ListOrderMails(ctx, res.IDs[0]))
		if mails[0].State != buyermail.Bounced || !mails[0].Acknowledged() {
			t.Fatalf("the acknowledged mail: %+v", mails[0])
		}
		lines := 0
		for _, e := range must[[]order.Event](t)(b.st.ListOrderEvents(ctx, res.IDs[0])) {
			if e.Kind == order.EventMail && strings.Contains(e.Message, "確認済み") && strings.Contains(e.Message, "電話で連絡済み") && e.Actor == "op" {
				lines++
			}
		}
		if lines != 1 {
			t.Errorf("history has %d acknowledge lines, want 1", lines)
		}
		// Bulk: both the rest.
		if got := must[[]buyermail.Record](t)(b.st.AcknowledgeBounces(ctx, b.shop.ID, []int64{sent[1].ID, sent[2].ID}, "op", "")); len(got) != 2 {
			t.Fatalf("bulk acknowledged %d, want 2", len(got))
		}
		if n := must[int64](t)(b.st.CountBouncedMails(ctx, b.shop.ID, since)); n != 0 {
			t.Fatalf("%d bounced after all acknowledged, want 0", n)
		}
	}
}
