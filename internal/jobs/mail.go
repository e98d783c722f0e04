package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// mailer sends one template to orders' buyers through their shop's SMTP server, each mail marked
// in the store's journal (store.BeginMail, committed) before its SMTP transaction: a crash or a
// lost answer leaves the mark, and a marked order is never mailed again by the same request. A
// mail whose outcome is unknown is the operator's to decide.
type mailer struct {
	store    store.Store
	shop     shop.Shop
	template buyermail.Template
	settings buyermail.Settings
	request  string // buyermail.RuleRequest or "op:<job id>"
	actor    string
	now      func() time.Time
}

// mailSetup reads what a shop's mail of a template needs; a missing piece is a refusal of every
// order, saying what to set.
func (d Deps) mailSetup(ctx context.Context, sh shop.Shop, templateID int64, request, actor string) (*mailer, error) {
	tmpl, err := d.Store.GetMailTemplate(ctx, templateID)
	if err != nil {
		return nil, &channel.Error{Class: channel.Rejected, Channel: "smtp", Operation: "mail", Err: err,
			Message: "送信するメールテンプレートが見つかりません。自動処理「メール送信」でテンプレートを選び直してください。"}
	}
	settings, err := d.Store.MailSettings(ctx, sh.ID)
	if err != nil {
		return nil, err
	}
	if !settings.Configured() {
		return nil, &channel.Error{Class: channel.Rejected, Channel: "smtp", Operation: "mail",
			Message: fmt.Sprintf("店舗「%s」のメール送信設定(SMTPサーバ・送信元メールアドレス)がありません。設定 > メールテンプレート の「メール送信設定」で保存してから、注文を対象の処理フェーズに戻してください。", sh.Name)}
	}
	return &mailer{store: d.Store, shop: sh, template: tmpl, settings: settings, request: request, actor: actor, now: d.Now}, nil
}

// mailProcessor is a メール送信 rule's Processor: its dispatch sends through SMTP instead of
// calling the channel's client.
type mailProcessor struct {
	deps Deps
	shop shop.Shop
	rule workflow.Rule
}

// Process implements Processor. Every mail is marked in the store's own journal (BeginMail),
// so the channel journal is not used.
func (p mailProcessor) Process(ctx context.Context, _ workflow.JobKind, orders []order.Order, _ channel.Journal) ([]channel.Result, error) {
	m, err := p.deps.mailSetup(ctx, p.shop, p.rule.MailTemplateID, buyermail.RuleRequest, "system:"+string(workflow.JobMail))
	if err != nil {
		return nil, err
	}
	var results []channel.Result
	for _, o := range orders {
		r, err := m.send(ctx, o)
		if err != nil {
			return results, err
		}
		results = append(results, r)
	}
	return results, nil
}

// processorFor returns what runs a rule: the shop's channel client, or for a メール送信 rule the
// shop's SMTP server.
func (d Deps) processorFor(sh shop.Shop, rule workflow.Rule) (Processor, error) {
	if rule.Kind == workflow.JobMail {
		return mailProcessor{deps: d, shop: sh, rule: rule}, nil
	}
	if d.Processor == nil {
		return nil, errors.New("no processor configured")
	}
	return d.Processor(sh)
}

// mailPaceKey names the call slots of a shop's SMTP server (store.ReserveCall), shared by every
// instance.
func mailPaceKey(shopID int64) string { return "smtp:" + strconv.FormatInt(shopID, 10) }

// send mails one order. A result decides the order; an error stops the batch (the server
// cannot be used: the settings, or a temporary failure), the order's mark undone by Failed.
func (m *mailer) send(ctx context.Context, o order.Order) (channel.Result, error) {
	keep := channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Message: o.LinkMessage, Ref: o.LinkRef}
	fail := func(message string) channel.Result {
		return channel.Result{OrderID: o.ID, LinkStatus: string(workflow.LinkMailError), Message: message}
	}
	if o.Buyer.Email == "" {
		return fail("購入者のメールアドレスがないためメールを送れませんでした。注文情報を確認してください。"), nil
	}
	if a, err := mail.ParseAddress(o.Buyer.Email); err != nil || a.Address != o.Buyer.Email {
		return fail(fmt.Sprintf("購入者のメールアドレス「%s」が正しくないためメールを送れませんでした。注文情報を確認してください。", o.Buyer.Email)), nil
	}
	rendered := buyermail.Render(m.template, buyermail.Context{Order: o, ShopName: m.shop.Name, Contact: m.settings.Contact()})
	now := m.now()
	rec, earlier, err := m.store.BeginMail(ctx, buyermail.Record{OrderID: o.ID, ShopID: m.shop.ID, TemplateID: m.template.ID,
		TemplateName: m.template.Name, Request: m.request, Recipient: o.Buyer.Email, Subject: rendered.Subject, Body: rendered.Body,
		MessageID: buyermail.NewMessageID(m.settings.From, now), Actor: m.actor})
	if err != nil {
		return channel.Result{}, err
	}
	if len(earlier) > 0 {
		return m.already(ctx, earlier, keep, fail)
	}
	msg, err := buyermail.Message{From: m.settings.From, To: o.Buyer.Email, ReplyTo: m.settings.ReplyTo, Subject: rendered.Subject,
		Body: rendered.Body, Charset: m.template.Charset, ID: rec.MessageID, Date: now}.Bytes()
	if err != nil {
		advice := "メールを作れませんでした(" + err.Error() + ")。テンプレートの文字コードを UTF-8 にするか、その文字を置き換えてください。"
		return fail(advice), m.store.FinishMail(ctx, rec.ID, buyermail.Failed, advice)
	}
	if err := m.pace(ctx); err != nil {
		return channel.Result{}, errors.Join(err, m.store.FinishMail(context.WithoutCancel(ctx), rec.ID, buyermail.Failed, "送信前に中断しました。"))
	}
	sendErr := buyermail.Send(ctx, m.settings, o.Buyer.Email, msg)
	return m.outcome(context.WithoutCancel(ctx), rec, sendErr, keep, fail)
}

// outcome records a delivery's outcome and decides the order, or stops the batch.
func (m *mailer) outcome(ctx context.Context, rec buyermail.Record, sendErr error, keep channel.Result, fail func(string) channel.Result) (channel.Result, error) {
	if sendErr == nil {
		return keep, m.store.FinishMail(ctx, rec.ID, buyermail.Sent, "")
	}
	advice := buyermail.Advice(sendErr)
	var se *buyermail.SendError
	if errors.As(sendErr, &se) && se.Unknown {
		return fail(advice), m.store.FinishMail(ctx, rec.ID, buyermail.Unknown, advice)
	}
	if err := m.store.FinishMail(ctx, rec.ID, buyermail.Failed, advice); err != nil {
		return channel.Result{}, err
	}
	switch {
	case se == nil || !se.Permanent():
		// A server down or busy (4xx): the order stays in its phase and is mailed on the retry.
		return channel.Result{}, &channel.Error{Class: channel.Transient, Channel: "smtp", Operation: "mail", Message: advice, Err: sendErr}
	case se.Shared():
		// The shop's settings: every order of the batch would be refused alike.
		return channel.Result{}, &channel.Error{Class: channel.Rejected, Channel: "smtp", Operation: "mail", Message: advice, Err: sendErr}
	}
	return fail(advice), nil
}

// already decides an order that has a mail of the template: sent (by the rule or an operator)
// is done; marked and never finished (a crash) or unknown is the operator's to decide.
func (m *mailer) already(ctx context.Context, earlier []buyermail.Record, keep channel.Result, fail func(string) channel.Result) (channel.Result, error) {
	for _, e := range earlier {
		if e.State == buyermail.Sent || (e.State == buyermail.Sending && e.Request != m.request) {
			return keep, nil
		}
	}
	advice := buyermail.Advice(&buyermail.SendError{Stage: buyermail.StageAnswer, Unknown: true})
	for _, e := range earlier {
		if e.State == buyermail.Sending { // this request's own mark, left by a run that ended
			if err := m.store.FinishMail(ctx, e.ID, buyermail.Unknown, advice); err != nil {
				return channel.Result{}, err
			}
		}
	}
	return fail(advice), nil
}

// pace waits for the shop's next SMTP slot.
func (m *mailer) pace(ctx context.Context) error {
	wait, err := m.store.ReserveCall(ctx, mailPaceKey(m.shop.ID), m.settings.Pace())
	if err != nil || wait <= 0 {
		return err
	}
	return channel.Sleep(ctx, wait)
}
