// Package ordercsv writes the order list's CSV: the same file from the web UI's 「CSV出力」 and
// from the REST API. The file is written whole before it is sent, so a failure half-way is
// an error the caller can show, never a truncated file that looks complete.
package ordercsv

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Header is the first line of the file.
var Header = []string{"注文ID", "注文番号", "店舗", "注文日時", "購入者", "購入者カナ", "郵便番号", "住所", "電話番号",
	"商品合計", "送料", "合計金額", "請求金額", "支払方法", "処理フェーズ", "連携ステータス", "連携メッセージ", "モールステータス", "入金状況", "管理区分"}

// numeric are the columns ichigen writes from integers (the order id and the amounts): digits
// with at most a leading minus, which a spreadsheet reads as a number and never as a formula,
// so a negative amount (a discount, -500) stays a number. Every other column is text from
// buyers and marketplaces and goes through Neutralise.
var numeric = map[int]bool{0: true, 9: true, 10: true, 11: true, 12: true}

// Neutralise keeps a spreadsheet from running a cell as a formula (CSV injection, OWASP): a
// cell that starts with = + - @ tab or CR gets a leading ', which Excel and LibreOffice show as
// text. Every text cell of every CSV ichigen writes goes through it.
func Neutralise(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// MaxRows bounds one file, as it bounds a bulk operation: a larger search is narrowed first.
const MaxRows = orderops.MaxBulk

// Encoding is the file's character encoding.
type Encoding string

// The encodings: UTF-8 with a byte order mark (Excel reads it as UTF-8), or Shift_JIS, which
// older spreadsheets and shipping software expect. A character Shift_JIS lacks becomes "?".
const (
	UTF8     Encoding = "utf8"
	ShiftJIS Encoding = "sjis"
)

// ParseEncoding reads an encoding's name; empty is UTF-8.
func ParseEncoding(s string) (Encoding, error) {
	switch s {
	case "", "utf8", "utf-8":
		return UTF8, nil
	case "sjis", "shift_jis":
		return ShiftJIS, nil
	}
	return "", apperror.New(apperror.Invalid, "文字コード「%s」は選べません。utf8 (UTF-8) か sjis (Shift_JIS) を指定してください。", s)
}

// Selection names the orders of a file: those with the given ids, in that order, or with IDs
// nil every order Query finds, in its order.
type Selection struct {
	IDs   []int64
	Query store.OrderQuery
	// Columns adds line items, ship-to and shipment columns.
	Columns Columns
}

// File is a finished export, held in an unlinked temporary file until it is sent.
type File struct {
	f    *os.File
	Size int64
	// Rows counts the file's lines after the header: one per order, or per line item or
	// package with Columns.
	Rows int
	// Name is the download's file name, orders-YYYYMMDD-hhmmss.csv in Japan time.
	Name string
	// ContentType names the encoding: text/csv; charset=utf-8 or shift_jis.
	ContentType string
}

// Write writes the selection's orders as a CSV file. A search finding more than MaxRows
// orders is refused, as ids naming no order are left out.
func Write(ctx context.Context, st store.Store, sel Selection, enc Encoding, now time.Time) (*File, error) {
	ids := sel.IDs
	if ids == nil {
		var err error
		if ids, err = st.OrderIDs(ctx, sel.Query, MaxRows+1); err != nil {
			return nil, err
		}
		if len(ids) > MaxRows {
			return nil, apperror.New(apperror.Invalid, "検索結果が%d件を超えるためCSVに出力できません。条件で絞り込んでから出力してください。", MaxRows)
		}
	} else if len(ids) > MaxRows {
		return nil, apperror.New(apperror.Invalid, "CSVに出力できる注文は%d件までです。", MaxRows)
	}
	names, err := loadNames(ctx, st)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp("", "ichigen-orders-*.csv")
	if err != nil {
		return nil, fmt.Errorf("csv export: %w", err)
	}
	_ = os.Remove(tmp.Name()) // gone with the last close, whatever happens to the request
	out := &File{f: tmp, Name: fmt.Sprintf("orders-%s.csv", now.In(order.JST).Format("20060102-150405")),
		ContentType: "text/csv; charset=utf-8"}
	if out.Rows, err = writeRows(ctx, st, tmp, enc, names, newLayout(sel.Columns), ids); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if enc == ShiftJIS {
		out.ContentType = "text/csv; charset=shift_jis"
	}
	if out.Size, err = tmp.Seek(0, io.SeekCurrent); err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("csv export: %w", err)
	}
	return out, nil
}

// WriteTo sends the file and closes it.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	defer f.Close()
	return io.Copy(w, f.f)
}

// Close drops the file; it may be called more than once.
func (f *File) Close() error {
	_ = f.f.Close()
	return nil
}

// names are the shops' and phases' names by id.
type names struct{ shop, phase map[int64]string }

func loadNames(ctx context.Context, st store.Store) (names, error) {
	n := names{shop: map[int64]string{}, phase: map[int64]string{}}
	shops, err := st.ListShops(ctx)
	if err != nil {
		return n, err
	}
	for _, s := range shops {
		n.shop[s.ID] = s.Name
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return n, err
	}
	for _, p := range phases {
		n.phase[p.ID] = p.Name
	}
	return n, nil
}

func writeRows(ctx context.Context, st store.Store, w io.Writer, enc Encoding, n names, l layout, ids []int64) (int, error) {
	finish := func() error { return nil }
	numeric := l.numeric
	cells := func(r []string) []string {
		for i, c := range r {
			if !numeric[i] {
				r[i] = Neutralise(c)
			}
		}
		return r
	}
	if enc == ShiftJIS {
		check := japanese.ShiftJIS.NewEncoder()
		cells = func(r []string) []string {
			for i, c := range r {
				if !numeric[i] {
					c = Neutralise(c)
				}
				r[i] = sjisSafe(check, c)
			}
			return r
		}
		sjis := transform.NewWriter(w, encoding.ReplaceUnsupported(japanese.ShiftJIS.NewEncoder()))
		w, finish = sjis, sjis.Close // Close writes what the encoder still holds
	} else if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, fmt.Errorf("csv export: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	_ = cw.Write(l.header)
	rows := 0
	for start := 0; start < len(ids); start += store.MaxPageSize {
		read := st.OrdersByIDs
		if l.cols.Lines || l.cols.Shipments {
			read = st.GetOrders // with lines and shipments, still three statements a chunk
		}
		orders, err := read(ctx, ids[start:min(start+store.MaxPageSize, len(ids))])
		if err != nil {
			return rows, err
		}
		for _, o := range orders {
			for _, r := range l.rows(o, n) {
				_ = cw.Write(cells(r))
				rows++
			}
		}
	}
	cw.Flush()
	err := cw.Error()
	if err == nil {
		err = finish()
	}
	if err != nil {
		return rows, fmt.Errorf("csv export: %w", err)
	}
	return rows, nil
}

// cp932Forms maps characters that Japanese text often carries in their JIS or Unicode form (a
// Mac or a phone types 〜 and −) to the Windows form Shift_JIS files hold: the same character
// for whoever reads the label, where the encoder would refuse it.
var cp932Forms = strings.NewReplacer(
	"\u301C", "\uFF5E", // 〜 WAVE DASH → ～
	"\u2212", "\uFF0D", // − MINUS SIGN → －
	"\u2014", "\u2015", // — EM DASH → ―
	"\u2016", "\u2225", // ‖ → ∥
	"\u00A2", "\uFFE0", // ¢ → ￠
	"\u00A3", "\uFFE1", // £ → ￡
	"\u00AC", "\uFFE2", // ¬ → ￢
	"\u00A5", "\uFFE5", // ¥ YEN SIGN → ￥
	"\u203E", "\uFFE3", // ‾ OVERLINE → ￣
)

// sjisSafe readies a cell for Shift_JIS: the JIS and Unicode forms of 〜 − — ‖ ¢ £ ¬ ¥ ‾ become
// their Windows forms, and each character Shift_JIS still lacks (an emoji, 𠮷) becomes "?", as
// the file promises; the encoder alone would write the control character SUB.
func sjisSafe(e *encoding.Encoder, s string) string { return ShiftJISSafe(e, s) }

// ShiftJISSafe is sjisSafe for the other files ichigen writes in Shift_JIS (the carrier label
// files of the packing bench): e is a japanese.ShiftJIS encoder the caller keeps.
func ShiftJISSafe(e *encoding.Encoder, s string) string {
	s = cp932Forms.Replace(s)
	if _, err := e.String(s); err == nil {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if _, err := e.String(string(r)); err != nil {
			b.WriteByte('?')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func row(o order.Order, n names) []string {
	class := o.ManagementClass
	if class == "" {
		class = order.Normal
	}
	return []string{strconv.FormatInt(o.ID, 10), o.Number, n.shop[o.ShopID], order.FormatMinute(o.OrderedAt), o.Buyer.Name, o.Buyer.Kana, o.Buyer.Zip,
		o.Buyer.Address, o.Buyer.Phone, yen(o.Amounts.Goods), yen(o.Amounts.Postage), yen(o.Amounts.Total),
		yen(o.Amounts.Requested), o.PaymentMethod, n.phase[o.PhaseID], workflow.LinkStatus(o.LinkStatus).Label(), o.LinkMessage,
		o.MarketplaceStatus.Label(), o.PaymentStatus.Label(), class.Label()}
}

// yen is an amount as a spreadsheet reads it: digits, or 未確定.
func yen(y order.Yen) string {
	if v, ok := y.Value(); ok {
		return strconv.FormatInt(v, 10)
	}
	return "未確定"
}
