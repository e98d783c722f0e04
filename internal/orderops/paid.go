package orderops

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// 入金確認 by hand (seed 002): the payments a shop collects itself (選択制決済 — cash on delivery,
// deferred payment, au PAY's bank transfer to the shop) are never reported by the marketplace, so
// an order that must be paid before it ships waits at 入金待ち until the operator says the money
// is in, with the day it came. Payments the marketplace settles (楽天共通決済: card, Rakuten's bank
// transfer, convenience prepay) turn 入金済み on their own when the marketplace moves the order
// to 発送待ち; they cannot be marked by hand.

// PlanPaid is a payment confirmation's day and the selected orders it leaves alone.
type PlanPaid struct {
	// PaidOn is the day the payment came in, YYYY-MM-DD in Japan time.
	PaidOn string
	// AlreadyPaid counts the selected orders paid already; MarketplaceSettled those whose
	// payment the marketplace settles; Cancelled those cancelled on the marketplace.
	AlreadyPaid, MarketplaceSettled, Cancelled int
}

// ParsePaidOn reads the day a payment came in: YYYY-MM-DD or YYYY/MM/DD, today (in Japan) when
// empty, and never after today.
func ParsePaidOn(s string, now time.Time) (string, error) {
	today := now.In(order.JST).Format(time.DateOnly)
	s = strings.TrimSpace(strings.ReplaceAll(s, "/", "-"))
	if s == "" {
		return today, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, order.JST)
	if err != nil || d.Year() < 2000 {
		return "", apperror.New(apperror.Invalid, "入金日「%s」は日付として読めません。2026-11-30 のように年-月-日で入力してください。", s)
	}
	if day := d.Format(time.DateOnly); day > today {
		return "", apperror.New(apperror.Invalid, "入金日 %s は今日(%s)より後です。入金があった日を入力してください。", day, today)
	}
	return d.Format(time.DateOnly), nil
}

// CheckMarkPaid refuses the payment confirmation of an order paid already, cancelled, or whose
// payment its marketplace settles, each with what to do instead.
func CheckMarkPaid(o order.Order) error {
	switch {
	case o.PaymentStatus == order.Paid && o.PaidOn != "":
		return apperror.New(apperror.Invalid, "この注文は入金確認済みです(入金日 %s)。", o.PaidOn)
	case o.PaymentStatus == order.Paid:
		return apperror.New(apperror.Invalid, "この注文はモールで入金済みです。入金確認は要りません。")
	case o.MarketplaceStatus.Cancelled():
		return apperror.New(apperror.Invalid, "モールでキャンセルされた注文は入金確認できません。モールで注文の状態を確認してください。")
	case o.Settlement != order.SettlementSelective:
		return apperror.New(apperror.Invalid, "「%s」はモールが入金を確認する決済です(楽天共通決済など)。モールで入金が確認されると、注文が発送待ちになったときに自動で入金済みになります。", o.PaymentMethod)
	}
	return nil
}

// MarkPaidOne confirms one order's payment by hand with the day it came in.
func MarkPaidOne(ctx context.Context, st store.Store, id int64, paidOn, actor string) (order.Order, error) {
	o, err := st.GetOrder(ctx, id)
	if err != nil {
		return o, err
	}
	if err := CheckMarkPaid(o); err != nil {
		return o, err
	}
	if _, err := st.MarkPaid(ctx, []int64{id}, paidOn, actor); err != nil {
		return o, err
	}
	return st.GetOrder(ctx, id)
}

// PlanMarkPaid previews a bulk payment confirmation: the selected orders the shop collects the
// payment of and that are still unpaid take it (finished ones only with includeFinal); the
// others are counted and left alone. A selection with none to mark is refused with why.
func PlanMarkPaid(ctx context.Context, st store.Store, ids []int64, paidOn string, includeFinal bool) (Plan, error) {
	names, err := readNames(ctx, st)
	if err != nil {
		return Plan{}, err
	}
	orders, err := st.OrdersByIDs(ctx, ids)
	if err != nil {
		return Plan{}, err
	}
	pp := &PlanPaid{PaidOn: paidOn}
	takes := make(map[int64]bool, len(orders))
	for _, o := range orders {
		switch {
		case o.PaymentStatus == order.Paid:
			pp.AlreadyPaid++
		case o.MarketplaceStatus.Cancelled():
			pp.Cancelled++
		case o.Settlement != order.SettlementSelective:
			pp.MarketplaceSettled++
		default:
			takes[o.ID] = true
		}
	}
	p, err := plan(ctx, st, names, ids, includeFinal, func(o store.OrderState) bool { return takes[o.ID] })
	if err != nil {
		return Plan{}, err
	}
	p.Paid = pp
	if len(p.IDs) == 0 && p.Final == 0 {
		return Plan{}, apperror.New(apperror.Invalid, "選択した%s件の注文に入金確認できる注文がありません(入金済み%s件、モールが入金を確認する決済%s件、キャンセル%s件)。入金確認できるのは、店舗が代金を受け取る決済(選択制決済)の未入金の注文です。",
			grouped(p.Selected), grouped(pp.AlreadyPaid), grouped(pp.MarketplaceSettled), grouped(pp.Cancelled))
	}
	return p.Plan, nil
}

// MarkPaid confirms the payment of the planned orders and returns those it marked (an order
// paid meanwhile is left as it is).
func MarkPaid(ctx context.Context, st store.Store, p Plan, actor string) ([]int64, error) {
	if p.Paid == nil {
		return nil, errors.New("orderops: MarkPaid of a plan that is no payment confirmation")
	}
	return st.MarkPaid(ctx, p.IDs, p.Paid.PaidOn, actor)
}
