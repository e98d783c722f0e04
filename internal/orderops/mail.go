package orderops

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// MailQueue queues an operator's mail jobs; *jobs.Queue is one.
type MailQueue interface {
	QueueSendMail(ctx context.Context, templateID int64, orders []jobs.ShopOrders, actor string) ([]int64, error)
}

// SendMail is the order list's 「メール送信」: the template goes to each order's buyer again, on
// purpose, through each shop's SMTP server, in jobs per shop. ids are the orders of each of
// shops. Nothing is queued when the template is another shop's or a shop has no SMTP settings.
func SendMail(ctx context.Context, st store.Store, q MailQueue, templateID int64, shops []shop.Shop, ids map[int64][]int64, actor string) ([]int64, error) {
	tmpl, err := st.GetMailTemplate(ctx, templateID)
	if err != nil {
		return nil, err
	}
	orders := make([]jobs.ShopOrders, 0, len(shops))
	for _, sh := range shops {
		if tmpl.ShopID != 0 && tmpl.ShopID != sh.ID {
			return nil, apperror.New(apperror.Invalid, "メールテンプレート「%s」は店舗「%s」では使えません。店舗ごとに選ぶか、共通のテンプレートを使ってください。", tmpl.Name, sh.Name)
		}
		settings, err := st.MailSettings(ctx, sh.ID)
		if err != nil {
			return nil, err
		}
		if !settings.Configured() {
			return nil, apperror.New(apperror.Invalid, "店舗「%s」のメール送信設定(SMTPサーバ・送信元メールアドレス)がありません。設定 > メールテンプレート で保存してから送信してください。", sh.Name)
		}
		orders = append(orders, jobs.ShopOrders{ShopID: sh.ID, OrderIDs: ids[sh.ID]})
	}
	return q.QueueSendMail(ctx, templateID, orders, actor)
}

// MailPreview renders a template (saved or being edited) on a real order of the shop: the order
// given, or the shop's newest. It refuses what saving would refuse, naming an unknown
// placeholder, so the operator sees the problem before saving.
func MailPreview(ctx context.Context, st store.Store, tmpl buyermail.Template, shopID, orderID int64) (buyermail.Rendered, order.Order, error) {
	if tmpl.Name == "" {
		tmpl.Name = "プレビュー"
	}
	if err := tmpl.Validate(); err != nil {
		return buyermail.Rendered{}, order.Order{}, err
	}
	sh, err := st.GetShop(ctx, shopID)
	if err != nil {
		return buyermail.Rendered{}, order.Order{}, err
	}
	if orderID == 0 {
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 1})
		if err != nil {
			return buyermail.Rendered{}, order.Order{}, err
		}
		if len(page.Orders) == 0 {
			return buyermail.Rendered{}, order.Order{}, apperror.New(apperror.Invalid, "店舗「%s」にはまだ注文がないため、プレビューできません。", sh.Name)
		}
		orderID = page.Orders[0].ID
	}
	o, err := st.GetOrder(ctx, orderID)
	if err != nil {
		return buyermail.Rendered{}, order.Order{}, err
	}
	if o.ShopID != sh.ID {
		return buyermail.Rendered{}, order.Order{}, apperror.New(apperror.Invalid, "注文 %s は店舗「%s」の注文ではありません。", o.Number, sh.Name)
	}
	settings, err := st.MailSettings(ctx, sh.ID)
	if err != nil {
		return buyermail.Rendered{}, order.Order{}, err
	}
	return buyermail.Render(tmpl, buyermail.Context{Order: o, ShopName: sh.Name, Contact: settings.Contact()}), o, nil
}
