package orderops

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// CancelQueue queues the cancellation of an order at its marketplace; *jobs.Queue is one.
type CancelQueue interface {
	QueueCancel(ctx context.Context, shopID, orderID int64, reason, actor string) error
}

// PlanCancel is a bulk cancellation's reason and the selected orders it leaves alone.
type PlanCancel struct {
	Reason string
	// Refused counts the selected orders that cannot be cancelled so, and Why says why, one
	// line per cause with its count.
	Refused int
	Why     []string
}

// CancelReasons lists the reasons a shop's marketplace takes for a cancellation; none when
// ichigen cannot cancel its orders.
func CancelReasons(sh shop.Shop) []channel.CancelReason {
	if c := sh.Channel.Spec().Cancel; c != nil {
		return c.Reasons
	}
	return nil
}

// CheckCancel refuses the cancellation of an order its marketplace would refuse or that ichigen
// must not send: a channel ichigen cannot cancel through, a reason it does not take, a
// marketplace status it does not allow (with the channel's own advice), a bundled or split order
// (the marketplace knows the original), a write still on its way, or a shop stopped by an auth
// error.
func CheckCancel(o order.Order, sh shop.Shop, reason string) error {
	spec := sh.Channel.Spec().Cancel
	switch {
	case spec == nil:
		return apperror.New(apperror.Invalid, "%sの注文はichigenからキャンセルできません。モールの管理画面でキャンセルしてください。", sh.Channel.Label())
	case o.MarketplaceStatus.Cancelled():
		return apperror.New(apperror.Invalid, "この注文はモールでキャンセル済み(%s)です。", o.MarketplaceStatus.Label())
	case !spec.Allows(o.MarketplaceStatus):
		return apperror.New(apperror.Invalid, "モールのステータスが「%s」の注文はキャンセルできません。%s", o.MarketplaceStatus.Label(), spec.Refusal)
	case o.ManagementClass == order.BundleParent || o.ManagementClass == order.BundleChild:
		return apperror.New(apperror.Invalid, "同梱した注文はキャンセルできません。同梱を解除してから、元の注文をそれぞれキャンセルしてください。")
	case o.ManagementClass == order.Split:
		return apperror.New(apperror.Invalid, "分割した注文はキャンセルできません。モールは元の注文しか知らないため、分割を解除してから元の注文をキャンセルしてください。")
	case slices.Contains(channel.PendingLinkStatuses(), workflow.LinkStatus(o.LinkStatus)):
		return apperror.New(apperror.Invalid, "モールへの送信結果を待っている注文(%s)はキャンセルできません。結果が出てからもう一度操作してください。", workflow.LinkStatus(o.LinkStatus).Label())
	case sh.Status == shop.AuthError:
		return apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているためキャンセルできません。店舗設定で新しい認証情報を保存してから実行してください。", sh.Name)
	}
	if _, ok := spec.Reason(reason); !ok {
		return apperror.New(apperror.Invalid, "キャンセル理由を選んでください(%sが受け付ける理由から)。", sh.Channel.Label())
	}
	return nil
}

// CancelOne queues the cancellation of one order at its marketplace, after CheckCancel.
func CancelOne(ctx context.Context, st store.Store, q CancelQueue, id int64, reason, actor string) (order.Order, error) {
	o, err := st.GetOrder(ctx, id)
	if err != nil {
		return o, err
	}
	sh, err := st.GetShop(ctx, o.ShopID)
	if err != nil {
		return o, err
	}
	if err := CheckCancel(o, sh, reason); err != nil {
		return o, err
	}
	return o, q.QueueCancel(ctx, sh.ID, o.ID, reason, actor)
}

// PlanCancelOrders previews a bulk cancellation with one reason: the selected orders CheckCancel
// lets through are cancelled, the others counted with why. Finished orders (完了, キャンセル) are
// never cancelled. A selection with none to cancel is refused with the reasons.
func PlanCancelOrders(ctx context.Context, st store.Store, ids []int64, reason string) (Plan, error) {
	names, err := readNames(ctx, st)
	if err != nil {
		return Plan{}, err
	}
	takes, pc, err := sortCancels(ctx, st, ids, func(o order.Order, sh shop.Shop) error { return CheckCancel(o, sh, reason) })
	if err != nil {
		return Plan{}, err
	}
	pc.Reason = reason
	p, err := plan(ctx, st, names, ids, false, func(o store.OrderState) bool { return takes[o.ID] })
	if err != nil {
		return Plan{}, err
	}
	p.Cancel = pc
	if len(p.IDs) == 0 {
		return Plan{}, apperror.New(apperror.Invalid, "選択した%s件の注文にキャンセルできる注文がありません。%s", grouped(p.Selected), joinWhy(pc.Why))
	}
	return p.Plan, nil
}

// sortCancels reads the selected orders and sorts them by check: the ids it lets through, and
// how many it refused and why (each reason once, with its count, in the order first met).
func sortCancels(ctx context.Context, st store.Store, ids []int64, check func(order.Order, shop.Shop) error) (map[int64]bool, *PlanCancel, error) {
	orders, err := st.OrdersByIDs(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	shops := map[int64]shop.Shop{}
	pc := &PlanCancel{}
	why := map[string]int{}
	var seen []string
	takes := make(map[int64]bool, len(orders))
	for _, o := range orders {
		sh, ok := shops[o.ShopID]
		if !ok {
			if sh, err = st.GetShop(ctx, o.ShopID); err != nil {
				return nil, nil, err
			}
			shops[o.ShopID] = sh
		}
		if err := check(o, sh); err != nil {
			msg := apperror.MessageOf(err)
			if why[msg] == 0 {
				seen = append(seen, msg)
			}
			why[msg]++
			pc.Refused++
			continue
		}
		takes[o.ID] = true
	}
	for _, msg := range seen {
		pc.Why = append(pc.Why, fmt.Sprintf("%s件: %s", grouped(why[msg]), msg))
	}
	return takes, pc, nil
}

func joinWhy(why []string) string {
	out := ""
	for i, w := range why {
		if i == 3 {
			out += "…"
			break
		}
		out += "(" + w + ")"
	}
	return out
}

// CancelOrders queues the planned cancellations, a job per order, and returns the orders queued.
func CancelOrders(ctx context.Context, st store.Store, q CancelQueue, p Plan, actor string) ([]int64, error) {
	if p.Cancel == nil {
		return nil, errors.New("orderops: CancelOrders of a plan that is no cancellation")
	}
	states, err := st.OrderStates(ctx, p.IDs)
	if err != nil {
		return nil, err
	}
	done := make([]int64, 0, len(states))
	for _, o := range states {
		if err := q.QueueCancel(ctx, o.ShopID, o.ID, p.Cancel.Reason, actor); err != nil {
			return done, err
		}
		done = append(done, o.ID)
	}
	return done, nil
}
