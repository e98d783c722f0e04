package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
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
	ID       int64  `path:"id" minimum:"1" doc:"店舗ID"`
	PhaseID  int64  `query:"phase_id" minimum:"0" doc:"新しい注文を入れる処理フェーズ (省略すると店舗の先頭の処理フェーズ)"`
	DryRun   bool   `query:"dry_run" doc:"true: 何も登録せず、注文ごとに取り込むか (取込済みで取り込まないか) を行番号つきで返し、登録に使う upload_id を返す"`
	UploadID string `query:"upload_id" maxLength:"64" doc:"dry_run で返した upload_id のファイルを送り直さずに取り込む。本文は送りません"`
	Progress string `query:"progress" maxLength:"64" doc:"任意のキー: 確認・取込の途中で GET /upload-progress/{key} が確認済みの行数を返します"`
}

type csvOrdersOutput struct{ Body orderimport.Preview }

// maxPreviewRows bounds the orders a dry run lists; the counts cover the whole file.
const maxPreviewRows = 1000

// importCSVOrders imports a shop's orders from a CSV file with its saved column mapping, all or
// nothing; an order already stored is never imported twice. The file is read as it arrives; a
// dry run saves nothing and keeps the file for the import that confirms it (upload_id).
func (h *Handler) importCSVOrders(ctx context.Context, in *csvOrdersInput) (*csvOrdersOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	phase := in.PhaseID
	if phase == 0 {
		phases, err := h.deps.Store.ListPhases(ctx)
		if err != nil {
			return nil, err
		}
		if len(phases) == 0 {
			return nil, apperror.New(apperror.NotFound, "処理フェーズがありません。設定 > 処理フェーズで作成してください。")
		}
		phase = phases[0].ID
	}
	ctx = packing.WithProgress(ctx, packing.Checks.Start(actor(ctx), in.Progress))
	var out orderimport.Preview
	var err error
	switch {
	case in.DryRun && in.UploadID != "":
		err = apperror.New(apperror.Invalid, "dry_run と upload_id は一緒に指定できません。確認は dry_run=true でファイルを送り、取込は upload_id だけを指定してください。")
	case in.DryRun:
		if out, err = orderimport.PreviewImport(ctx, h.deps.Store, in.ID, phase, bodyOf(ctx), actor(ctx), h.now()); len(out.Rows) > maxPreviewRows {
			out.Rows = out.Rows[:maxPreviewRows]
		}
	case in.UploadID != "":
		out.Result, err = orderimport.ConfirmImport(ctx, h.deps.Store, in.ID, phase, in.UploadID, actor(ctx), h.now())
	default:
		out.Result, err = orderimport.Import(ctx, h.deps.Store, in.ID, phase, bodyOf(ctx), actor(ctx))
	}
	if err != nil {
		return nil, err
	}
	return &csvOrdersOutput{Body: out}, nil
}

type shipmentLayoutOutput struct{ Body orderimport.ShipmentLayout }

// getShipmentLayout returns the layout of a shop's shipment file.
func (h *Handler) getShipmentLayout(ctx context.Context, in *senderInput) (*shipmentLayoutOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	var l orderimport.ShipmentLayout
	saved, err := h.deps.Store.ShopSetting(ctx, in.ID, orderimport.ShipmentSettingName, &l)
	if err != nil {
		return nil, err
	}
	if !saved {
		return nil, apperror.New(apperror.NotFound, "この店舗には出荷データの列が登録されていません。")
	}
	return &shipmentLayoutOutput{Body: l}, nil
}

type setShipmentLayoutInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body orderimport.ShipmentLayout
}

// setShipmentLayout saves the layout of a shop's shipment file.
func (h *Handler) setShipmentLayout(ctx context.Context, in *setShipmentLayoutInput) (*shipmentLayoutOutput, error) {
	if err := in.Body.Check(); err != nil {
		return nil, err
	}
	if err := h.deps.Store.SetShopSetting(ctx, in.ID, orderimport.ShipmentSettingName, in.Body, actor(ctx)); err != nil {
		return nil, err
	}
	return &shipmentLayoutOutput{Body: in.Body}, nil
}

type shipmentsFileInput struct {
	ID      int64   `path:"id" minimum:"1" doc:"店舗ID"`
	IDs     []int64 `query:"ids" maxItems:"100000" doc:"この注文IDの注文の出荷データ。省略すると phase_id の注文"`
	PhaseID int64   `query:"phase_id" minimum:"0" doc:"この処理フェーズにある店舗の注文の出荷データ"`
}

// exportShipments writes a shop's shipment file (the CSV the shop uploads to its mall) in the
// layout it saved: one row per parcel with a tracking number.
func (h *Handler) exportShipments(ctx context.Context, in *shipmentsFileInput) (*huma.StreamResponse, error) {
	ids := in.IDs
	if len(ids) == 0 {
		if in.PhaseID == 0 {
			return nil, apperror.New(apperror.Invalid, "ids か phase_id で注文を指定してください。")
		}
		var err error
		if ids, err = orderops.FindAll(ctx, h.deps.Store, store.OrderQuery{ShopID: in.ID, PhaseID: in.PhaseID, Ascending: true}); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	rows, err := orderimport.WriteShipments(ctx, h.deps.Store, in.ID, ids, &buf)
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "text/csv")
		hc.SetHeader("Content-Disposition", `attachment; filename="shipments.csv"`)
		hc.SetHeader("X-Ichigen-Rows", strconv.Itoa(rows))
		hc.SetStatus(http.StatusOK)
		_, _ = hc.BodyWriter().Write(buf.Bytes())
	}}, nil
}

type uploadProgressInput struct {
	Key string `path:"key" maxLength:"64" doc:"ファイルを送るときに progress に指定したキー"`
}

type uploadProgressOutput struct{ Body packing.Snapshot }

// uploadProgress is how far the server has read and checked the caller's upload named by key
// (the progress query of the upload): rows checked, bytes read, and whether it is done. Kept 10
// minutes after its last change.
func (h *Handler) uploadProgress(ctx context.Context, in *uploadProgressInput) (*uploadProgressOutput, error) {
	snap, ok := packing.Checks.Get(actor(ctx), in.Key)
	if !ok {
		return nil, apperror.New(apperror.NotFound, "このキーで確認中のファイルはありません(まだ届いていないか、終わってから10分を過ぎました)。")
	}
	return &uploadProgressOutput{Body: snap}, nil
}
