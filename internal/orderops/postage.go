package orderops

import (
	"context"
	"errors"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// MaxPostage bounds the postage an operator enters, as the marketplace client does.
const MaxPostage = 1_000_000

// PostageQueue queues the push of the postage an operator entered for an order to its
// marketplace; *jobs.Queue is one.
type PostageQueue interface {
	QueueSetPostage(ctx context.Context, shopID, orderID, postage int64) error
}

// PlanPostage is a postage fix's amount and the selected orders it leaves alone.
type PlanPostage struct {
	Postage int64
	// Fixed counts the selected orders whose postage is fixed already: only the marketplace
	// changes it then, and only Rakuten's -9999 (送料未確定) is fixed through ichigen.
	Fixed int
}

// CheckPostage refuses a postage the marketplace would not take.
func CheckPostage(postage int64) error {
	if postage < 0 || postage > MaxPostage {
		return apperror.New(apperror.Invalid, "送料 %d 円は入力できません。0から1,000,000までの円の整数で入力してください(例: 660)。", postage)
	}
	return nil
}

// CheckSetPostage refuses the postage fix of an order whose postage is fixed already (the only
// orders whose postage is not are Rakuten's -9999, whose channel sets postage) or whose shop is
// stopped by an auth error.
func CheckSetPostage(o order.Order, sh shop.Shop) error {
	if o.Amounts.Postage.Fixed() {
		return apperror.New(apperror.Invalid, "この注文の送料は確定しています。送料をモールに反映できるのは送料未確定(楽天の-9999)の注文だけです。変更はモールの管理画面で行ってください。")
	}
	return checkPostageShop(sh)
}

// checkPostageShop refuses a postage fix in a shop stopped by an auth error.
func checkPostageShop(sh shop.Shop) error {
	if sh.Status == shop.AuthError {
		return apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているため送料を反映できません。店舗設定で新しい認証情報を保存してから実行してください。", sh.Name)
	}
	return nil
}

// SetPostageOne queues the postage fix of one order ([入力内容を反映する]): the job pushes it to
// the marketplace, the order's amounts then follow the marketplace's, and confirming it is the
// operator's next step.
func SetPostageOne(ctx context.Context, st store.Store, q PostageQueue, id, postage int64) (order.Order, error) {
	if err := CheckPostage(postage); err != nil {
		return order.Order{}, err
	}
	o, err := st.GetOrder(ctx, id)
	if err != nil {
		return o, err
	}
	sh, err := st.GetShop(ctx, o.ShopID)
	if err != nil {
		return o, err
	}
	if err := CheckSetPostage(o, sh); err != nil {
		return o, err
	}
	return o, q.QueueSetPostage(ctx, sh.ID, o.ID, postage)
}

// PlanSetPostage previews a bulk postage fix: the selected orders whose postage is not fixed
// take it, finished ones only with includeFinal; those whose postage is fixed are counted and
// left alone. A selection with none to fix, or of a shop stopped by an auth error, is refused.
func PlanSetPostage(ctx context.Context, st store.Store, ids []int64, postage int64, includeFinal bool) (Plan, error) {
	if err := CheckPostage(postage); err != nil {
		return Plan{}, err
	}
	names, err := readNames(ctx, st)
	if err != nil {
		return Plan{}, err
	}
	unfixed, err := st.OrderIDs(ctx, store.OrderQuery{PostageUnfixed: true}, MaxBulk+1)
	if err != nil {
		return Plan{}, err
	}
	open := make(map[int64]bool, len(unfixed))
	for _, id := range unfixed {
		open[id] = true
	}
	p, err := plan(ctx, st, names, ids, includeFinal, func(o store.OrderState) bool { return open[o.ID] })
	if err != nil {
		return Plan{}, err
	}
	p.Postage = &PlanPostage{Postage: postage, Fixed: p.Selected - len(p.IDs) - p.finalLeftOut()}
	if len(p.IDs) == 0 && p.Final == 0 {
		return Plan{}, apperror.New(apperror.Invalid, "選択した%s件の注文はどれも送料が確定しています。送料をモールに反映できるのは送料未確定(楽天の-9999)の注文だけです。", grouped(p.Selected))
	}
	for _, g := range p.Groups {
		sh, err := st.GetShop(ctx, g.ShopID)
		if err != nil {
			return Plan{}, err
		}
		if err := checkPostageShop(sh); err != nil {
			return Plan{}, err
		}
	}
	return p.Plan, nil
}

// finalLeftOut counts the finished orders the plan leaves out.
func (p Plan) finalLeftOut() int {
	if p.IncludeFinal {
		return 0
	}
	return p.Final
}

// SetPostage queues the planned postage fix, a job per order, and returns the orders queued.
func SetPostage(ctx context.Context, st store.Store, q PostageQueue, p Plan) ([]int64, error) {
	if p.Postage == nil {
		return nil, errors.New("orderops: SetPostage of a plan that is no postage fix")
	}
	states, err := st.OrderStates(ctx, p.IDs)
	if err != nil {
		return nil, err
	}
	done := make([]int64, 0, len(states))
	for _, o := range states {
		if err := q.QueueSetPostage(ctx, o.ShopID, o.ID, p.Postage.Postage); err != nil {
			return done, err
		}
		done = append(done, o.ID)
	}
	return done, nil
}
