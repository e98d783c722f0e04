package api

import "context"

type setPhaseExpectedInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"処理フェーズID"`
	Body struct {
		Hours int64 `json:"hours" minimum:"0" maximum:"2160" doc:"想定滞留時間(時間)。これより長く留まる注文を要対応が店舗ごとに数える。0は制限なし"`
	}
}

// setPhaseExpected sets how long an order should stay in a phase (0: no limit); 要対応 counts
// each shop's orders held in it longer.
func (h *Handler) setPhaseExpected(ctx context.Context, in *setPhaseExpectedInput) (*phaseOutput, error) {
	if err := h.deps.Store.SetPhaseExpectedHours(ctx, in.ID, in.Body.Hours); err != nil {
		return nil, err
	}
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return &phaseOutput{Body: Phase(c.phase[in.ID])}, nil
}
