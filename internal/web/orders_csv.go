package web

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// csvHeader is the first line of the order CSV.
var csvHeader = []string{"注文ID", "注文番号", "店舗", "注文日時", "購入者", "購入者カナ", "郵便番号", "住所", "電話番号",
	"商品合計", "送料", "合計金額", "請求金額", "支払方法", "処理フェーズ", "連携ステータス", "連携メッセージ", "モールステータス", "入金状況", "管理区分"}

// exportCSV writes the orders the filter finds, or those named by ids=1,2,3, as CSV: UTF-8
// with a byte order mark (Excel reads it), or Shift_JIS with enc=sjis. A character Shift_JIS
// lacks becomes "?".
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	f := readFilter(r.URL.Query())
	q, err := f.query()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var ids []int64
	if raw := r.URL.Query().Get("ids"); raw != "" {
		for _, s := range strings.Split(raw, ",") {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				h.fail(w, r, apperror.New(apperror.Invalid, "注文の指定「%s」が読めません。一覧で選び直してから出力してください。", s))
				return
			}
			ids = append(ids, id)
		}
		if len(ids) > maxSelected {
			h.fail(w, r, apperror.New(apperror.Invalid, "選んで出力できる注文は%d件までです。検索結果すべてを出力してください。", maxSelected))
			return
		}
	}
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sjis := r.URL.Query().Get("enc") == "sjis"
	charset := "utf-8"
	if sjis {
		charset = "shift_jis"
	}
	w.Header().Set("Content-Type", "text/csv; charset="+charset)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="orders-%s.csv"`, h.deps.Now().In(order.JST).Format("20060102-150405")))
	w.Header().Set("Cache-Control", "no-store")
	var out io.Writer = w
	if sjis {
		ew := encoding.ReplaceUnsupported(japanese.ShiftJIS.NewEncoder()).Writer(w)
		out = ew
	} else {
		_, _ = io.WriteString(w, "\uFEFF")
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	_ = cw.Write(csvHeader)
	write := func(o order.Order) {
		_ = cw.Write([]string{i64toa(o.ID), o.Number, cat.shopName(o.ShopID), when(o.OrderedAt), o.Buyer.Name, o.Buyer.Kana, o.Buyer.Zip,
			o.Buyer.Address, o.Buyer.Phone, yenCell(o.Amounts.Goods), yenCell(o.Amounts.Postage), yenCell(o.Amounts.Total),
			yenCell(o.Amounts.Requested), o.PaymentMethod, cat.phaseName(o.PhaseID), linkLabel(o.LinkStatus), o.LinkMessage,
			o.MarketplaceStatus.Label(), o.PaymentStatus.Label(), o.ManagementClass.Label()})
	}
	if ids != nil {
		for _, id := range ids {
			o, err := h.deps.Store.GetOrder(r.Context(), id)
			if apperror.Is(err, apperror.NotFound) {
				continue
			}
			if err != nil {
				h.deps.Logger.Error("csv export", "error", err)
				break
			}
			write(o)
		}
	} else {
		q.PageSize = store.MaxPageSize
		for q.Page = 1; ; q.Page++ {
			page, err := h.deps.Store.SearchOrders(r.Context(), q)
			if err != nil {
				// The header is out: the truncated file is all that can be said.
				h.deps.Logger.Error("csv export", "error", err)
				break
			}
			for _, o := range page.Orders {
				write(o)
			}
			// Counts stop at store.CountCap; a full page says more may follow.
			if len(page.Orders) < q.PageSize || q.Page*q.PageSize >= maxBulk {
				break
			}
		}
	}
	cw.Flush()
}

// yenCell is an amount as a spreadsheet reads it: digits, or 未確定.
func yenCell(y order.Yen) string {
	if v, ok := y.Value(); ok {
		return strconv.FormatInt(v, 10)
	}
	return "未確定"
}
