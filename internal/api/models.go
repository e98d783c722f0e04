package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Amount is an amount in integer yen that may be not yet fixed (未確定), as Rakuten's postage of
// -9999 until the shop sets it.
type Amount struct {
	Yen   *int64 `json:"yen" doc:"円 (整数)。未確定のあいだは null"`
	Fixed bool   `json:"fixed" doc:"false のとき未確定"`
	Text  string `json:"text" example:"¥1,234" doc:"画面の表記: ¥1,234 または 未確定"`
}

func amountOf(y order.Yen) Amount {
	return Amount{Yen: y.Int64Ptr(), Fixed: y.Fixed(), Text: y.String()}
}

// Choice is a code with its Japanese label.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// timePtr is nil for the zero time, which the API leaves out.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// catalog is what answers name things from: the shops and their phases.
type catalog struct {
	shops []shop.Shop
	shop  map[int64]shop.Shop
	phase map[int64]workflow.Phase
	// phaseList are the phases in order; they are every shop's.
	phaseList []workflow.Phase
}

func (h *Handler) loadCatalog(ctx context.Context) (*catalog, error) {
	shops, err := h.deps.Store.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	c := &catalog{shops: shops, shop: map[int64]shop.Shop{}, phase: map[int64]workflow.Phase{}}
	for _, s := range shops {
		c.shop[s.ID] = s
	}
	if c.phaseList, err = h.deps.Store.ListPhases(ctx); err != nil {
		return nil, err
	}
	for _, p := range c.phaseList {
		c.phase[p.ID] = p
	}
	return c, nil
}
