package api

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/orderops"
)

type markOrderPaidInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		PaidOn string `json:"paid_on,omitempty" maxLength:"10" doc:"入金日 (YYYY-MM-DD、日本時間)。省略すると今日" example:"2026-11-30"`
	}
}

// markOrderPaid is 入金確認 of one order (seed 002): a payment the shop collects itself
// (選択制決済) is marked 入金済み with its day; an order paid already, whose payment the
// marketplace settles, or cancelled is refused with the reason.
func (h *Handler) markOrderPaid(ctx context.Context, in *markOrderPaidInput) (*orderOutput, error) {
	day, err := orderops.ParsePaidOn(in.Body.PaidOn, h.now())
	if err != nil {
		return nil, err
	}
	if _, err := orderops.MarkPaidOne(ctx, h.deps.Store, in.ID, day, actor(ctx)); err != nil {
		return nil, err
	}
	d, err := h.orderDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: d}, nil
}

type markOrdersPaidInput struct {
	Body struct {
		Selection
		BulkGuard
		PaidOn string `json:"paid_on,omitempty" maxLength:"10" doc:"入金日 (YYYY-MM-DD、日本時間)。省略すると今日" example:"2026-11-30"`
	}
}

// markOrdersPaid is 入金確認 of a selection: the unpaid orders whose payment the shop collects
// are marked paid on one day; the others are counted and left alone. Previewed and confirmed as
// the other bulk routes.
func (h *Handler) markOrdersPaid(ctx context.Context, in *markOrdersPaidInput) (*bulkOutput, error) {
	day, err := orderops.ParsePaidOn(in.Body.PaidOn, h.now())
	if err != nil {
		return nil, err
	}
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	p, err := orderops.PlanMarkPaid(ctx, h.deps.Store, ids, day, in.Body.IncludeFinal)
	if err != nil {
		return nil, err
	}
	if out, done, err := guard(p, in.Body.BulkGuard); done || err != nil {
		return out, err
	}
	paid, err := orderops.MarkPaid(ctx, h.deps.Store, p, actor(ctx))
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("%d件の注文を入金済み(入金日 %s)にしました。", len(paid), day)
	if pp := p.Paid; pp.AlreadyPaid+pp.MarketplaceSettled+pp.Cancelled > 0 {
		msg += fmt.Sprintf("入金済みの%d件、モールが入金を確認する決済の%d件、キャンセルの%d件は変更していません。", pp.AlreadyPaid, pp.MarketplaceSettled, pp.Cancelled)
	}
	return &bulkOutput{Body: BulkResult{Count: len(paid), IDs: paid, Preview: preview(p), Message: msg + finalLeftOut(p, "入金確認して")}}, nil
}
