package api

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
)

type setOrderMemoInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Memo string `json:"memo" maxLength:"8000" doc:"店舗のメモ (2,000文字まで)。空文字で削除" example:"ギフト包装済み。明細書は入れない。"`
		// Version, when given, refuses the change if the order changed since it was read.
		Version int64 `json:"version,omitempty" minimum:"0" doc:"読んだときの注文の version。省略すると衝突を確かめない"`
	}
}

// setOrderMemo writes the shop's memo on an order (備考・メモ): ichigen's own, never changed by
// an import; a change is a line in the order's history.
func (h *Handler) setOrderMemo(ctx context.Context, in *setOrderMemoInput) (*orderOutput, error) {
	memo, ok := order.NormaliseMemo(in.Body.Memo)
	if !ok {
		return nil, apperror.New(apperror.Invalid, "メモは%d文字までです。短くしてから保存してください。", order.MemoMaxRunes)
	}
	if _, err := h.deps.Store.SetOrderMemo(ctx, in.ID, in.Body.Version, memo, actor(ctx)); err != nil {
		return nil, err
	}
	d, err := h.orderDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: d}, nil
}
