package api

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/orderops"
)

// MessageResult is the answer of an operation that has nothing to return but what it did.
type MessageResult struct {
	Message string `json:"message"`
}

type messageOutput struct{ Body MessageResult }

type bundleOrdersInput struct {
	Body struct {
		IDs []int64 `json:"ids" minItems:"2" maxItems:"1000" doc:"同梱する注文ID (同じ店舗・注文者・お届け先)"`
	}
}

// bundleOrders bundles orders of one buyer and ship-to into the oldest (同梱) and answers the
// parent.
func (h *Handler) bundleOrders(ctx context.Context, in *bundleOrdersInput) (*orderOutput, error) {
	parent, err := orderops.Bundle(ctx, h.deps.Store, in.Body.IDs, actor(ctx))
	if err != nil {
		return nil, err
	}
	return h.getOrder(ctx, &orderInput{ID: parent.ID})
}

// unbundleOrder undoes the bundle whose parent is the order.
func (h *Handler) unbundleOrder(ctx context.Context, in *orderInput) (*messageOutput, error) {
	if err := orderops.Unbundle(ctx, h.deps.Store, in.ID, actor(ctx)); err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: "同梱を解除しました。"}}, nil
}

// LineMove is how much of one of the order's lines goes to the split child.
type LineMove struct {
	Line     int   `json:"line" minimum:"0" doc:"注文の lines[].index"`
	Quantity int64 `json:"quantity" minimum:"0" doc:"分割先へ移す数量"`
}

type splitOrderInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Lines []LineMove `json:"lines" minItems:"1" maxItems:"1000"`
	}
}

// SplitResult is the new child of a split with what the operator is warned of.
type SplitResult struct {
	Order   OrderDetail `json:"order" doc:"分割でできた注文"`
	Warning string      `json:"warning,omitempty" doc:"分割について知らせること (au PAY: 配送番号は1つで、後から反映した番号で上書き)"`
	Message string      `json:"message"`
}

type splitOutput struct{ Body SplitResult }

// splitOrder moves quantities of the order's lines to a new child order (分割).
func (h *Handler) splitOrder(ctx context.Context, in *splitOrderInput) (*splitOutput, error) {
	moves := make([]orderops.LineMove, len(in.Body.Lines))
	for i, m := range in.Body.Lines {
		moves[i] = orderops.LineMove{Line: m.Line, Quantity: m.Quantity}
	}
	child, err := orderops.Split(ctx, h.deps.Store, in.ID, moves, actor(ctx))
	if err != nil {
		return nil, err
	}
	d, err := h.orderDetail(ctx, child.ID)
	if err != nil {
		return nil, err
	}
	return &splitOutput{Body: SplitResult{Order: d, Warning: d.SplitWarning, Message: fmt.Sprintf("注文 %s を作成しました。", d.Number)}}, nil
}

// unsplitOrder undoes the split of the order (or of the order it was split from).
func (h *Handler) unsplitOrder(ctx context.Context, in *orderInput) (*messageOutput, error) {
	if err := orderops.Unsplit(ctx, h.deps.Store, in.ID, actor(ctx)); err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: "分割を解除しました。"}}, nil
}
