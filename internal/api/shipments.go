package api

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// ShipmentInput is one parcel as the client sends it.
type ShipmentInput struct {
	PackageKey     string `json:"package_key,omitempty" doc:"送付先のキー (注文の packages[].key)。注文にない送付先は 422。送付先が1つの注文では省略できます"`
	ShipDate       string `json:"ship_date" doc:"発送日 (日本時間) 2026-11-01。注文日の前日から、今日の7日後まで"`
	Carrier        string `json:"carrier" doc:"配送会社コード (1001 ヤマト運輸、1002 佐川急便、1003 日本郵便 など)"`
	TrackingNumber string `json:"tracking_number" doc:"配送番号。全角数字やハイフンは半角に直し、配送会社ごとに桁数とチェックデジットを確かめます"`
	MarketplaceRef string `json:"marketplace_ref,omitempty" doc:"モール側の発送ID。取得した値をそのまま送り返す"`
}

type updateShipmentsInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		Version   int64           `json:"version" minimum:"1" doc:"読んだときの注文の version。他の操作で更新されていれば 409"`
		Shipments []ShipmentInput `json:"shipments" maxItems:"100" doc:"注文の出荷情報すべて (置き換え)"`
	}
}

// updateShipments replaces the order's shipments. Every parcel needs one of the order's
// packages, a ship date from the day before the order to a week ahead, a carrier and a
// tracking number that passes the carrier's check (channel.CheckShipmentFor); a wrong one is
// refused with the check's message, never saved. A stale version is a conflict.
func (h *Handler) updateShipments(ctx context.Context, in *updateShipmentsInput) (*orderOutput, error) {
	o, err := h.deps.Store.GetOrder(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	shipments, err := checkShipments(o, in.Body.Shipments, h.now())
	if err != nil {
		return nil, err
	}
	if err := h.deps.Store.UpdateShipments(ctx, in.ID, in.Body.Version, shipments, actor(ctx)); err != nil {
		return nil, err
	}
	return h.getOrder(ctx, &orderInput{ID: in.ID})
}

// checkShipments checks and normalises the parcels as the order page does, and refuses them
// all with every parcel's message (and where it is) when one is wrong.
func checkShipments(o order.Order, rows []ShipmentInput, now time.Time) ([]order.Shipment, error) {
	var details []error
	var msgs []string
	out := make([]order.Shipment, 0, len(rows))
	refuse := func(i int, field, value, msg string) {
		details = append(details, &huma.ErrorDetail{Message: msg, Location: fmt.Sprintf("body.shipments[%d].%s", i, field), Value: value})
		msgs = append(msgs, fmt.Sprintf("%d件目: %s", i+1, msg))
	}
	for i, r := range rows {
		s, problems := channel.CheckShipmentFor(o, order.Shipment{PackageKey: r.PackageKey, ShipDate: r.ShipDate, Carrier: r.Carrier,
			TrackingNumber: r.TrackingNumber, MarketplaceRef: r.MarketplaceRef}, now)
		for _, p := range problems {
			value := map[string]string{"package_key": r.PackageKey, "ship_date": r.ShipDate, "carrier": r.Carrier, "tracking_number": r.TrackingNumber}[p.Field]
			refuse(i, p.Field, value, p.Message)
		}
		if len(problems) == 0 {
			out = append(out, s)
		}
	}
	if len(details) > 0 {
		return nil, huma.NewError(422, "出荷情報を保存できませんでした。"+strings.Join(msgs, " "), details...)
	}
	return out, nil
}
