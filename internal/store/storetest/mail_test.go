package storetest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The rules buyer mail keeps in the store, added to the conformance suite.
func init() {
	conformanceTests["NewShopHasDefaultMailTemplatesAndUnknownPlaceholdersAreRefused"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		list := must[[]buyermail.Template](t)(b.st.ListMailTemplates(ctx, b.shop.ID))
		if len(list) != 2 || list[0].Name != buyermail.ThanksName || list[1].Name != buyermail.ShippingName || list[0].ShopID != b.shop.ID {
			t.Fatalf("a new shop's templates: %+v", list)
		}
		bad := list[0]
		bad.Body += "{{お届け予定日}}"
		_, err := b.st.SaveMailTemplate(ctx, bad)
		expectCode(t, err, apperror.Invalid)
		if !strings.Contains(apperror.MessageOf(err), "{{お届け予定日}}") {
			t.Errorf("the refusal names the placeholder: %v", err)
		}
		shared := must[buyermail.Template](t)(b.st.SaveMailTemplate(ctx, buyermail.Template{Name: "共通", Subject: "{{注文番号}}", Body: "{{購入者名}} 様"}))
		if shared.ShopID != 0 || shared.Charset != buyermail.UTF8 {
			t.Fatalf("shared template %+v", shared)
		}
		if got := must[[]buyermail.Template](t)(b.st.ListMailTemplates(ctx, b.shop.ID)); len(got) != 3 || got[0].ID != shared.ID {
			t.Fatalf("the shop sees the shared template first: %+v", got)
		}
		// A rule sends a template; it cannot be deleted while the rule uses it.
		_, err = b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobMail, TargetPhaseID: b.phases["新規受付"].ID,
			SuccessPhaseID: b.phases["出荷待ち"].ID, ErrorPhaseID: b.phases["保留"].ID})
		expectCode(t, err, apperror.Invalid)
		rule := must[workflow.Rule](t)(b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobMail, MailTemplateID: shared.ID,
			TargetPhaseID: b.phases["新規受付"].ID, SuccessPhaseID: b.phases["出荷待ち"].ID, ErrorPhaseID: b.phases["保留"].ID}))
		if got := must[workflow.Rule](t)(b.st.GetRule(ctx, rule.ID)); got.MailTemplateID != shared.ID {
			t.Fatalf("rule template %d, want %d", got.MailTemplateID, shared.ID)
		}
		expectCode(t, b.st.DeleteMailTemplate(ctx, shared.ID), apperror.Conflict)
		expectCode(t, b.st.DeleteMailTemplate(ctx, list[1].ID), "")
	}

	conformanceTests["MailSettingsKeepThePasswordSealed"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		if got := must[buyermail.Settings](t)(b.st.MailSettings(ctx, b.shop.ID)); got.Configured() {
			t.Fatalf("a new shop has mail settings %v", got)
		}
		s := buyermail.Settings{ShopID: b.shop.ID, Host: "sub.fw.rakuten.ne.jp", Port: 587, TLS: buyermail.StartTLS, Username: "smtp-id",
			Password: "very-secret", From: "shop@example.jp"}
		if err := b.st.SaveMailSettings(ctx, s); err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := b.st.ReadDB().QueryRowContext(ctx, "SELECT password FROM shop_mail_settings WHERE shop_id = "+strconv.FormatInt(b.shop.ID, 10)).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || strings.Contains(string(raw), "very-secret") {
			t.Fatalf("the password is stored as %q", raw)
		}
		s.Password, s.ReplyTo = "", "contact@example.jp" // an empty password keeps the saved one
		if err := b.st.SaveMailSettings(ctx, s); err != nil {
			t.Fatal(err)
		}
		if got := must[buyermail.Settings](t)(b.st.MailSettings(ctx, b.shop.ID)); got.Password != "very-secret" || got.ReplyTo != "contact@example.jp" {
			t.Fatalf("read back %v / %q", got, got.ReplyTo)
		}
		s.TLS = buyermail.NoTLS
		expectCode(t, b.st.SaveMailSettings(ctx, s), apperror.Invalid)
	}

	conformanceTests["MailJournalMarksAnOrderOncePerTemplate"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, time.Now()), store.UpsertOptions{PhaseID: b.phases["新規受付"].ID}))
		id := res.IDs[0]
		rec := buyermail.Record{OrderID: id, ShopID: b.shop.ID, TemplateID: 7, TemplateName: "サンクスメール", Request: buyermail.RuleRequest,
			Recipient: "buyer@example.jp", Subject: "件名", Body: "本文", MessageID: "1.a@example.jp", Actor: "system:mail"}
		begin := func(r buyermail.Record) (buyermail.Record, []buyermail.Record) {
			t.Helper()
			got, earlier, err := b.st.BeginMail(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			return got, earlier
		}
		first, earlier := begin(rec)
		if first.ID == 0 || first.State != buyermail.Sending || len(earlier) != 0 {
			t.Fatalf("first mark: %+v, earlier %+v", first, earlier)
		}
		// A mark left sending (a crash) blocks the rule's next try.
		if again, earlier := begin(rec); again.ID != 0 || len(earlier) != 1 || earlier[0].State != buyermail.Sending {
			t.Fatalf("second mark: %+v, earlier %+v", again, earlier)
		}
		// A mail that surely failed does not.
		if err := b.st.FinishMail(ctx, first.ID, buyermail.Failed, "送信元が拒否されました"); err != nil {
			t.Fatal(err)
		}
		retry, _ := begin(rec)
		if retry.ID == 0 {
			t.Fatal("a failed mail blocked the next try")
		}
		if err := b.st.FinishMail(ctx, retry.ID, buyermail.Sent, ""); err != nil {
			t.Fatal(err)
		}
		// The operator sends again on purpose under a request of their own, once per request.
		op := rec
		op.Request, op.Actor = "op:42", "taro"
		if got, _ := begin(op); got.ID == 0 {
			t.Fatal("an operator's send was refused")
		}
		if got, earlier := begin(op); got.ID != 0 || len(earlier) != 1 {
			t.Fatalf("the same request marked twice: %+v", got)
		}
		if got, earlier := begin(rec); got.ID != 0 || len(earlier) != 2 {
			t.Fatalf("the rule after a send: %+v, earlier %d", got, len(earlier))
		}
		mails := must[[]buyermail.Record](t)(b.st.ListOrderMails(ctx, id))
		if len(mails) != 3 || mails[0].State != buyermail.Failed || mails[1].State != buyermail.Sent || mails[1].Body != "本文" {
			t.Fatalf("order mails %+v", mails)
		}
		events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, id))
		n := 0
		for _, e := range events {
			if e.Kind == order.EventMail {
				n++
			}
		}
		if n != 2 {
			t.Errorf("history has %d mail events, want 2", n)
		}
		if recent := must[[]buyermail.Record](t)(b.st.ListRecentMails(ctx, 1, 2)); len(recent) != 2 || recent[0].Request != "op:42" {
			t.Errorf("recent mails %+v", recent)
		}
	}
}
