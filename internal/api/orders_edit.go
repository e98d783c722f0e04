package api

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
)

// EditShipTo is a package's new recipient in a change of an order.
type EditShipTo struct {
	PackageKey string `json:"package_key,omitempty" maxLength:"40" doc:"送付先のキー (楽天の basketId。get-order の packages[].key)。空欄は最初の送付先"`
	FamilyName string `json:"family_name" minLength:"1" maxLength:"50" example:"楽天"`
	FirstName  string `json:"first_name,omitempty" maxLength:"50" example:"花子"`
	Zip        string `json:"zip" minLength:"1" maxLength:"10" example:"140-0002"`
	Prefecture string `json:"prefecture" minLength:"1" maxLength:"10" example:"東京都"`
	City       string `json:"city" minLength:"1" maxLength:"100" example:"品川区"`
	Street     string `json:"street" minLength:"1" maxLength:"200" example:"東品川4-12-3"`
	Phone      string `json:"phone" minLength:"1" maxLength:"20" example:"03-1234-5678"`
}

// EditLine sets one line's quantity and unit price.
type EditLine struct {
	Line      int   `json:"line" minimum:"0" maximum:"999" doc:"商品の行番号 (get-order の lines の 0 から数えた位置)"`
	Quantity  int64 `json:"quantity" minimum:"1" maximum:"9999"`
	UnitPrice int64 `json:"unit_price" minimum:"0" maximum:"10000000" doc:"税込単価 (円)"`
}

type editOrderInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"注文ID"`
	Body struct {
		DryRun     bool        `json:"dry_run,omitempty" doc:"true: 何も送らず、送る変更を変更前→変更後で返す"`
		ShipTo     *EditShipTo `json:"ship_to,omitempty" doc:"送付先"`
		Postage    *int64      `json:"postage,omitempty" minimum:"0" maximum:"10000000" doc:"送料 (円)"`
		PaymentFee *int64      `json:"payment_fee,omitempty" minimum:"0" maximum:"10000000" doc:"決済手数料 (円。楽天は代金引換の代引料だけ)"`
		Lines      []EditLine  `json:"lines,omitempty" maxItems:"200" doc:"数量・単価を変える商品"`
	}
}

// EditResult is what a change of an order will send or has queued.
type EditResult struct {
	Message string   `json:"message"`
	Changes []string `json:"changes" doc:"送る変更 (変更前 → 変更後)"`
	DryRun  bool     `json:"dry_run,omitempty"`
}

type editOrderOutput struct{ Body EditResult }

// editOrder changes an order's contents at its marketplace (注文内容修正: RMS updateOrderSender;
// the own cart with webコレクト A07 while 仮売上) through a job, one per order; a marketplace or
// state that does not take the change is refused with why (au PAY: with where to change it).
func (h *Handler) editOrder(ctx context.Context, in *editOrderInput) (*editOrderOutput, error) {
	ch := order.Change{Postage: in.Body.Postage, PaymentFee: in.Body.PaymentFee}
	if s := in.Body.ShipTo; s != nil {
		ch.ShipTo = &order.ShipTo{PackageKey: s.PackageKey, FamilyName: s.FamilyName, FirstName: s.FirstName, Zip: s.Zip,
			Prefecture: s.Prefecture, City: s.City, Street: s.Street, Phone: s.Phone}
	}
	for _, l := range in.Body.Lines {
		ch.Lines = append(ch.Lines, order.LineChange{Line: l.Line, Quantity: l.Quantity, UnitPrice: l.UnitPrice})
	}
	_, changes, err := orderops.PreviewEdit(ctx, h.deps.Store, in.ID, ch)
	if err != nil {
		return nil, err
	}
	if in.Body.DryRun {
		return &editOrderOutput{Body: EditResult{Message: "この変更をモールに送ります。dry_run を外して送り直すと実行します。", Changes: changes, DryRun: true}}, nil
	}
	if _, err := orderops.EditOne(ctx, h.deps.Store, h.deps.Queue, in.ID, ch, actor(ctx)); err != nil {
		return nil, err
	}
	return &editOrderOutput{Body: EditResult{Message: "注文内容の変更を受け付けました。数秒でモールに反映し、結果を注文の履歴に残します。", Changes: changes}}, nil
}
