package packing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/ordercsv"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// parcel is one label: one package of one order.
type parcel struct {
	Key      string // お客様管理番号: OrderKey, read back by the tracking import
	Order    *order.Order
	To       order.Person
	From     shop.Sender
	Item     string
	ShipDate string // 2026-11-24
	Date     string // お届け希望日 2026-11-26, "" none
	Slot     Slot
	COD      int64 // 代金引換額, 0 when not cash on delivery
	CODTax   int64
}

// addr is the part of the ship-to address from unit off, at most w units: the address cut
// into the layout's fields in turn, so that what one field cannot hold goes to the next.
func (p *parcel) addr(w, off int) string     { return cutFrom(p.To.Address, w, off) }
func (p *parcel) fromAddr(w, off int) string { return cutFrom(p.From.Address, w, off) }

// sagawaSeals are e飛伝's three 指定シール: the time (or day) seal first, then the day seal when
// a time took slot 1, then eコレクト for cash on delivery.
func (p *parcel) sagawaSeals() [3]string {
	var s [3]string
	switch {
	case p.Slot == SlotMorning:
		s[0] = "016"
	case p.Slot == Slot1821:
		s[0] = "007"
	case p.Slot != SlotNone:
		s[0] = "019"
	}
	if p.Date != "" {
		if s[0] == "" {
			s[0] = "005"
		} else {
			s[1] = "005"
		}
	}
	if p.COD > 0 {
		s[2] = "010"
	}
	return s
}

// OrderKey is the お客様管理番号 a label carries for an order's n-th package (from 1): "IC" and
// the ichigen order id, "-n" added when the order has several packages. Marketplace order
// numbers do not fit (Rakuten's are 26 characters; B2 holds 20, ゆうプリR 15), and the id is
// unique across shops, so the number read back names one order whatever shop it is of.
func OrderKey(orderID int64, n, of int) string {
	k := "IC" + strconv.FormatInt(orderID, 10)
	if of > 1 {
		k += "-" + strconv.Itoa(n)
	}
	return k
}

// ParseOrderKey reads an OrderKey back: the order id and the package's number (0 when the key
// names the order's only package).
func ParseOrderKey(s string) (id int64, n int, ok bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	rest, found := strings.CutPrefix(s, "IC")
	if !found {
		return 0, 0, false
	}
	idPart, nPart, hasN := strings.Cut(rest, "-")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, false
	}
	if hasN {
		if n, err = strconv.Atoi(nPart); err != nil || n <= 0 {
			return 0, 0, false
		}
	}
	return id, n, true
}

// Warning is something the operator should know about one order's label: a 品名 cut to fit,
// a delivery time the carrier does not offer. Skipped says the order got no label.
type Warning struct {
	OrderID int64
	Number  string
	Message string
	Skipped bool
}

// LabelOptions steer a label file.
type LabelOptions struct {
	Layout Layout
	// ShipDate is 出荷予定日, 2026-11-24; empty is today in Japan time.
	ShipDate string
	Now      time.Time
	// Progress, when set, is told after each page of orders how many of the ids are written.
	Progress func(done, total int)
}

// MaxWarnings bounds the warnings a file keeps; the count goes on.
const MaxWarnings = 1000

// LabelFile is a finished label file, held in an unlinked temporary file until it is sent.
type LabelFile struct {
	f           *os.File
	Size        int64
	Rows        int
	Name        string
	ContentType string
	Warnings    []Warning
	// WarningCount counts every warning, also those beyond MaxWarnings.
	WarningCount int
	Skipped      int
}

// WriteTo sends the file and closes it.
func (f *LabelFile) WriteTo(w io.Writer) (int64, error) {
	defer f.Close()
	return io.Copy(w, f.f)
}

// Close drops the file; it may be called more than once.
func (f *LabelFile) Close() error { return f.f.Close() }

// WriteLabels writes the label file of the orders with the given ids (bundle children stand for
// their parent, which goes out once; cancelled orders are left out with a warning), one row per
// package, in the layout's columns, CP932 with CRLF. Each shop's ご依頼主 comes from its
// 出荷設定; a shop without one refuses the whole file, naming what to enter.
func WriteLabels(ctx context.Context, st store.Store, ids []int64, opts LabelOptions) (*LabelFile, error) {
	if len(ids) == 0 {
		return nil, apperror.New(apperror.Invalid, "送り状データを出力する注文を選択してください。")
	}
	if len(ids) > orderops.MaxBulk {
		return nil, apperror.New(apperror.Invalid, "送り状データに出力できる注文は%d件までです。条件で絞り込んでください。", orderops.MaxBulk)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.ShipDate == "" {
		opts.ShipDate = opts.Now.In(order.JST).Format(time.DateOnly)
	} else if d, err := order.ParseDay(opts.ShipDate, "出荷予定日"); err != nil {
		return nil, err
	} else {
		opts.ShipDate = d.Format(time.DateOnly)
	}
	tmp, err := os.CreateTemp("", "ichigen-labels-*.csv")
	if err != nil {
		return nil, fmt.Errorf("label file: %w", err)
	}
	_ = os.Remove(tmp.Name())
	out := &LabelFile{f: tmp, ContentType: "text/csv; charset=shift_jis",
		Name: fmt.Sprintf("labels-%s-%s.csv", opts.Layout, opts.Now.In(order.JST).Format("20060102-150405"))}
	lw := newLabelWriter(tmp, opts.Layout)
	senders := map[int64]shop.Sender{}
	seen := make(map[int64]bool, len(ids))
	for start := 0; start < len(ids); start += store.MaxPageSize {
		if opts.Progress != nil && start > 0 {
			opts.Progress(start, len(ids))
		}
		orders, err := st.GetOrders(ctx, ids[start:min(start+store.MaxPageSize, len(ids))])
		if err != nil {
			_ = tmp.Close()
			return nil, err
		}
		for i := range orders {
			o := orders[i]
			if o.ManagementClass == order.BundleChild {
				parent, err := st.GetOrder(ctx, o.BundleParentID)
				if err != nil {
					_ = tmp.Close()
					return nil, fmt.Errorf("bundle parent of %s: %w", o.Number, err)
				}
				o = parent
			}
			if seen[o.ID] {
				continue
			}
			seen[o.ID] = true
			from, ok := senders[o.ShopID]
			if !ok {
				sh, err := st.GetShop(ctx, o.ShopID)
				if err == nil {
					from, err = st.ShopSender(ctx, o.ShopID)
				}
				if err == nil {
					err = CheckSender(from, sh.Name, opts.Layout)
				}
				if err != nil {
					_ = tmp.Close()
					return nil, err
				}
				senders[o.ShopID] = from
			}
			var children []order.Order
			if o.ManagementClass == order.BundleParent {
				if children, err = bundleChildren(ctx, st, o.ID); err != nil {
					_ = tmp.Close()
					return nil, err
				}
			}
			lw.order(&o, children, from, opts.ShipDate)
		}
	}
	if lw.rows == 0 {
		_ = tmp.Close()
		var why []string
		for i, w := range lw.warnings {
			if i == 5 {
				break
			}
			why = append(why, w.Number+": "+w.Message)
		}
		return nil, apperror.New(apperror.Invalid, "送り状データに出力できる注文がありません。%s", strings.Join(why, " "))
	}
	if err := lw.finish(); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("label file: %w", err)
	}
	out.Rows, out.Warnings, out.WarningCount, out.Skipped = lw.rows, lw.warnings, lw.warningCount, lw.skipped
	if out.Size, err = tmp.Seek(0, io.SeekCurrent); err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("label file: %w", err)
	}
	return out, nil
}

func bundleChildren(ctx context.Context, st store.Store, parentID int64) ([]order.Order, error) {
	page, err := st.SearchOrders(ctx, store.OrderQuery{BundleParentID: parentID, PageSize: store.MaxPageSize})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(page.Orders))
	for i, c := range page.Orders {
		ids[i] = c.ID
	}
	return st.GetOrders(ctx, ids)
}

// labelWriter writes rows of one layout and gathers the warnings.
type labelWriter struct {
	layout       Layout
	cols         []Column
	cw           *csv.Writer
	sjis         *transform.Writer
	enc          *encoding.Encoder
	rows         int
	skipped      int
	warnings     []Warning
	warningCount int
}

func newLabelWriter(w io.Writer, l Layout) *labelWriter {
	sjis := transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
	lw := &labelWriter{layout: l, cols: l.Columns(), sjis: sjis, cw: csv.NewWriter(sjis), enc: japanese.ShiftJIS.NewEncoder()}
	lw.cw.UseCRLF = true
	if l.HasHeader() {
		header := make([]string, len(lw.cols))
		for i, c := range lw.cols {
			header[i] = c.Header
		}
		_ = lw.cw.Write(header)
	}
	return lw
}

func (lw *labelWriter) warn(o *order.Order, skipped bool, format string, args ...any) {
	lw.warningCount++
	if skipped {
		lw.skipped++
	}
	if len(lw.warnings) < MaxWarnings {
		lw.warnings = append(lw.warnings, Warning{OrderID: o.ID, Number: o.Number, Message: fmt.Sprintf(format, args...), Skipped: skipped})
	}
}

// order writes an order's rows, one per package; children are a bundle parent's children, whose
// items travel in the parent's parcel.
func (lw *labelWriter) order(o *order.Order, children []order.Order, from shop.Sender, shipDate string) {
	if o.MarketplaceStatus.Cancelled() {
		lw.warn(o, true, "キャンセルされた注文のため送り状データに含めませんでした。")
		return
	}
	if len(o.Packages) == 0 {
		lw.warn(o, true, "お届け先がない注文のため送り状データに含めませんでした。注文の送付先を確認してください。")
		return
	}
	var cod, codTax int64
	if isCOD(o.PaymentMethod) {
		v, ok := o.Amounts.Requested.Value()
		if !ok || v <= 0 {
			lw.warn(o, true, "代金引換の請求金額が未確定のため送り状データに含めませんでした。送料・手数料を確定してから出力し直してください。")
			return
		}
		cod = v
		codTax, _ = o.Amounts.Tax.Value()
	}
	lines := slices.Clone(o.Lines)
	for _, c := range children {
		lines = append(lines, c.Lines...)
	}
	carrier := lw.layout.Label()
	for i, pkg := range o.Packages {
		p := &parcel{Key: OrderKey(o.ID, i+1, len(o.Packages)), Order: o, To: pkg.ShipTo, From: from, ShipDate: shipDate}
		if i == 0 {
			p.COD, p.CODTax = cod, codTax
		}
		var cut bool
		if p.Item, cut = itemName(lines, pkg.Key, len(o.Packages) > 1, lw.layout.itemWidth()); cut {
			lw.warn(o, false, "品名を%sの桁数(全角%d文字)に合わせて「%s」に切り詰めました。", carrier, lw.layout.itemWidth()/2, p.Item)
		}
		if pkg.DeliveryDate != "" {
			if d, err := order.ParseDay(pkg.DeliveryDate, "お届け希望日"); err != nil {
				lw.warn(o, false, "お届け希望日「%s」が読めないため指定なしで出力しました。", pkg.DeliveryDate)
			} else {
				p.Date = d.Format(time.DateOnly)
			}
		}
		slot, ok := ParseSlot(pkg.DeliveryTime)
		if !ok {
			lw.warn(o, false, "お届け時間帯「%s」が読めないため指定なしで出力しました。", pkg.DeliveryTime)
		} else if _, offered := lw.slots()[slot]; !offered {
			lw.warn(o, false, "お届け時間帯「%s」は%sで指定できないため指定なしで出力しました。お客様に連絡してください。", slot.Label(), carrier)
			slot = SlotNone
		}
		p.Slot = slot
		lw.write(p)
	}
}

func (lw *labelWriter) slots() map[Slot]string {
	switch lw.layout {
	case Sagawa:
		return sagawaSlots
	case JapanPost:
		return japanPostSlots
	}
	return yamatoSlots
}

func (lw *labelWriter) write(p *parcel) {
	row := make([]string, len(lw.cols))
	for i, c := range lw.cols {
		v := ordercsv.ShiftJISSafe(lw.enc, strings.ReplaceAll(strings.ReplaceAll(c.Value(p), "\r", ""), "\n", " "))
		if c.Width > 0 && textWidth(v) > c.Width {
			cut := cutFrom(v, c.Width, 0)
			switch c.Header {
			case "お届け先アパートマンション名", "お届け先住所３", "お届け先住所２", "ご依頼主アパートマンション", "ご依頼主住所２":
				lw.warn(p.Order, false, "住所が長いため%sの%sに入りきらない部分を切り詰めました。送り状を確認してください。", lw.layout.Label(), c.Header)
			default:
				lw.warn(p.Order, false, "%sを%sの桁数(全角%d文字)に合わせて「%s」に切り詰めました。", c.Header, lw.layout.Label(), c.Width/2, cut)
			}
			v = cut
		}
		row[i] = v
	}
	_ = lw.cw.Write(row)
	lw.rows++
}

func (lw *labelWriter) finish() error {
	lw.cw.Flush()
	if err := lw.cw.Error(); err != nil {
		return err
	}
	return lw.sjis.Close()
}

// isCOD says whether a payment method is cash on delivery (代金引換), as the malls name it.
func isCOD(method string) bool {
	return strings.Contains(method, "代金引換") || strings.Contains(method, "代引") || strings.EqualFold(strings.TrimSpace(method), "COD")
}

// itemName is a parcel's 品名 at most w units wide: its first item, and 「他N点」 for the rest,
// the name cut so that the count survives; cut says whether it was.
func itemName(lines []order.Line, pkgKey string, several bool, w int) (name string, cut bool) {
	var first string
	var more int64
	for _, l := range lines {
		if several && l.PackageKey != pkgKey {
			continue
		}
		if first == "" {
			first, more = l.Name, max(l.Quantity, 1)-1
			continue
		}
		more += max(l.Quantity, 1)
	}
	first = strings.Join(strings.Fields(first), " ")
	var suffix string
	if more > 0 {
		suffix = " 他" + strconv.FormatInt(more, 10) + "点"
	}
	if textWidth(first)+textWidth(suffix) <= w {
		return first + suffix, false
	}
	return cutFrom(first, w-textWidth(suffix), 0) + suffix, true
}

// textWidth counts half-width units: a full-width character is 2.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	if r < 0x80 || (r >= 0xFF61 && r <= 0xFF9F) {
		return 1
	}
	return 2
}

// cutFrom is the part of s from unit off on, at most w units wide, never splitting a character.
func cutFrom(s string, w, off int) string {
	pos := 0
	var b strings.Builder
	for _, r := range s {
		rw := runeWidth(r)
		if pos >= off {
			if pos+rw > off+w {
				break
			}
			b.WriteRune(r)
		}
		pos += rw
	}
	return b.String()
}

// halfKana is a name's reading in half-width katakana, as B2's カナ fields take it.
func halfKana(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'ぁ' && r <= 'ゖ' {
			return r + 0x60
		}
		return r
	}, s)
	s = strings.NewReplacer("\u3099", "\uFF9E", "\u309A", "\uFF9F").Replace(norm.NFD.String(s))
	return width.Narrow.String(s)
}
