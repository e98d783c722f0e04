package orderops

import (
	"context"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// EditQueue queues a change of an order's contents at its marketplace (注文内容修正); *jobs.Queue
// is one.
type EditQueue interface {
	QueueEdit(ctx context.Context, shopID, orderID int64, ch order.Change, actor string) error
}

// editFieldLabels name a change's parts in a refusal.
var editFieldLabels = map[channel.EditField]string{
	channel.EditShipTo: "送付先", channel.EditPostage: "送料", channel.EditPaymentFee: "決済手数料", channel.EditLines: "数量・単価",
}

// Editable says whether the order page offers the change form for an order: its channel takes
// some change, in the order's marketplace status, and nothing else stops it.
func Editable(o order.Order, sh shop.Shop) bool {
	return checkEditOrder(o, sh) == nil
}

// CheckEdit refuses a change the marketplace would refuse or that ichigen must not send: a
// channel with no API for it (with where to change the order instead), a part the marketplace
// does not take, a status it does not take it in, a bundled or split order (the marketplace
// knows the original), a write still on its way, a shop stopped by an auth error, or a change
// that is malformed or changes nothing.
func CheckEdit(o order.Order, sh shop.Shop, ch order.Change) error {
	if err := checkEditOrder(o, sh); err != nil {
		return err
	}
	spec := sh.Channel.Spec().Edit
	for _, f := range channel.ChangeFields(ch) {
		if !spec.Takes(f) {
			return apperror.New(apperror.Invalid, "%sはAPIで%sを変更できません。モールの管理画面で変更してください。", sh.Channel.Label(), editFieldLabels[f])
		}
	}
	if err := ch.Check(o); err != nil {
		return apperror.New(apperror.Invalid, "%s", err.Error())
	}
	if len(ch.Describe(o)) == 0 || sameOrder(o, ch) {
		return apperror.New(apperror.Invalid, "%s", order.ErrNoChange.Error())
	}
	return nil
}

// sameOrder says whether the change leaves the order as it is.
func sameOrder(o order.Order, ch order.Change) bool {
	after := ch.Apply(o)
	return slices.Equal(after.Lines, o.Lines) && slices.Equal(after.Packages, o.Packages) && after.Amounts == o.Amounts
}

func checkEditOrder(o order.Order, sh shop.Shop) error {
	spec := sh.Channel.Spec().Edit
	switch {
	case spec == nil:
		return apperror.New(apperror.Invalid, "%sの注文はichigenから変更できません。モールの管理画面で変更してください。", sh.Channel.Label())
	case len(spec.Fields) == 0:
		return apperror.New(apperror.Invalid, "%s", spec.Refusal)
	case o.MarketplaceStatus.Cancelled():
		return apperror.New(apperror.Invalid, "この注文はモールでキャンセル済み(%s)のため変更できません。", o.MarketplaceStatus.Label())
	case !spec.Allows(o.MarketplaceStatus):
		return apperror.New(apperror.Invalid, "モールのステータスが「%s」の注文は変更できません。%s", o.MarketplaceStatus.Label(), spec.Refusal)
	case o.ManagementClass == order.BundleParent || o.ManagementClass == order.BundleChild:
		return apperror.New(apperror.Invalid, "同梱した注文は変更できません。同梱を解除してから、元の注文をそれぞれ変更してください。")
	case o.ManagementClass == order.Split:
		return apperror.New(apperror.Invalid, "分割した注文は変更できません。モールは元の注文しか知らないため、分割を解除してから元の注文を変更してください。")
	case slices.Contains(channel.PendingLinkStatuses(), workflow.LinkStatus(o.LinkStatus)):
		return apperror.New(apperror.Invalid, "モールへの送信結果を待っている注文(%s)は変更できません。結果が出てからもう一度操作してください。", workflow.LinkStatus(o.LinkStatus).Label())
	case o.PaymentStatus == order.CardCaptured:
		return apperror.New(apperror.Invalid, "%s", ownshop.MsgChangeCaptured)
	case o.PaymentStatus.Card() && o.PaymentStatus != order.CardAuthorized:
		return apperror.New(apperror.Invalid, "%s(この注文は「%s」です)", ownshop.MsgChangeOnlyAuthorized, o.PaymentStatus.Label())
	case sh.Status == shop.AuthError:
		return apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているため変更できません。店舗設定で新しい認証情報を保存してから実行してください。", sh.Name)
	}
	return nil
}

// PreviewEdit checks a change of one order and returns the order and the lines the change will
// send, each with its value before and after, for the operator to confirm.
func PreviewEdit(ctx context.Context, st store.Store, id int64, ch order.Change) (order.Order, []string, error) {
	o, err := st.GetOrder(ctx, id)
	if err != nil {
		return o, nil, err
	}
	sh, err := st.GetShop(ctx, o.ShopID)
	if err != nil {
		return o, nil, err
	}
	if err := CheckEdit(o, sh, ch); err != nil {
		return o, nil, err
	}
	return o, ch.Describe(o), nil
}

// EditOne queues the change of one order at its marketplace, after CheckEdit; the job sends it,
// and the order's history gets a line with every value before and after.
func EditOne(ctx context.Context, st store.Store, q EditQueue, id int64, ch order.Change, actor string) (order.Order, error) {
	o, _, err := PreviewEdit(ctx, st, id, ch)
	if err != nil {
		return o, err
	}
	return o, q.QueueEdit(ctx, o.ShopID, o.ID, ch, actor)
}
