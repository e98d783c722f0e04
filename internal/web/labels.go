package web

import (
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/packing"
)

// labelsPagePath is the 送り状データ page the order list's label links open: what the file
// holds — its rows, the orders left out and every warning (a 品名 cut to the layout's width, a
// time slot the carrier does not offer, a cancelled order, a COD amount not yet fixed) — with the
// download of the file itself (/orders/labels.csv with the same query). Before it, the warnings
// reached the operator only as response headers of the download.
const labelsPagePath = "/orders/labels"

// labelsView is the 送り状データ page.
type labelsView struct {
	Layout       packing.Layout
	Rows         int
	Skipped      int
	WarningCount int
	Warnings     []packing.Warning
	Download     string // the file's address
	Error        string
}

// labelsPage builds the file the query asks for and shows what it holds and what was cut or
// left out; the file is dropped, the download builds it again.
func (h *Handler) labelsPage(w http.ResponseWriter, r *http.Request) {
	v := labelsView{Download: "/orders/labels.csv?" + r.URL.RawQuery}
	file, layout, err := h.labelFile(r)
	v.Layout = layout
	if err != nil {
		status := statusOf(err)
		if status == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		v.Error, v.Download = apperror.MessageOf(err), ""
		h.render(w, r, status, labelsPageView(v))
		return
	}
	_ = file.Close()
	v.Rows, v.Skipped, v.WarningCount, v.Warnings = file.Rows, file.Skipped, file.WarningCount, file.Warnings
	h.render(w, r, http.StatusOK, labelsPageView(v))
}
