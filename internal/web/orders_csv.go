package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/ordercsv"
)

// exportCSV sends the orders the filter finds, or those named by ids=1,2,3, as the CSV of
// package ordercsv: UTF-8 with a byte order mark, or Shift_JIS with enc=sjis.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	f := readFilter(r.URL.Query())
	if err := checkParams(r.URL.Query(), "ids", "enc", "lines", "shipto", "shipments"); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := f.query()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sel := ordercsv.Selection{Query: q, Columns: ordercsv.Columns{Lines: r.URL.Query().Get("lines") == "1",
		ShipTo: r.URL.Query().Get("shipto") == "1", Shipments: r.URL.Query().Get("shipments") == "1"}}
	if raw := r.URL.Query().Get("ids"); raw != "" {
		for _, s := range strings.Split(raw, ",") {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				h.fail(w, r, apperror.New(apperror.Invalid, "注文の指定「%s」が読めません。一覧で選び直してから出力してください。", s))
				return
			}
			sel.IDs = append(sel.IDs, id)
		}
		if len(sel.IDs) > maxSelected {
			h.fail(w, r, apperror.New(apperror.Invalid, "選んで出力できる注文は%d件までです。検索結果すべてを出力してください。", maxSelected))
			return
		}
	}
	enc, err := ordercsv.ParseEncoding(r.URL.Query().Get("enc"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	file, err := ordercsv.Write(r.Context(), h.deps.Store, sel, enc, h.deps.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", file.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(file.Size, 10))
	w.Header().Set("Content-Disposition", `attachment; filename="`+file.Name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = file.WriteTo(w)
}
