package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// mailView is 設定 > メールテンプレート of one shop: its SMTP settings, the templates it may send
// (its own and the shared ones) and a template in the form, with its preview.
type mailView struct {
	Cat       *catalog
	Shop      shop.Shop
	Settings  buyermail.Settings
	SMTPError string
	Templates []buyermail.Template
	Form      templateForm
	CanUpdate bool
	// BounceAddress is where the shop's sender mailbox forwards its bounces; "" when the
	// bounce listener is off.
	BounceAddress string
}

// templateForm is the template form as shown or as entered, with its error or preview.
type templateForm struct {
	Template     buyermail.Template
	Error        string
	Preview      *buyermail.Rendered
	PreviewOrder string // the number of the order the preview filled in
}

func mailSettingsPath(shopID int64) string { return "/settings/mail?shop=" + i64toa(shopID) }

func templatePath(shopID, id int64) string {
	return mailSettingsPath(shopID) + "&template=" + i64toa(id) + "#template-form"
}

// mailSettings shows a shop's mail settings, with the template asked for (or a new one) in the
// form.
func (h *Handler) mailSettings(w http.ResponseWriter, r *http.Request) {
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh, _ := shopOf(cat, r)
	form := templateForm{Template: buyermail.Template{ShopID: sh.ID, Charset: buyermail.UTF8}}
	if id, err := strconv.ParseInt(r.URL.Query().Get("template"), 10, 64); err == nil {
		if form.Template, err = h.deps.Store.GetMailTemplate(r.Context(), id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.renderMail(w, r, http.StatusOK, mailView{Cat: cat, Shop: sh, Form: form})
}

func (h *Handler) renderMail(w http.ResponseWriter, r *http.Request, status int, v mailView) {
	ctx := r.Context()
	v.CanUpdate = canUpdate(ctx, user.MenuShops)
	if h.deps.BounceMailbox != "" {
		v.BounceAddress = buyermail.ShopBounceAddress(h.deps.BounceMailbox, v.Shop.ID)
	}
	if v.Shop.ID != 0 {
		var err error
		if v.Templates, err = h.deps.Store.ListMailTemplates(ctx, v.Shop.ID); err != nil {
			h.fail(w, r, err)
			return
		}
		if v.SMTPError == "" {
			if v.Settings, err = h.deps.Store.MailSettings(ctx, v.Shop.ID); err != nil {
				h.fail(w, r, err)
				return
			}
		}
	}
	h.render(w, r, status, mailPage(v))
}

// readTemplate reads the template form.
func readTemplate(r *http.Request, t *buyermail.Template) {
	t.Name = strings.TrimSpace(r.PostFormValue("name"))
	t.Subject = r.PostFormValue("subject")
	t.Body = strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n")
	t.Charset = buyermail.Charset(r.PostFormValue("charset"))
}

// createTemplate saves a new template, for the shop or shared by every shop, or previews it.
func (h *Handler) createTemplate(w http.ResponseWriter, r *http.Request) {
	shopID, err := formID(r.PostFormValue("shop_id"), "店舗")
	if err != nil {
		h.settingsFail(w, r, "/settings/mail", err)
		return
	}
	t := buyermail.Template{ShopID: shopID}
	if r.PostFormValue("shared") == "1" {
		t.ShopID = 0
	}
	h.saveTemplateForm(w, r, shopID, t)
}

// saveTemplate saves an edited template, or previews it.
func (h *Handler) saveTemplate(w http.ResponseWriter, r *http.Request) {
	t, ok := byPath(h, w, r, h.deps.Store.GetMailTemplate)
	if !ok {
		return
	}
	shopID, err := formID(r.PostFormValue("shop_id"), "店舗")
	if err != nil {
		h.settingsFail(w, r, "/settings/mail", err)
		return
	}
	h.saveTemplateForm(w, r, shopID, t)
}

// saveTemplateForm saves the form's template, or with the preview button renders it on the
// shop's newest order (or the order number entered) without saving. A refusal names what to fix.
func (h *Handler) saveTemplateForm(w http.ResponseWriter, r *http.Request, shopID int64, t buyermail.Template) {
	ctx := r.Context()
	readTemplate(r, &t)
	form := templateForm{Template: t}
	var err error
	if r.PostFormValue("action") == "preview" {
		err = h.preview(r, shopID, &form)
	} else {
		var saved buyermail.Template
		if saved, err = h.deps.Store.SaveMailTemplate(ctx, t); err == nil {
			h.settingsDone(w, r, templatePath(shopID, saved.ID), fmt.Sprintf("メールテンプレート「%s」を保存しました。", saved.Name))
			return
		}
	}
	status := http.StatusOK
	if err != nil {
		if status = statusOf(err); status == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		form.Error = apperror.MessageOf(err)
	}
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderMail(w, r, status, mailView{Cat: cat, Shop: cat.shopByID[shopID], Form: form})
}

// preview fills the form's template in on an order of the shop.
func (h *Handler) preview(r *http.Request, shopID int64, form *templateForm) error {
	ctx := r.Context()
	var orderID int64
	if number := strings.TrimSpace(r.PostFormValue("preview_order")); number != "" {
		o, err := h.deps.Store.GetOrderByNumber(ctx, shopID, number)
		if err != nil {
			return err
		}
		orderID = o.ID
	}
	rendered, o, err := orderops.MailPreview(ctx, h.deps.Store, form.Template, shopID, orderID)
	if err != nil {
		return err
	}
	form.Preview, form.PreviewOrder = &rendered, o.Number
	return nil
}

// addDefaultTemplates gives a shop made before buyer mail existed the サンクスメール and 発送メール
// a new shop starts with.
func (h *Handler) addDefaultTemplates(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	for _, t := range buyermail.Defaults(sh.ID) {
		if _, err := h.deps.Store.SaveMailTemplate(r.Context(), t); err != nil {
			h.settingsFail(w, r, mailSettingsPath(sh.ID), err)
			return
		}
	}
	h.settingsDone(w, r, mailSettingsPath(sh.ID), "標準のサンクスメールと発送メールを追加しました。")
}

// ownTemplates counts the shop's own templates among those it may use.
func (v mailView) ownTemplates() int {
	n := 0
	for _, t := range v.Templates {
		if t.ShopID == v.Shop.ID {
			n++
		}
	}
	return n
}

// deleteTemplate deletes a template no rule sends.
func (h *Handler) deleteTemplate(w http.ResponseWriter, r *http.Request) {
	t, ok := byPath(h, w, r, h.deps.Store.GetMailTemplate)
	if !ok {
		return
	}
	to := "/settings/mail"
	if id, err := formID(r.PostFormValue("shop_id"), "店舗"); err == nil {
		to = mailSettingsPath(id)
	}
	if err := h.deps.Store.DeleteMailTemplate(r.Context(), t.ID); err != nil {
		h.settingsFail(w, r, to, err)
		return
	}
	h.settingsDone(w, r, to, fmt.Sprintf("メールテンプレート「%s」を削除しました。", t.Name))
}

// saveSMTP saves a shop's SMTP settings; an empty password keeps the one saved.
func (h *Handler) saveSMTP(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	port, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("port")))
	perSecond, _ := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("per_second")), 64)
	s := buyermail.Settings{ShopID: sh.ID, Host: strings.TrimSpace(r.PostFormValue("host")), Port: port, TLS: buyermail.TLSMode(r.PostFormValue("tls")),
		Username: strings.TrimSpace(r.PostFormValue("username")), Password: r.PostFormValue("password"),
		From: strings.TrimSpace(r.PostFormValue("from")), ReplyTo: strings.TrimSpace(r.PostFormValue("reply_to")), PerSecond: perSecond}
	err := h.deps.Store.SaveMailSettings(r.Context(), s)
	if err == nil {
		h.settingsDone(w, r, mailSettingsPath(sh.ID), "メール送信設定を保存しました。次のメールからこの設定で送ります。")
		return
	}
	if statusOf(err) == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	cat, cerr := h.loadCatalog(r.Context())
	if cerr != nil {
		h.fail(w, r, cerr)
		return
	}
	s.Password = ""
	h.renderMail(w, r, statusOf(err), mailView{Cat: cat, Shop: sh, Settings: s, SMTPError: apperror.MessageOf(err),
		Form: templateForm{Template: buyermail.Template{ShopID: sh.ID, Charset: buyermail.UTF8}}})
}

// mailsView is 送信したメール: the newest buyer mails of every shop.
type mailsView struct {
	Cat   *catalog
	Mails []buyermail.Record
	Page  int
}

// mailsPageSize is how many mails the list shows a page.
const mailsPageSize = 100

// mailList lists the buyer mails sent, newest first, with their text.
func (h *Handler) mailList(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mails, err := h.deps.Store.ListRecentMails(r.Context(), page, mailsPageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, mailsPage(mailsView{Cat: cat, Mails: mails, Page: page}))
}

func templateFormAction(t buyermail.Template) string {
	if t.ID == 0 {
		return "/settings/mail/templates"
	}
	return "/settings/mail/templates/" + i64toa(t.ID)
}

func portText(p int) string {
	if p == 0 {
		return "587"
	}
	return strconv.Itoa(p)
}

func tlsLabel(m buyermail.TLSMode) string {
	switch m {
	case buyermail.ImplicitTLS:
		return "SSL/TLS(通常ポート465)"
	case buyermail.NoTLS:
		return "なし(同じマシンのサーバのみ)"
	}
	return "STARTTLS(通常ポート587)"
}
