package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/ordercsv"
)

type exportOrdersInput struct {
	OrderFilter
	IDs       []int64 `query:"ids" maxItems:"100000" doc:"この注文IDの注文だけを、この順で出力 (カンマ区切り)。検索条件より優先"`
	Sort      string  `query:"sort" default:"ordered_at" enum:"ordered_at,number,buyer,total,phase,link_status,marketplace_status,updated_at" doc:"並べ替える列"`
	Order     string  `query:"order" default:"desc" enum:"asc,desc"`
	Encoding  string  `query:"enc" default:"utf8" enum:"utf8,sjis" doc:"utf8: BOMつきUTF-8 (Excelで開ける)、sjis: Shift_JIS (Shift_JISにない文字は ?)"`
	Lines     bool    `query:"lines" doc:"商品の列を加え、商品1つを1行に出力"`
	ShipTo    bool    `query:"shipto" doc:"お届け先の列を加える (商品の列がなければ、お届け先1つを1行に出力)"`
	Shipments bool    `query:"shipments" doc:"発送日・配送会社・配送番号の列を加える"`
}

// exportOrders writes the orders of a search, or those named by ids, as the same CSV file the
// order list's 「CSV出力」 gives, at most ordercsv.MaxRows orders. The file is complete before
// its first byte is sent: an error is a problem document, never a truncated file.
func (h *Handler) exportOrders(ctx context.Context, in *exportOrdersInput) (*huma.StreamResponse, error) {
	q, err := in.query()
	if err != nil {
		return nil, err
	}
	q.Sort, q.Ascending = sortColumns[in.Sort], in.Order == "asc"
	sel := ordercsv.Selection{Query: q, Columns: ordercsv.Columns{Lines: in.Lines, ShipTo: in.ShipTo, Shipments: in.Shipments}}
	for _, id := range in.IDs {
		if id <= 0 {
			return nil, apperror.New(apperror.Invalid, "注文ID「%d」は正しくありません。", id)
		}
	}
	if len(in.IDs) > 0 {
		sel.IDs = in.IDs
	}
	enc, err := ordercsv.ParseEncoding(in.Encoding)
	if err != nil {
		return nil, err
	}
	file, err := ordercsv.Write(ctx, h.deps.Store, sel, enc, h.deps.Now())
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", file.ContentType)
		hc.SetHeader("Content-Length", strconv.FormatInt(file.Size, 10))
		hc.SetHeader("Content-Disposition", `attachment; filename="`+file.Name+`"`)
		hc.SetHeader("X-Ichigen-Rows", strconv.Itoa(file.Rows))
		hc.SetStatus(http.StatusOK)
		_, _ = file.WriteTo(hc.BodyWriter())
	}}, nil
}

// csvResponse documents an operation's answer as a CSV file.
func csvResponse(reg func(huma.API, huma.Operation)) func(huma.API, huma.Operation) {
	return func(api huma.API, op huma.Operation) {
		op.Responses = map[string]*huma.Response{"200": {
			Description: "注文のCSV (1行目は見出し)。件数は X-Ichigen-Rows ヘッダー",
			Headers: map[string]*huma.Param{
				"X-Ichigen-Rows": {Description: "出力した注文の件数", Schema: &huma.Schema{Type: huma.TypeInteger}},
			},
			Content: map[string]*huma.MediaType{
				"text/csv": {Schema: &huma.Schema{Type: huma.TypeString}},
			},
		}}
		reg(api, op)
	}
}
