package api

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
)

type cancelOrderInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Reason string `json:"reason" maxLength:"8" doc:"キャンセル理由のコード (チャネルごと。get-order の cancel_reasons から)" example:"8"`
	}
}

// cancelOrder queues the cancellation of one order at its marketplace (RMS cancelOrder, au PAY
// cancelTradeProc); an order the marketplace would not let cancel is refused with why.
func (h *Handler) cancelOrder(ctx context.Context, in *cancelOrderInput) (*messageOutput, error) {
	if _, err := orderops.CancelOne(ctx, h.deps.Store, h.deps.Queue, in.ID, in.Body.Reason, actor(ctx)); err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: "モールでのキャンセルを受け付けました。数秒でモールのステータスが更新されます。"}}, nil
}

type cancelOrdersInput struct {
	Body struct {
		Selection
		DryRun       bool   `json:"dry_run,omitempty" doc:"true: 何も変更せず、キャンセルされる注文の件数と内訳だけを返す"`
		ConfirmCount int    `json:"confirm_count,omitempty" minimum:"0" doc:"キャンセルされる件数。必須で、dry_run の count と一致しなければ拒否される(409)"`
		Reason       string `json:"reason" maxLength:"8" doc:"キャンセル理由のコード (選んだ注文のチャネルが受け付けるもの)" example:"8"`
	}
}

// cancelOrders cancels a selection at the marketplaces, a job per order; the orders that cannot
// be cancelled so are left alone and counted with why. It cannot be undone, so the count is
// always confirmed; completed and cancelled orders are never taken.
func (h *Handler) cancelOrders(ctx context.Context, in *cancelOrdersInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	p, err := orderops.PlanCancelOrders(ctx, h.deps.Store, ids, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	if in.Body.DryRun {
		return &bulkOutput{Body: BulkResult{Count: len(p.IDs), IDs: p.IDs, Message: p.Text(), DryRun: true, Preview: preview(p)}}, nil
	}
	if in.Body.ConfirmCount == 0 {
		return nil, apperror.New(apperror.Invalid, "キャンセルは取り消せないため confirm_count が必要です: %s dry_run: true で内容を確かめ、キャンセルされる件数(%d)を confirm_count に指定して送り直してください。", p.Text(), len(p.IDs))
	}
	if err := p.Check(in.Body.ConfirmCount); err != nil {
		return nil, err
	}
	queued, err := orderops.CancelOrders(ctx, h.deps.Store, h.deps.Queue, p, actor(ctx))
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("%d件の注文のモールでのキャンセルを受け付けました。数秒でモールのステータスが更新されます。", len(queued))
	if n := p.Cancel.Refused; n > 0 {
		msg += fmt.Sprintf("%d件はキャンセルできないため含めていません。", n)
	}
	return &bulkOutput{Body: BulkResult{Count: len(queued), IDs: queued, Preview: preview(p), Message: msg}}, nil
}
