package web

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
)

// trackingPath is the 配送番号取込 page: a carrier program's issued-slip file (or a two-column
// CSV) in, a report per row, and the valid rows saved when the operator confirms.
const trackingPath = "/orders/tracking"

// trackingBodyMax bounds a tracking upload: 100,000 parcels in B2's 95 columns. The file is
// read as it arrives and spooled to disk (packing.Uploads), never held in memory.
const trackingBodyMax = packing.MaxSpoolBytes

// exportLabels sends the carrier label file (layout=yamato-b2|sagawa-ehiden3|japanpost-yupri) of
// the orders the filter finds or of ids=1,2,3. What was cut or left out is counted in the
// X-Ichigen-Warnings and X-Ichigen-Skipped headers.
func (h *Handler) exportLabels(w http.ResponseWriter, r *http.Request) {
	file, _, err := h.labelFile(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", file.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(file.Size, 10))
	w.Header().Set("Content-Disposition", `attachment; filename="`+file.Name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Ichigen-Rows", strconv.Itoa(file.Rows))
	w.Header().Set("X-Ichigen-Skipped", strconv.Itoa(file.Skipped))
	w.Header().Set("X-Ichigen-Warnings", strconv.Itoa(file.WarningCount))
	_, _ = file.WriteTo(w)
}

// labelFile writes the label file a request asks for (layout, and ids or the order filters).
func (h *Handler) labelFile(r *http.Request) (*packing.LabelFile, packing.Layout, error) {
	qv := r.URL.Query()
	if err := checkParams(qv, "ids", "enc", "layout", "ship_date"); err != nil {
		return nil, "", err
	}
	layout, err := packing.ParseLayout(qv.Get("layout"))
	if err != nil {
		return nil, "", err
	}
	var ids []int64
	if raw := qv.Get("ids"); raw != "" {
		for _, s := range strings.Split(raw, ",") {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return nil, layout, apperror.New(apperror.Invalid, "注文の指定「%s」が読めません。一覧で選び直してから出力してください。", s)
			}
			ids = append(ids, id)
		}
	} else {
		q, err := readFilter(qv).query()
		if err == nil {
			ids, err = h.deps.Store.OrderIDs(r.Context(), q, packingMax+1)
		}
		if err == nil && len(ids) > packingMax {
			err = apperror.New(apperror.Invalid, "検索結果が%d件を超えるため送り状データを出力できません。条件で絞り込んでから出力してください。", packingMax)
		}
		if err != nil {
			return nil, layout, err
		}
	}
	file, err := packing.WriteLabels(r.Context(), h.deps.Store, ids, packing.LabelOptions{Layout: layout, ShipDate: qv.Get("ship_date"), Now: h.deps.Now()})
	return file, layout, err
}

// packingMax bounds a label file of a whole search.
const packingMax = 100_000

// trackingView is the 配送番号取込 page: the form, and after an upload its report.
type trackingView struct {
	Carriers []channel.Carrier
	Phases   []phaseChoice
	Form     trackingForm
	Report   *packing.TrackingReport
	// Problems are the rows that will not be saved, at most 500 of them.
	Problems []packing.RowResult
	// Upload names the spooled file the confirmation saves (packing.Uploads).
	Upload  string
	Applied *packing.Applied
	Error   string
	// ProgressKey names this page's upload on the server's row counter.
	ProgressKey string
}

// phaseChoice is a phase offered as the destination, named with its shop.
type phaseChoice struct {
	ID    int64
	Label string
}

type trackingForm struct {
	Carrier  string
	ShipDate string
	PhaseID  string
}

func (h *Handler) trackingChoices(ctx context.Context) ([]phaseChoice, error) {
	phases, err := h.deps.Store.ListPhases(ctx) // the company's, every shop's (seed 000)
	if err != nil {
		return nil, err
	}
	out := make([]phaseChoice, 0, len(phases))
	for _, p := range phases {
		out = append(out, phaseChoice{ID: p.ID, Label: p.Name})
	}
	return out, nil
}

// trackingPage shows the upload form.
func (h *Handler) trackingPage(w http.ResponseWriter, r *http.Request) {
	h.renderTracking(w, r, http.StatusOK, trackingView{Form: trackingForm{ShipDate: h.deps.Now().In(order.JST).Format(time.DateOnly)}})
}

func (h *Handler) renderTracking(w http.ResponseWriter, r *http.Request, status int, v trackingView) {
	phases, err := h.trackingChoices(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Phases, v.Carriers = phases, channel.Carriers
	v.ProgressKey = newToken()[:32]
	h.render(w, r, status, trackingPageView(v))
}

// uploadTracking reads the upload as it arrives (multipart, the file last) and shows the report;
// nothing is saved. A confirmation (confirm=1 with the valid rows sent back) saves them.
func (h *Handler) uploadTracking(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, trackingBodyMax)
	mr, err := r.MultipartReader()
	if err != nil {
		h.uploadTrackingForm(w, r)
		return
	}
	var v trackingView
	var rep *packing.TrackingReport
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			h.trackingError(w, r, v, err)
			return
		}
		switch part.FormName() {
		case "csrf":
			// checked by the session middleware from the header or the form; read and dropped
		case "carrier":
			v.Form.Carrier = readSmall(part)
		case "ship_date":
			v.Form.ShipDate = readSmall(part)
		case "phase":
			v.Form.PhaseID = readSmall(part)
		case "progress":
			r = progressStart(r, readSmall(part))
		case "file":
			rep, v.Upload, err = packing.CheckTrackingUpload(r.Context(), h.deps.Store, part, packing.TrackingOptions{Carrier: v.Form.Carrier, ShipDate: v.Form.ShipDate, Now: h.deps.Now()}, stateOf(r.Context()).user.Login)
			if err != nil {
				h.trackingError(w, r, v, err)
				return
			}
		}
		_ = part.Close()
	}
	if rep == nil {
		h.trackingError(w, r, v, apperror.New(apperror.Invalid, "ファイルを選んでください。"))
		return
	}
	h.showReport(w, r, v, rep)
}

func (h *Handler) showReport(w http.ResponseWriter, r *http.Request, v trackingView, rep *packing.TrackingReport) {
	v.Report = rep
	v.Form.Carrier = rep.Carrier
	for _, row := range rep.Rows {
		if row.Outcome != packing.Matched && len(v.Problems) < 500 {
			v.Problems = append(v.Problems, row)
		}
	}
	h.renderTracking(w, r, http.StatusOK, v)
}

// uploadTrackingForm is the confirmation: the file of the report (kept on the server, named by
// upload) checked again and its valid rows saved all at once, their orders moved to the chosen
// phase in the same transaction. Orders changed since the report show the new report instead.
func (h *Handler) uploadTrackingForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, apperror.New(apperror.Invalid, "フォームが読めません。もう一度ファイルを選んで取り込んでください。"))
		return
	}
	v := trackingView{Form: trackingForm{Carrier: r.PostForm.Get("carrier"), ShipDate: r.PostForm.Get("ship_date"), PhaseID: r.PostForm.Get("phase")}, Upload: r.PostForm.Get("upload")}
	mover, ok := h.deps.Mover.(packing.Mover)
	if !ok {
		h.fail(w, r, errors.New("web: the phase mover cannot move inside a transaction"))
		return
	}
	var phaseID int64
	if v.Form.PhaseID != "" {
		var err error
		if phaseID, err = strconv.ParseInt(v.Form.PhaseID, 10, 64); err != nil {
			h.trackingError(w, r, v, apperror.New(apperror.Invalid, "移動先の処理フェーズを選び直してください。"))
			return
		}
	}
	rep, applied, err := packing.ConfirmTracking(r.Context(), h.deps.Store, mover, v.Upload,
		packing.TrackingOptions{Carrier: v.Form.Carrier, ShipDate: v.Form.ShipDate, Now: h.deps.Now()}, phaseID, stateOf(r.Context()).user.Login)
	if errors.Is(err, packing.ErrReportChanged) {
		v.Error = apperror.MessageOf(err)
		h.showReport(w, r, v, rep)
		return
	}
	if err != nil {
		v.Upload = ""
		h.trackingError(w, r, v, err)
		return
	}
	v.Applied = &applied
	v.Upload = ""
	h.renderTracking(w, r, http.StatusOK, v)
}

func (h *Handler) trackingError(w http.ResponseWriter, r *http.Request, v trackingView, err error) {
	if tooLarge(err) {
		err = apperror.New(apperror.Invalid, "ファイルが%dMBを超えています。何も登録していません。ファイルを分けてもう一度取り込んでください。", trackingBodyMax>>20)
	}
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	v.Error = apperror.MessageOf(err)
	h.renderTracking(w, r, status, v)
}

// readSmall reads a short form field.
func readSmall(p *multipart.Part) string {
	b, _ := io.ReadAll(io.LimitReader(p, 1<<10))
	return strings.TrimSpace(string(b))
}

// carrierName names a carrier code.
func carrierName(code string) string {
	if c, ok := channel.CarrierByCode(code); ok {
		return c.Name
	}
	return code
}
