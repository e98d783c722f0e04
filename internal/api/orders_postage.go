package api

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/orderops"
)

type setOrderPostageInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Postage int64 `json:"postage" minimum:"0" maximum:"1000000" doc:"送料 (円)"`
	}
}

// setOrderPostage is the fix of an order whose postage is not fixed (送料未確定, RMS -9999): a job
// pushes the postage to the marketplace ([入力内容を反映する]), the order's amounts then follow
// the marketplace's, and confirming it is the next step. An order whose postage is fixed, or of
// a shop stopped by an auth error, is refused.
func (h *Handler) setOrderPostage(ctx context.Context, in *setOrderPostageInput) (*messageOutput, error) {
	if _, err := orderops.SetPostageOne(ctx, h.deps.Store, h.deps.Queue, in.ID, in.Body.Postage); err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: fmt.Sprintf("送料 %d 円をモールに反映する処理を受け付けました。数秒で金額が更新されます。そのあと注文確認してください。", in.Body.Postage)}}, nil
}

type setOrdersPostageInput struct {
	Body struct {
		Selection
		BulkGuard
		Postage int64 `json:"postage" minimum:"0" maximum:"1000000" doc:"選んだ注文のうち送料未確定の注文すべてに入力する送料 (円)"`
	}
}

// setOrdersPostage is the postage fix of a selection, one postage for every order whose postage
// is not fixed, a job per order; the orders whose postage is fixed are left alone and counted.
// Like a move, it is previewed (dry_run), confirmed above orderops.ConfirmAbove orders, and
// leaves completed and cancelled orders alone unless include_final.
func (h *Handler) setOrdersPostage(ctx context.Context, in *setOrdersPostageInput) (*bulkOutput, error) {
	ids, err := h.orders(ctx, in.Body.Selection)
	if err != nil {
		return nil, err
	}
	p, err := orderops.PlanSetPostage(ctx, h.deps.Store, ids, in.Body.Postage, in.Body.IncludeFinal)
	if err != nil {
		return nil, err
	}
	if out, done, err := guard(p, in.Body.BulkGuard); done || err != nil {
		return out, err
	}
	queued, err := orderops.SetPostage(ctx, h.deps.Store, h.deps.Queue, p)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("%d件の注文の送料 %d 円をモールに反映する処理を受け付けました。数秒で金額が更新されます。そのあと注文確認してください。", len(queued), in.Body.Postage)
	if n := p.Postage.Fixed; n > 0 {
		msg += fmt.Sprintf("%d件は送料が確定しているため反映していません。", n)
	}
	return &bulkOutput{Body: BulkResult{Count: len(queued), IDs: queued, Preview: preview(p), Message: msg + finalLeftOut(p, "反映して")}}, nil
}
