package api

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// MailTemplate is a buyer mail template (設定 > メールテンプレート).
type MailTemplate struct {
	ID        int64     `json:"id"`
	ShopID    int64     `json:"shop_id,omitempty" doc:"店舗ID。0 または省略は全店舗共通"`
	Name      string    `json:"name" doc:"テンプレート名 (サンクスメール・発送メールなど)"`
	Subject   string    `json:"subject" doc:"件名。{{注文番号}} のような差し込み項目を使えます"`
	Body      string    `json:"body" doc:"本文"`
	Charset   string    `json:"charset" doc:"文字コード: UTF-8 または ISO-2022-JP"`
	UpdatedAt time.Time `json:"updated_at"`
}

func mailTemplateOf(t buyermail.Template) MailTemplate {
	return MailTemplate{ID: t.ID, ShopID: t.ShopID, Name: t.Name, Subject: t.Subject, Body: t.Body, Charset: string(t.Charset), UpdatedAt: t.UpdatedAt}
}

// MailTemplateInput is a template as the client saves or previews it.
type MailTemplateInput struct {
	ShopID  int64  `json:"shop_id,omitempty" minimum:"0" doc:"店舗ID (作成時のみ)。0 または省略は全店舗共通"`
	Name    string `json:"name" maxLength:"100"`
	Subject string `json:"subject" maxLength:"1000"`
	Body    string `json:"body" maxLength:"100000"`
	Charset string `json:"charset,omitempty" enum:"UTF-8,ISO-2022-JP" doc:"省略時 UTF-8"`
}

func (in MailTemplateInput) template(id int64) buyermail.Template {
	return buyermail.Template{ID: id, ShopID: in.ShopID, Name: in.Name, Subject: in.Subject, Body: in.Body, Charset: buyermail.Charset(in.Charset)}
}

// Placeholder is one 差し込み項目.
type Placeholder struct {
	Name        string `json:"name" doc:"テンプレートに書く形: {{注文番号}}"`
	Description string `json:"description"`
}

type mailTemplatesOutput struct {
	Body struct {
		Templates    []MailTemplate `json:"templates"`
		Placeholders []Placeholder  `json:"placeholders" doc:"使える差し込み項目"`
	}
}

// listMailTemplates lists the templates a shop may use: its own and the shared ones.
func (h *Handler) listMailTemplates(ctx context.Context, in *shopInput) (*mailTemplatesOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	list, err := h.deps.Store.ListMailTemplates(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &mailTemplatesOutput{}
	out.Body.Templates = []MailTemplate{}
	for _, t := range list {
		out.Body.Templates = append(out.Body.Templates, mailTemplateOf(t))
	}
	for _, p := range buyermail.Placeholders {
		out.Body.Placeholders = append(out.Body.Placeholders, Placeholder{Name: "{{" + p.Name + "}}", Description: p.Description})
	}
	return out, nil
}

type mailTemplateOutput struct{ Body MailTemplate }

type createMailTemplateInput struct{ Body MailTemplateInput }

func (h *Handler) createMailTemplate(ctx context.Context, in *createMailTemplateInput) (*mailTemplateOutput, error) {
	if in.Body.ShopID != 0 {
		if _, err := h.deps.Store.GetShop(ctx, in.Body.ShopID); err != nil {
			return nil, err
		}
	}
	t, err := h.deps.Store.SaveMailTemplate(ctx, in.Body.template(0))
	if err != nil {
		return nil, err
	}
	return &mailTemplateOutput{Body: mailTemplateOf(t)}, nil
}

type mailTemplateIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"メールテンプレートID"`
}

type updateMailTemplateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"メールテンプレートID"`
	Body MailTemplateInput
}

func (h *Handler) updateMailTemplate(ctx context.Context, in *updateMailTemplateInput) (*mailTemplateOutput, error) {
	t, err := h.deps.Store.SaveMailTemplate(ctx, in.Body.template(in.ID))
	if err != nil {
		return nil, err
	}
	return &mailTemplateOutput{Body: mailTemplateOf(t)}, nil
}

func (h *Handler) deleteMailTemplate(ctx context.Context, in *mailTemplateIDInput) (*struct{}, error) {
	return nil, h.deps.Store.DeleteMailTemplate(ctx, in.ID)
}

// MailPreview is a template rendered on a real order.
type MailPreview struct {
	OrderID     int64  `json:"order_id"`
	OrderNumber string `json:"order_number"`
	Subject     string `json:"subject"`
	Body        string `json:"body"`
}

type previewMailInput struct {
	Body struct {
		MailTemplateInput
		PreviewShopID int64 `json:"preview_shop_id" minimum:"1" doc:"プレビューに使う注文の店舗"`
		OrderID       int64 `json:"order_id,omitempty" minimum:"0" doc:"プレビューに使う注文。省略時は店舗の最新の注文"`
	}
}

type mailPreviewOutput struct{ Body MailPreview }

// previewMail renders a template, saved or not, on a real order of a shop without sending.
func (h *Handler) previewMail(ctx context.Context, in *previewMailInput) (*mailPreviewOutput, error) {
	r, o, err := orderops.MailPreview(ctx, h.deps.Store, in.Body.template(0), in.Body.PreviewShopID, in.Body.OrderID)
	if err != nil {
		return nil, err
	}
	return &mailPreviewOutput{Body: MailPreview{OrderID: o.ID, OrderNumber: o.Number, Subject: r.Subject, Body: r.Body}}, nil
}

// MailSettings are a shop's SMTP settings for buyer mail; the password is never returned.
type MailSettings struct {
	Host        string  `json:"host" doc:"SMTPサーバ (楽天市場はR-Login「メールサーバ設定情報」のSMTPサーバ名)"`
	Port        int     `json:"port" minimum:"1" maximum:"65535" doc:"ポート (STARTTLS は通常 587)"`
	TLS         string  `json:"tls" enum:"starttls,tls,none" doc:"starttls / tls (465) / none (同じマシンのサーバのみ。認証は不可)"`
	Username    string  `json:"username,omitempty" doc:"SMTP AUTH ID"`
	Password    string  `json:"password,omitempty" writeOnly:"true" doc:"SMTP AUTH パスワード (書き込みのみ。空なら保存済みのまま)"`
	HasPassword bool    `json:"has_password" readOnly:"true"`
	From        string  `json:"from" doc:"送信元メールアドレス (楽天市場はRMSに登録した店舗連絡先メールアドレス)"`
	ReplyTo     string  `json:"reply_to,omitempty" doc:"返信先 (Reply-To)。省略時は送信元"`
	PerSecond   float64 `json:"per_second,omitempty" minimum:"0" doc:"1秒あたりの送信数の上限。0 は 5"`
}

type mailSettingsOutput struct{ Body MailSettings }

func mailSettingsOf(s buyermail.Settings) MailSettings {
	return MailSettings{Host: s.Host, Port: s.Port, TLS: string(s.TLS), Username: s.Username, HasPassword: s.Password != "", From: s.From,
		ReplyTo: s.ReplyTo, PerSecond: s.PerSecond}
}

func (h *Handler) getMailSettings(ctx context.Context, in *shopInput) (*mailSettingsOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	s, err := h.deps.Store.MailSettings(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &mailSettingsOutput{Body: mailSettingsOf(s)}, nil
}

type setMailSettingsInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body MailSettings
}

func (h *Handler) setMailSettings(ctx context.Context, in *setMailSettingsInput) (*mailSettingsOutput, error) {
	b := in.Body
	err := h.deps.Store.SaveMailSettings(ctx, buyermail.Settings{ShopID: in.ID, Host: b.Host, Port: b.Port, TLS: buyermail.TLSMode(b.TLS),
		Username: b.Username, Password: b.Password, From: b.From, ReplyTo: b.ReplyTo, PerSecond: b.PerSecond})
	if err != nil {
		return nil, err
	}
	return h.getMailSettings(ctx, &shopInput{ID: in.ID})
}

// OrderMail is one buyer mail of an order, with its rendered text.
type OrderMail struct {
	ID           int64     `json:"id"`
	OrderID      int64     `json:"order_id"`
	ShopID       int64     `json:"shop_id"`
	TemplateName string    `json:"template_name"`
	State        string    `json:"state" enum:"sending,sent,failed,unknown" doc:"sending 送信中 / sent 送信済み / failed 送信エラー (送られていない) / unknown 結果不明 (届いている可能性あり)"`
	StateLabel   string    `json:"state_label"`
	Recipient    string    `json:"recipient"`
	Subject      string    `json:"subject"`
	Body         string    `json:"body"`
	MessageID    string    `json:"message_id"`
	Message      string    `json:"message,omitempty" doc:"エラー・結果不明のときの内容と対処"`
	Actor        string    `json:"actor"`
	CreatedAt    time.Time `json:"created_at"`

	ActorLabel string `json:"actor_label" doc:"画面の表示: ユーザーのログインID、または 自動処理「メール送信」"`
}

func orderMailsOf(rs []buyermail.Record) []OrderMail {
	out := make([]OrderMail, 0, len(rs))
	for _, r := range rs {
		out = append(out, OrderMail{ID: r.ID, OrderID: r.OrderID, ShopID: r.ShopID, TemplateName: r.TemplateName, State: string(r.State),
			StateLabel: r.State.Label(), Recipient: r.Recipient, Subject: r.Subject, Body: r.Body, MessageID: r.MessageID, Message: r.Message,
			Actor: r.Actor, CreatedAt: r.CreatedAt, ActorLabel: workflow.ActorLabel(r.Actor)})
	}
	return out
}

type orderMailsOutput struct {
	Body struct {
		Mails []OrderMail `json:"mails"`
	}
}

func (h *Handler) listOrderMails(ctx context.Context, in *orderInput) (*orderMailsOutput, error) {
	if _, err := h.deps.Store.GetOrder(ctx, in.ID); err != nil {
		return nil, err
	}
	list, err := h.deps.Store.ListOrderMails(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &orderMailsOutput{}
	out.Body.Mails = orderMailsOf(list)
	return out, nil
}

type recentMailsInput struct {
	Page     int `query:"page" minimum:"1" default:"1"`
	PageSize int `query:"page_size" minimum:"1" maximum:"1000" default:"50"`
}

func (h *Handler) listRecentMails(ctx context.Context, in *recentMailsInput) (*orderMailsOutput, error) {
	list, err := h.deps.Store.ListRecentMails(ctx, in.Page, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &orderMailsOutput{}
	out.Body.Mails = orderMailsOf(list)
	return out, nil
}

type sendMailInput struct {
	Body struct {
		Selection
		TemplateID int64 `json:"template_id" minimum:"1" doc:"送信するメールテンプレート"`
	}
}

type sendMailOutput struct {
	Body struct {
		JobIDs  []int64 `json:"job_ids"`
		Message string  `json:"message"`
	}
}

// sendMail is the order list's 「メール送信」: the template goes to each selected order's buyer,
// again if it went before (on purpose), once per request.
func (h *Handler) sendMail(ctx context.Context, in *sendMailInput) (*sendMailOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	byShop, shops, err := h.ordersByShop(ctx, ids)
	if err != nil {
		return nil, err
	}
	jobIDs, err := orderops.SendMail(ctx, h.deps.Store, h.deps.Queue, in.Body.TemplateID, shops, byShop, actor(ctx))
	if err != nil {
		return nil, err
	}
	out := &sendMailOutput{}
	out.Body.JobIDs = jobIDs
	out.Body.Message = fmt.Sprintf("%d件の注文のメール送信を受け付けました。送信結果は各注文のメール履歴で確認できます。", len(ids))
	return out, nil
}
