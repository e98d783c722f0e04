package api

import (
	"bytes"
	"context"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
)

type csvMappingOutput struct{ Body orderimport.Mapping }

// getCSVMapping returns a shop's CSV column mapping (orderimport.Mapping).
func (h *Handler) getCSVMapping(ctx context.Context, in *senderInput) (*csvMappingOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	var m orderimport.Mapping
	saved, err := h.deps.Store.ShopSetting(ctx, in.ID, orderimport.SettingName, &m)
	if err != nil {
		return nil, err
	}
	if !saved {
		return nil, apperror.New(apperror.NotFound, "この店舗にはCSVの列の対応が登録されていません。")
	}
	return &csvMappingOutput{Body: m}, nil
}

type setCSVMappingInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body orderimport.Mapping
}

// setCSVMapping saves a shop's CSV column mapping.
func (h *Handler) setCSVMapping(ctx context.Context, in *setCSVMappingInput) (*csvMappingOutput, error) {
	if err := in.Body.Check(); err != nil {
		return nil, err
	}
	if err := h.deps.Store.SetShopSetting(ctx, in.ID, orderimport.SettingName, in.Body, actor(ctx)); err != nil {
		return nil, err
	}
	return &csvMappingOutput{Body: in.Body}, nil
}

type csvOrdersInput struct {
	ID      int64  `path:"id" minimum:"1" doc:"店舗ID"`
	PhaseID int64  `query:"phase_id" minimum:"0" doc:"新しい注文を入れる処理フェーズ (省略すると店舗の先頭の処理フェーズ)"`
	RawBody []byte `contentType:"text/csv" doc:"注文のCSV (1行目は見出し、1行が商品1つ、同じ注文番号の行は1つの注文)。UTF-8 か Shift_JIS"`
}

type csvOrdersOutput struct{ Body orderimport.Result }

// importCSVOrders imports a shop's orders from a CSV file with its saved column mapping, all or
// nothing; an order already stored is never imported twice.
func (h *Handler) importCSVOrders(ctx context.Context, in *csvOrdersInput) (*csvOrdersOutput, error) {
	phase := in.PhaseID
	if phase == 0 {
		phases, err := h.deps.Store.ListPhases(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if len(phases) == 0 {
			return nil, apperror.New(apperror.NotFound, "店舗が見つかりません。")
		}
		phase = phases[0].ID
	}
	res, err := orderimport.Import(ctx, h.deps.Store, in.ID, phase, bytes.NewReader(in.RawBody), actor(ctx))
	if err != nil {
		return nil, err
	}
	return &csvOrdersOutput{Body: res}, nil
}
