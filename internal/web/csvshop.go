package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// csvOrdersPath is the CSV受注取込 page: a shop's orders from a CSV file through the column
// mapping saved on the shop (the CSV shop's intake, and phone or fax orders of any shop).
const csvOrdersPath = "/orders/csv-orders"

// csvOrdersBodyMax bounds an order file upload: orderimport.MaxRows rows of a wide export. The
// file is read as it arrives and spooled to disk (packing.Uploads), never held in memory.
const csvOrdersBodyMax = packing.MaxSpoolBytes

// mappingField is one order field of the column mapping form.
type mappingField struct {
	Key, Label string
	Required   bool
	Value      *string
}

// mappingFields are the fields of the mapping, in the form's order.
func mappingFields(m *orderimport.Mapping) []mappingField {
	return []mappingField{
		{"number", "注文番号", true, &m.Number}, {"ordered_at", "注文日時", true, &m.OrderedAt},
		{"buyer_name", "注文者名", true, &m.BuyerName}, {"buyer_kana", "注文者名(カナ)", false, &m.BuyerKana},
		{"buyer_email", "メールアドレス", false, &m.BuyerEmail}, {"buyer_phone", "電話番号", false, &m.BuyerPhone},
		{"buyer_zip", "郵便番号", false, &m.BuyerZip}, {"buyer_address", "住所", false, &m.BuyerAddress},
		{"ship_name", "お届け先名", false, &m.ShipName}, {"ship_phone", "お届け先電話番号", false, &m.ShipPhone},
		{"ship_zip", "お届け先郵便番号", false, &m.ShipZip}, {"ship_address", "お届け先住所", false, &m.ShipAddress},
		{"delivery_date", "お届け希望日", false, &m.DeliveryDate}, {"delivery_time", "お届け時間帯", false, &m.DeliveryTime},
		{"sku", "商品コード", false, &m.SKU}, {"item_name", "商品名", true, &m.ItemName},
		{"unit_price", "単価", true, &m.UnitPrice}, {"quantity", "数量", true, &m.Quantity},
		{"tax_rate", "税率", false, &m.TaxRate}, {"postage", "送料", false, &m.Postage},
		{"payment_fee", "手数料", false, &m.PaymentFee}, {"payment_method", "支払方法", false, &m.PaymentMethod},
	}
}

// csvSettingsView is a shop's CSV設定: the column mapping of its order files and the layout of
// its shipment file, with the shipment file's download.
type csvSettingsView struct {
	Shop         shop.Shop
	Mapping      orderimport.Mapping
	MappingSaved bool
	Layout       string // the shipment layout's columns, one "見出し,項目,固定文字" line each
	ShiftJIS     bool
	LayoutSaved  bool
	Phases       []phaseChoice
	CanUpdate    bool
}

func csvSettingsPath(id int64) string { return shopPath(id) + "/csv" }

// csvSettings shows a shop's CSV設定.
func (h *Handler) csvSettings(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	v := csvSettingsView{Shop: sh, CanUpdate: canUpdate(r.Context(), user.MenuShops)}
	var err error
	if v.MappingSaved, err = h.deps.Store.ShopSetting(r.Context(), sh.ID, orderimport.SettingName, &v.Mapping); err != nil {
		h.fail(w, r, err)
		return
	}
	var l orderimport.ShipmentLayout
	if v.LayoutSaved, err = h.deps.Store.ShopSetting(r.Context(), sh.ID, orderimport.ShipmentSettingName, &l); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Layout, v.ShiftJIS = layoutText(l), l.ShiftJIS
	if v.Phases, err = h.trackingChoices(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, csvSettingsPage(v))
}

// layoutText writes a shipment layout's columns as the form's lines.
func layoutText(l orderimport.ShipmentLayout) string {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	for _, c := range l.Columns {
		rec := []string{c.Header, c.Field}
		if c.Fixed != "" {
			rec = append(rec, c.Fixed)
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return b.String()
}

// parseLayout reads the form's lines (見出し,項目 or 見出し,,固定文字) into a layout.
func parseLayout(text string, shiftJIS bool) (orderimport.ShipmentLayout, error) {
	l := orderimport.ShipmentLayout{ShiftJIS: shiftJIS}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return l, apperror.New(apperror.Invalid, "列の%d行目が読めません。「見出し,項目」または「見出し,,固定文字」の形で入力してください。", line)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		c := orderimport.ShipmentColumn{Header: rec[0]}
		if len(rec) > 1 {
			c.Field = rec[1]
		}
		if len(rec) > 2 {
			c.Fixed = rec[2]
		}
		if c.Header == "" || (c.Field == "") == (c.Fixed == "") || len(rec) > 3 {
			return l, apperror.New(apperror.Invalid, "列の%d行目「%s」: 見出しと、項目か固定文字のどちらか一方を入力してください。", line, strings.Join(rec, ","))
		}
		l.Columns = append(l.Columns, c)
	}
	return l, l.Check()
}

// saveCSVMapping saves a shop's column mapping.
func (h *Handler) saveCSVMapping(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	path := csvSettingsPath(sh.ID)
	var m orderimport.Mapping
	for _, f := range mappingFields(&m) {
		*f.Value = strings.TrimSpace(r.PostFormValue(f.Key))
	}
	if err := m.Check(); err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	if err := h.deps.Store.SetShopSetting(r.Context(), sh.ID, orderimport.SettingName, m, stateOf(r.Context()).user.Login); err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	h.settingsDone(w, r, path, fmt.Sprintf("店舗「%s」のCSVの列の対応を保存しました。", sh.Name))
}

// saveShipmentLayout saves a shop's shipment file layout.
func (h *Handler) saveShipmentLayout(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	path := csvSettingsPath(sh.ID)
	l, err := parseLayout(r.PostFormValue("columns"), r.PostFormValue("shift_jis") == "1")
	if err == nil {
		err = h.deps.Store.SetShopSetting(r.Context(), sh.ID, orderimport.ShipmentSettingName, l, stateOf(r.Context()).user.Login)
	}
	if err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	h.settingsDone(w, r, path, fmt.Sprintf("店舗「%s」の出荷データの形式を保存しました。", sh.Name))
}

// exportCSVShipments sends a shop's shipment file (shop=N, and phase=M or ids=1,2,3) in the
// layout it saved: one row per parcel with a tracking number.
func (h *Handler) exportCSVShipments(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	if err := checkParams(qv, "shop", "phase", "ids"); err != nil {
		h.fail(w, r, err)
		return
	}
	shopID, err := formID(qv.Get("shop"), "店舗")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var ids []int64
	if raw := qv.Get("ids"); raw != "" {
		for _, s := range strings.Split(raw, ",") {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				h.fail(w, r, apperror.New(apperror.Invalid, "注文の指定「%s」が読めません。選び直してから出力してください。", s))
				return
			}
			ids = append(ids, id)
		}
	} else {
		phaseID, err := formID(qv.Get("phase"), "処理フェーズ")
		if err == nil {
			ids, err = orderops.FindAll(r.Context(), h.deps.Store, store.OrderQuery{ShopID: shopID, PhaseID: phaseID, Ascending: true})
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	var l orderimport.ShipmentLayout
	if _, err := h.deps.Store.ShopSetting(r.Context(), shopID, orderimport.ShipmentSettingName, &l); err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	rows, err := orderimport.WriteShipments(r.Context(), h.deps.Store, shopID, ids, &buf)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ct := "text/csv; charset=utf-8"
	if l.ShiftJIS {
		ct = "text/csv; charset=Shift_JIS"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="shipments-`+i64toa(shopID)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Ichigen-Rows", strconv.Itoa(rows))
	_, _ = w.Write(buf.Bytes())
}

// csvOrdersView is the CSV受注取込 page: the form, and after an upload what it did or the
// lines that refused the file.
type csvOrdersView struct {
	Shops  []shop.Shop
	Phases []phaseChoice
	Shop   string
	Phase  string
	Result *orderimport.Result
	// Preview is the dry run of an upload: what the confirmation would take, nothing saved.
	Preview *orderimport.Preview
	// PreviewRows are its first orders, at most maxPreviewRows.
	PreviewRows []orderimport.PreviewRow
	Problems    []string // the file's broken lines, 「N行目: …」
	// ProgressKey names this page's upload on the server's row counter (csvOrdersProgress).
	ProgressKey string
	More        int // broken lines beyond those listed
	Error       string
}

// csvOrdersPage shows the upload form, the shop preselected (?shop=N).
func (h *Handler) csvOrdersPage(w http.ResponseWriter, r *http.Request) {
	h.renderCSVOrders(w, r, http.StatusOK, csvOrdersView{Shop: r.URL.Query().Get("shop")})
}

func (h *Handler) renderCSVOrders(w http.ResponseWriter, r *http.Request, status int, v csvOrdersView) {
	v.ProgressKey = newToken()[:32]
	var err error
	if v.Shops, err = h.deps.Store.ListShops(r.Context()); err == nil {
		v.Phases, err = h.trackingChoices(r.Context())
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, csvOrdersPageView(v))
}

// maxPreviewRows bounds the orders the dry run lists; its counts cover the whole file.
const maxPreviewRows = 500

// uploadCSVOrders checks the uploaded file (multipart, the file last, read as it arrives) with
// the shop's saved mapping and shows what the import would take and refuse, saving nothing; the
// file stays on the server. The confirmation (a plain form naming the upload) imports it into
// the chosen phase: all of it in one transaction, or nothing.
func (h *Handler) uploadCSVOrders(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, csvOrdersBodyMax)
	mr, err := r.MultipartReader()
	if err != nil {
		h.confirmCSVOrders(w, r)
		return
	}
	var v csvOrdersView
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			h.csvOrdersError(w, r, v, apperror.New(apperror.Invalid, "アップロードが途中で切れたか、%dMBを超えています。何も登録していません。ファイルを分けてもう一度取り込んでください。", csvOrdersBodyMax>>20))
			return
		}
		switch part.FormName() {
		case "shop":
			v.Shop = readSmall(part)
		case "phase":
			v.Phase = readSmall(part)
		case "progress":
			r = progressStart(r, readSmall(part))
		case "file":
			shopID, phaseID, err := h.csvOrdersTarget(r, v)
			if err != nil {
				h.csvOrdersError(w, r, v, err)
				return
			}
			p, err := orderimport.PreviewImport(r.Context(), h.deps.Store, shopID, phaseID, part, stateOf(r.Context()).user.Login, h.deps.Now())
			if err != nil {
				h.csvOrdersError(w, r, v, err)
				return
			}
			v.Preview, v.PreviewRows = &p, p.Rows[:min(len(p.Rows), maxPreviewRows)]
		}
		_ = part.Close()
	}
	if v.Preview == nil {
		h.csvOrdersError(w, r, v, apperror.New(apperror.Invalid, "ファイルを選んでください。"))
		return
	}
	h.renderCSVOrders(w, r, http.StatusOK, v)
}

// confirmCSVOrders imports the file of a dry run, kept on the server and named by upload.
func (h *Handler) confirmCSVOrders(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.csvOrdersError(w, r, csvOrdersView{}, apperror.New(apperror.Invalid, "ファイルを選んで取り込んでください。"))
		return
	}
	v := csvOrdersView{Shop: r.PostForm.Get("shop"), Phase: r.PostForm.Get("phase")}
	shopID, phaseID, err := h.csvOrdersTarget(r, v)
	if err != nil {
		h.csvOrdersError(w, r, v, err)
		return
	}
	res, err := orderimport.ConfirmImport(r.Context(), h.deps.Store, shopID, phaseID, r.PostForm.Get("upload"), stateOf(r.Context()).user.Login, h.deps.Now())
	if err != nil {
		h.csvOrdersError(w, r, v, err)
		return
	}
	v.Result = &res
	h.renderCSVOrders(w, r, http.StatusOK, v)
}

// csvOrdersTarget is the shop and phase the form names.
func (h *Handler) csvOrdersTarget(r *http.Request, v csvOrdersView) (shopID, phaseID int64, err error) {
	if shopID, err = formID(v.Shop, "店舗"); err != nil {
		return 0, 0, err
	}
	if phaseID, err = h.csvOrdersPhase(r, v.Phase); err != nil {
		return 0, 0, err
	}
	if _, err := h.deps.Store.GetShop(r.Context(), shopID); err != nil {
		return 0, 0, err
	}
	return shopID, phaseID, nil
}

// csvOrdersPhase is the chosen phase, or the first one (where imports land).
func (h *Handler) csvOrdersPhase(r *http.Request, s string) (int64, error) {
	if s != "" {
		return formID(s, "取り込む処理フェーズ")
	}
	phases, err := h.deps.Store.ListPhases(r.Context())
	if err != nil {
		return 0, err
	}
	if len(phases) == 0 {
		return 0, apperror.New(apperror.NotFound, "処理フェーズがありません。設定 > 処理フェーズで作成してください。")
	}
	return phases[0].ID, nil
}

// csvOrdersError shows the form again with what refused the file: each broken line of a file
// refused whole, or the one message.
func (h *Handler) csvOrdersError(w http.ResponseWriter, r *http.Request, v csvOrdersView, err error) {
	status := statusOf(err)
	var fe *packing.FileError
	if tooLarge(err) {
		err = apperror.New(apperror.Invalid, "ファイルが%dMBを超えています。何も登録していません。ファイルを分けてもう一度取り込んでください。", csvOrdersBodyMax>>20)
		status = http.StatusRequestEntityTooLarge
	}
	if errors.As(err, &fe) {
		v.Error, v.Problems, v.More = "ファイルを取り込めませんでした。何も登録していません。次の行を直してから、もう一度取り込んでください。", fe.Problems, fe.More
		status = http.StatusUnprocessableEntity
	} else if status == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	} else {
		v.Error = apperror.MessageOf(err)
	}
	h.renderCSVOrders(w, r, status, v)
}
