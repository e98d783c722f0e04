package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

type labelsInput struct {
	OrderFilter
	IDs      []int64 `query:"ids" maxItems:"100000" doc:"この注文IDの注文だけを出力 (カンマ区切り)。検索条件より優先"`
	Layout   string  `query:"layout" required:"true" enum:"yamato-b2,sagawa-ehiden3,japanpost-yupri" doc:"yamato-b2: B2クラウド 外部データから発行、sagawa-ehiden3: e飛伝Ⅲ 標準CSV、japanpost-yupri: ゆうプリR (ichigen の取込フィルタ)"`
	ShipDate string  `query:"ship_date" doc:"出荷予定日 2026-11-24。省略すると今日"`
}

// exportLabels writes the carrier label file of a search or of the orders named by ids: CP932,
// one row per package, bundles once under the parent, ご依頼主 from each shop's 出荷設定. What was
// cut or left out is counted in X-Ichigen-Warnings and X-Ichigen-Skipped, and the first warnings
// are in X-Ichigen-Warning (one header each).
func (h *Handler) exportLabels(ctx context.Context, in *labelsInput) (*huma.StreamResponse, error) {
	layout, err := packing.ParseLayout(in.Layout)
	if err != nil {
		return nil, err
	}
	ids := in.IDs
	if len(ids) == 0 {
		q, err := in.query()
		if err != nil {
			return nil, err
		}
		if ids, err = orderops.FindAll(ctx, h.deps.Store, q); err != nil {
			return nil, err
		}
	}
	file, err := packing.WriteLabels(ctx, h.deps.Store, ids, packing.LabelOptions{Layout: layout, ShipDate: in.ShipDate, Now: h.now()})
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", file.ContentType)
		hc.SetHeader("Content-Length", strconv.FormatInt(file.Size, 10))
		hc.SetHeader("Content-Disposition", `attachment; filename="`+file.Name+`"`)
		hc.SetHeader("X-Ichigen-Rows", strconv.Itoa(file.Rows))
		hc.SetHeader("X-Ichigen-Skipped", strconv.Itoa(file.Skipped))
		hc.SetHeader("X-Ichigen-Warnings", strconv.Itoa(file.WarningCount))
		for i, w := range file.Warnings {
			if i == 20 {
				break
			}
			hc.AppendHeader("X-Ichigen-Warning", strconv.QuoteToASCII(w.Number+": "+w.Message))
		}
		hc.SetStatus(http.StatusOK)
		_, _ = file.WriteTo(hc.BodyWriter())
	}}, nil
}

// maxTrackingBody bounds a file sent to the API (a tracking file, an order file): 100,000
// rows of B2's 95 columns. The file is read as it arrives and spooled to disk, never held.
const maxTrackingBody = packing.MaxSpoolBytes

type trackingInput struct {
	Carrier       string `query:"carrier" doc:"配送会社コード (1001 ヤマト運輸、1002 佐川急便、1003 日本郵便 …)。B2・e飛伝Ⅲのファイルでは省略可"`
	ShipDate      string `query:"ship_date" doc:"発送日の列がない行の発送日 2026-11-24。省略すると今日"`
	ShopID        int64  `query:"shop_id" minimum:"0" doc:"注文番号で照合するときの店舗 (省略するとすべての店舗から探し、2店舗で見つかれば照合しません)"`
	MoveToPhaseID int64  `query:"move_to_phase_id" minimum:"0" doc:"登録した注文をこの処理フェーズへ移動 (移動先の自動処理を同じトランザクションで登録)"`
	Confirm       bool   `query:"confirm" doc:"false (既定): 照合結果のレポートと upload_id を返し、何も登録しない。true: 登録できる行をすべて1つのトランザクションで登録"`
	UploadID      string `query:"upload_id" maxLength:"64" doc:"confirm=true で、確認 (confirm=false) で返した upload_id のファイルを送り直さずに登録。本文は送りません。確認のあとで照合結果が変わっていれば 409 で何も登録しません"`
}

// TrackingResult is the report of a tracking file, and with confirm what was saved.
type TrackingResult struct {
	Format   string              `json:"format" doc:"読み取ったファイルの形式と文字コード"`
	Carrier  string              `json:"carrier" doc:"配送会社コード"`
	Counts   map[string]int      `json:"counts" doc:"照合結果ごとの行数 (matched, unchanged, unknown_order, invalid_number, already_shipped, not_shippable)"`
	Rows     []packing.RowResult `json:"rows" doc:"登録できない行 (最大1,000行。行番号と理由つき)"`
	UploadID string              `json:"upload_id,omitempty" doc:"確認 (confirm=false) のとき、登録するときに upload_id として渡すID (1時間有効)"`
	Applied  *packing.Applied    `json:"applied,omitempty" doc:"confirm のとき、登録した注文と行の数と移動した注文"`
}

type trackingOutput struct{ Body TrackingResult }

// importTracking matches a tracking file's rows to orders and reports each; with confirm it
// saves the valid ones, all or nothing, and moves their orders when a phase is named. The file
// is read as it arrives; a dry run keeps it (upload_id) so the confirmation need not send it
// again. A broken file (encoding, a missing column, a bad date) is refused with its line numbers.
func (h *Handler) importTracking(ctx context.Context, in *trackingInput) (*trackingOutput, error) {
	opts := packing.TrackingOptions{Carrier: in.Carrier, ShipDate: in.ShipDate, ShopID: in.ShopID, Now: h.now()}
	var (
		rep     *packing.TrackingReport
		applied *packing.Applied
		upload  string
		err     error
	)
	switch {
	case in.UploadID != "":
		if !in.Confirm {
			return nil, apperror.New(apperror.Invalid, "upload_id は confirm=true と一緒に指定してください。確認だけなら、ファイルを本文にして送ってください。")
		}
		var a packing.Applied
		rep, a, err = packing.ConfirmTracking(ctx, h.deps.Store, h.deps.Queue, in.UploadID, opts, in.MoveToPhaseID, actor(ctx))
		if errors.Is(err, packing.ErrReportChanged) {
			err = apperror.New(apperror.Conflict, "確認のあとで注文が変わったため何も登録していません。confirm=false でもう一度確認してから登録してください。")
		}
		applied = &a
	case in.Confirm:
		if rep, err = packing.CheckTracking(ctx, h.deps.Store, bodyOf(ctx), opts); err == nil {
			var a packing.Applied
			a, err = packing.ApplyTracking(ctx, h.deps.Store, h.deps.Queue, rep, in.MoveToPhaseID, actor(ctx))
			applied = &a
		}
	default:
		rep, upload, err = packing.CheckTrackingUpload(ctx, h.deps.Store, bodyOf(ctx), opts, actor(ctx))
	}
	if err != nil {
		return nil, err
	}
	out := &trackingOutput{Body: TrackingResult{Format: rep.Format, Carrier: rep.Carrier, Counts: map[string]int{}, Rows: []packing.RowResult{}, UploadID: upload, Applied: applied}}
	for _, o := range packing.Outcomes {
		out.Body.Counts[string(o)] = rep.Counts[o]
	}
	for _, r := range rep.Rows {
		if r.Outcome != packing.Matched && len(out.Body.Rows) < 1000 {
			out.Body.Rows = append(out.Body.Rows, r)
		}
	}
	return out, nil
}

type senderInput struct {
	ID int64 `path:"id" minimum:"1" doc:"店舗ID"`
}

type senderOutput struct{ Body shop.Sender }

// getSender returns a shop's ご依頼主 (出荷設定).
func (h *Handler) getSender(ctx context.Context, in *senderInput) (*senderOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	s, err := h.deps.Store.ShopSender(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &senderOutput{Body: s}, nil
}

type setSenderInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body shop.Sender
}

// setSender saves a shop's ご依頼主 for its carrier labels.
func (h *Handler) setSender(ctx context.Context, in *setSenderInput) (*senderOutput, error) {
	if in.Body.Name == "" {
		return nil, apperror.New(apperror.Invalid, "ご依頼主名を入力してください。")
	}
	if err := h.deps.Store.SetShopSender(ctx, in.ID, in.Body, actor(ctx)); err != nil {
		return nil, err
	}
	return h.getSender(ctx, &senderInput{ID: in.ID})
}

// withMaxBody makes an operation one that takes a file as its body: huma's cap raised to limit,
// and the body handed to the handler as it arrives (bodyOf) instead of read whole into memory,
// so a 50,000-row file costs its parsed rows, not its bytes. The input declares no body; the
// body's media type is documented here.
func withMaxBody(limit int64, reg func(huma.API, huma.Operation)) func(huma.API, huma.Operation) {
	return func(api huma.API, op huma.Operation) {
		op.MaxBodyBytes = limit
		op.RequestBody = &huma.RequestBody{
			Description: "CSVファイル (UTF-8 か Shift_JIS)。届いた順に読み、メモリに丸ごと保持しません",
			Content:     map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: huma.TypeString}}},
		}
		op.Middlewares = append(op.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
			next(huma.WithValue(ctx, bodyKey{}, ctx.BodyReader()))
		})
		reg(api, op)
	}
}

type bodyKey struct{}

// bodyOf is the request body of an operation registered withMaxBody; empty elsewhere.
func bodyOf(ctx context.Context) io.Reader {
	if r, ok := ctx.Value(bodyKey{}).(io.Reader); ok && r != nil {
		return r
	}
	return http.NoBody
}

// labelsResponse documents the label file answer.
func labelsResponse(reg func(huma.API, huma.Operation)) func(huma.API, huma.Operation) {
	return func(api huma.API, op huma.Operation) {
		op.Responses = map[string]*huma.Response{"200": {
			Description: "送り状データのCSV (Shift_JIS, CRLF, 1行目は見出し)。1行は注文の送付先1件",
			Headers: map[string]*huma.Param{
				"X-Ichigen-Rows":     {Description: "出力した行数", Schema: &huma.Schema{Type: huma.TypeInteger}},
				"X-Ichigen-Skipped":  {Description: "出力しなかった注文の数 (キャンセル・代引金額未確定など)", Schema: &huma.Schema{Type: huma.TypeInteger}},
				"X-Ichigen-Warnings": {Description: "警告の数 (品名の切り詰め、指定できない時間帯など)", Schema: &huma.Schema{Type: huma.TypeInteger}},
			},
			Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: huma.TypeString}}},
		}}
		reg(api, op)
	}
}
