package packing

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Outcome is what became of one row of a tracking file.
type Outcome string

// The outcomes. Only Matched rows are applied.
const (
	Matched        Outcome = "matched"         // 登録できます
	Unchanged      Outcome = "unchanged"       // 同じ番号が登録済み
	UnknownOrder   Outcome = "unknown_order"   // 注文が見つかりません
	InvalidNumber  Outcome = "invalid_number"  // 番号・発送日の誤り
	AlreadyShipped Outcome = "already_shipped" // 別の番号で出荷済み
	NotShippable   Outcome = "not_shippable"   // キャンセル・同梱子など
)

// Label is the outcome in Japanese.
func (o Outcome) Label() string {
	switch o {
	case Matched:
		return "登録できます"
	case Unchanged:
		return "登録済み(同じ番号)"
	case UnknownOrder:
		return "注文が見つかりません"
	case InvalidNumber:
		return "番号・発送日の誤り"
	case AlreadyShipped:
		return "別の番号で出荷済み"
	case NotShippable:
		return "出荷できない注文"
	}
	return string(o)
}

// Outcomes lists the outcomes in report order.
var Outcomes = []Outcome{Matched, Unchanged, UnknownOrder, InvalidNumber, AlreadyShipped, NotShippable}

// RowResult is one row of the report.
type RowResult struct {
	Line        int     `json:"line"`
	Key         string  `json:"key"`
	Number      string  `json:"tracking_number"`
	ShipDate    string  `json:"ship_date,omitempty"`
	OrderID     int64   `json:"order_id,omitempty"`
	OrderNumber string  `json:"order_number,omitempty"`
	Outcome     Outcome `json:"outcome"`
	Message     string  `json:"message,omitempty"`

	pkgKey  string
	version int64
}

// TrackingOptions steer a tracking import.
type TrackingOptions struct {
	// Carrier is the ichigen carrier code of the numbers (1001 ヤマト運輸 …); empty takes the
	// layout's when the header names one (B2, e飛伝Ⅲ, ゆうプリR), and is required otherwise.
	Carrier string
	// ShipDate is the ship date of rows that carry none; empty is today in Japan time.
	ShipDate string
	// ShopID narrows the matching of marketplace order numbers to one shop; 0 looks in every
	// shop, and a number found in two is reported, not guessed.
	ShopID int64
	Now    time.Time
}

// TrackingReport is the per-row report of a tracking file.
type TrackingReport struct {
	Format  string          `json:"format"`
	Carrier string          `json:"carrier"`
	Counts  map[Outcome]int `json:"counts"`
	Rows    []RowResult     `json:"rows"`
}

// MaxTrackingRows bounds one tracking file: more is refused before anything is matched.
const MaxTrackingRows = 100_000

// maxFileProblems bounds the broken rows a refusal lists; the count goes on.
const maxFileProblems = 20

// header names, in preference order, of the columns a tracking file may carry. B2's issued
// data is its 入出力用 layout with 伝票番号 filled (carriers-and-mail.md A1). Checked with the
// search tool (2026-12-03): jmleejake/csvProject
// ArakuWeb/src/main/java/jp/prj/araku/file/vo/NewYamatoVO.java reads B2's issued data as
// お客様管理番号, 送り状種類, クール区分, 伝票番号, 出荷予定日 (columns 1-5) and keys the number
// on お客様管理番号, and a public B2 issued-data import test parses the same five headers.
// e飛伝Ⅲ writes お問い合せ送り状No. (A2; its export layout is NOT verified: no public source
// found). ゆうプリR's 発送履歴 export heads its columns お客様側管理番号, お問い合わせ番号,
// 仮引受確定作業年月日, 配送完了作業年月日, … (a public ゆうプリR PoC's parser, transcribed from a
// real shipping_history.csv; found by find_string "お客様側管理番号").
var (
	keyHeaders    = []string{"お客様管理番号", "お客様側管理番号", "お客様管理ナンバー", "注文番号", "受注番号", "注文ID"}
	numberHeaders = []string{"伝票番号", "お問い合せ送り状No.", "お問い合せ送り状No", "お問い合わせ番号", "お問い合せ番号", "お問合せ番号", "問い合わせ番号", "送り状番号", "追跡番号", "配送番号"}
	dateHeaders   = []string{"出荷予定日", "出荷日", "発送予定日", "発送日"}
)

// layoutOf names the carrier a header's key and number columns belong to. お問い合わせ番号 is
// ゆうプリR's only under its お客様側管理番号: other files head a number so too.
func layoutOf(keyHeader, numberHeader string) (string, string) {
	switch numberHeader {
	case "伝票番号":
		return "B2クラウド発行済データ", Yamato.Carrier()
	case "お問い合せ送り状No.", "お問い合せ送り状No":
		return "e飛伝Ⅲ", Sagawa.Carrier()
	case "お問い合わせ番号":
		if keyHeader == "お客様側管理番号" {
			return "ゆうプリR発送履歴", JapanPost.Carrier()
		}
	}
	return "見出しつきCSV", ""
}

// FileError refuses a whole file: rows that cannot be read, each with its line and what to fix.
type FileError struct {
	Problems []string
	More     int
}

func (e *FileError) Error() string {
	msg := "ファイルを取り込めませんでした。何も登録していません。" + strings.Join(e.Problems, " ")
	if e.More > 0 {
		msg += fmt.Sprintf(" ほか%d行。", e.More)
	}
	return msg
}

// Unwrap makes a FileError an apperror.Invalid.
func (e *FileError) Unwrap() error { return apperror.New(apperror.Invalid, "%s", e.Error()) }

// Decode returns r as UTF-8 and names the encoding it found: a file that is valid UTF-8 in its
// first 64 KiB is read as UTF-8, any other as Shift_JIS. The CSV order intake reads with it too.
func Decode(r io.Reader) (io.Reader, string) { return decoder(r) }

// decoder returns r as UTF-8: a file that is valid UTF-8 in its first 64 KiB is read as UTF-8
// (its byte order mark dropped), any other as Shift_JIS (CP932), the label programs' encoding.
func decoder(r io.Reader) (io.Reader, string) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
		return br, "UTF-8"
	}
	// a character cut at the end of a full peek is no proof of Shift_JIS
	if len(head) == 64<<10 {
		for i := 1; i < utf8.UTFMax && i <= len(head); i++ {
			if c := head[len(head)-i]; utf8.RuneStart(c) {
				if !utf8.FullRune(head[len(head)-i:]) {
					head = head[:len(head)-i]
				}
				break
			}
		}
	}
	if utf8.Valid(head) {
		return br, "UTF-8"
	}
	return transform.NewReader(br, japanese.ShiftJIS.NewDecoder()), "Shift_JIS"
}

// ReadTracking reads a tracking file row by row, without holding it: the carrier program's
// issued-slip CSV (B2クラウド 発行済データ, e飛伝Ⅲ, or any file whose header names an お客様管理番号
// and a 伝票番号 column), or a plain CSV of order key or number, tracking number and optionally
// ship date, with no header. Each row goes to fn with its line number. A row that cannot be read
// (broken encoding, a missing column, a bad date) refuses the file with a FileError listing them.
func ReadTracking(r io.Reader, fn func(row RowResult) error) (format, carrier string, err error) {
	in, enc := decoder(r)
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	keyCol, numCol, dateCol := 0, 1, 2
	format = "2列CSV (注文番号, 配送番号)"
	var problems []string
	more := 0
	problem := func(line int, format string, args ...any) {
		if len(problems) < maxFileProblems {
			problems = append(problems, fmt.Sprintf("%d行目: ", line)+fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	rows := 0
	for first := true; ; first = false {
		rec, rerr := cr.Read()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			var pe *csv.ParseError
			if errors.As(rerr, &pe) {
				problem(pe.Line, "CSVとして読めません(%v)。引用符(\")の対応を確認してください。", pe.Err)
				if len(problems) >= maxFileProblems {
					break
				}
				continue
			}
			return "", "", fmt.Errorf("read tracking file: %w", rerr)
		}
		line, _ := cr.FieldPos(0)
		if first {
			if k, n, d, ok := headerColumns(rec); ok {
				keyCol, numCol, dateCol = k, n, d
				format, carrier = layoutOf(strings.TrimSpace(strings.TrimPrefix(rec[k], "\uFEFF")), strings.TrimSpace(rec[n]))
				format += " (" + enc + ")"
				continue
			}
			format += " (" + enc + ")"
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // an empty line
		}
		if rows++; rows > MaxTrackingRows {
			return "", "", apperror.New(apperror.Invalid, "1つのファイルで取り込める行は%d行までです。ファイルを分けてください。", MaxTrackingRows)
		}
		if slices.ContainsFunc(rec, func(c string) bool { return strings.ContainsRune(c, utf8.RuneError) || !utf8.ValidString(c) }) {
			problem(line, "文字コードが読めません。Shift_JIS か UTF-8 で保存し直してください。")
			continue
		}
		if len(rec) <= max(keyCol, numCol) {
			problem(line, "列が足りません(%d列)。注文番号と配送番号の列があるか確認してください。", len(rec))
			continue
		}
		row := RowResult{Line: line, Key: strings.TrimSpace(rec[keyCol]), Number: order.NormaliseTrackingNumber(strings.TrimSpace(rec[numCol]))}
		if dateCol >= 0 && dateCol < len(rec) {
			if d := strings.TrimSpace(rec[dateCol]); d != "" {
				t, derr := parseDate(d)
				if derr != nil {
					problem(line, "発送日「%s」が読めません。2026/11/24 の形にしてください。", d)
					continue
				}
				row.ShipDate = t
			}
		}
		if row.Key == "" && row.Number == "" {
			continue
		}
		if len(problems) > 0 {
			continue // only the rest of the problems matter now
		}
		if err := fn(row); err != nil {
			return "", "", err
		}
	}
	if len(problems) > 0 {
		return "", "", &FileError{Problems: problems, More: more}
	}
	return format, carrier, nil
}

// parseDate reads a date as the carrier programs write it: 2026/11/24, 2026-11-24 or 20261124.
func parseDate(s string) (string, error) {
	s = strings.ReplaceAll(s, "-", "/")
	for _, layout := range []string{"2006/1/2", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("bad date %q", s)
}

// headerColumns finds the key, number and date columns of a header row.
func headerColumns(rec []string) (key, number, date int, ok bool) {
	find := func(names []string) int {
		for _, n := range names {
			for i, h := range rec {
				if strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")) == n {
					return i
				}
			}
		}
		return -1
	}
	key, number, date = find(keyHeaders), find(numberHeaders), find(dateHeaders)
	return key, number, date, key >= 0 && number >= 0
}

// CheckTracking reads a tracking file and matches each row to its order, checking the number
// for the carrier and the ship date for the order, without changing anything: the report the
// operator confirms. Rows are matched a page of orders at a time.
func CheckTracking(ctx context.Context, st store.Store, r io.Reader, opts TrackingOptions) (*TrackingReport, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.ShipDate == "" {
		opts.ShipDate = opts.Now.In(order.JST).Format(time.DateOnly)
	} else if d, err := order.ParseDay(opts.ShipDate, "発送日"); err != nil {
		return nil, err
	} else {
		opts.ShipDate = d.Format(time.DateOnly)
	}
	if opts.Carrier != "" {
		if _, ok := channel.CarrierByCode(opts.Carrier); !ok {
			return nil, apperror.New(apperror.Invalid, "配送会社コード「%s」は登録されていません。配送会社を選び直してください。", opts.Carrier)
		}
	}
	m := &matcher{st: st, opts: opts, seen: map[string]string{}}
	if err := m.loadShops(ctx); err != nil {
		return nil, err
	}
	var batch []RowResult
	rep := &TrackingReport{Counts: map[Outcome]int{}}
	progress := ProgressOf(ctx) // the rows checked, for the page waiting on the report
	format, carrier, err := ReadTracking(progress.Reader(r), func(row RowResult) error {
		progress.AddRows(1)
		if batch = append(batch, row); len(batch) == store.MaxPageSize {
			if err := m.match(ctx, batch, rep); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.opts.Carrier = cmpOr(opts.Carrier, carrier)
	if m.opts.Carrier == "" {
		return nil, apperror.New(apperror.Invalid, "このファイルからは配送会社が分かりません。配送会社を選んでから取り込んでください。")
	}
	rep.Format, rep.Carrier = format, m.opts.Carrier
	if err := m.match(ctx, batch, rep); err != nil {
		return nil, err
	}
	// the carrier may only be known at the end (from the header, or chosen): numbers are
	// checked once every row is matched
	for i := range rep.Rows {
		m.check(&rep.Rows[i])
	}
	for _, row := range rep.Rows {
		rep.Counts[row.Outcome]++
	}
	if len(rep.Rows) == 0 {
		return nil, apperror.New(apperror.Invalid, "ファイルに取り込める行がありません。配送番号の列があるか確認してください。")
	}
	return rep, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// matcher matches rows to orders.
type matcher struct {
	st    store.Store
	opts  TrackingOptions
	shops []shop.Shop
	// seen maps an order's package already given a number in this file to that number.
	seen   map[string]string
	orders map[int64]*order.Order
}

func (m *matcher) loadShops(ctx context.Context) error {
	if m.opts.ShopID != 0 {
		sh, err := m.st.GetShop(ctx, m.opts.ShopID)
		m.shops = []shop.Shop{sh}
		return err
	}
	var err error
	m.shops, err = m.st.ListShops(ctx)
	return err
}

// match finds the orders of a batch of rows and appends the rows to the report.
func (m *matcher) match(ctx context.Context, batch []RowResult, rep *TrackingReport) error {
	if len(batch) == 0 {
		return nil
	}
	var ids []int64
	for _, r := range batch {
		if id, _, ok := ParseOrderKey(r.Key); ok {
			ids = append(ids, id)
		}
	}
	byID := map[int64]*order.Order{}
	if len(ids) > 0 {
		orders, err := m.st.GetOrders(ctx, ids)
		if err != nil {
			return err
		}
		for i := range orders {
			byID[orders[i].ID] = &orders[i]
		}
	}
	for _, r := range batch {
		r.ShipDate = cmpOr(r.ShipDate, m.opts.ShipDate)
		o, n, err := m.find(ctx, r.Key, byID)
		if err != nil {
			return err
		}
		switch {
		case o == nil:
			r.Outcome, r.Message = UnknownOrder, fmt.Sprintf("「%s」に当たる注文が見つかりません。お客様管理番号(IC…)か注文番号を確認してください。", r.Key)
		default:
			r.OrderID, r.OrderNumber, r.version = o.ID, o.Number, o.Version
			m.place(&r, o, n)
		}
		rep.Rows = append(rep.Rows, r)
	}
	return nil
}

// find looks a key up: an OrderKey by id, anything else as a marketplace order number.
func (m *matcher) find(ctx context.Context, key string, byID map[int64]*order.Order) (*order.Order, int, error) {
	if id, n, ok := ParseOrderKey(key); ok {
		o := byID[id]
		if o != nil && m.opts.ShopID != 0 && o.ShopID != m.opts.ShopID {
			return nil, 0, nil
		}
		return o, n, nil
	}
	var found *order.Order
	for _, sh := range m.shops {
		o, err := m.st.GetOrderByNumber(ctx, sh.ID, key)
		if apperror.CodeOf(err) == apperror.NotFound {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if found != nil {
			return nil, 0, nil // in two shops: the operator narrows to one
		}
		found = &o
	}
	return found, 0, nil
}

// place checks what the order allows: a package to put the number on, an order that ships,
// no other number there already, and no second number for it in this file.
func (m *matcher) place(r *RowResult, o *order.Order, n int) {
	switch {
	case o.ManagementClass == order.BundleChild:
		r.Outcome, r.Message = NotShippable, "同梱子の注文です。同梱親の注文の番号として登録してください。"
		return
	case o.MarketplaceStatus.Cancelled():
		r.Outcome, r.Message = NotShippable, "キャンセルされた注文です。送り状を取り消してください。"
		return
	case len(o.Packages) == 0:
		r.Outcome, r.Message = NotShippable, "お届け先がない注文です。"
		return
	case n > len(o.Packages) || n == 0 && len(o.Packages) > 1:
		r.Outcome, r.Message = UnknownOrder, fmt.Sprintf("注文 %s には送付先が%d件あります。お客様管理番号の「-番号」で送付先を指定してください。", o.Number, len(o.Packages))
		return
	}
	r.pkgKey = o.Packages[max(n, 1)-1].Key
	for _, s := range o.Shipments {
		if s.PackageKey != r.pkgKey || s.TrackingNumber == "" {
			continue
		}
		if s.TrackingNumber == r.Number {
			r.Outcome, r.Message = Unchanged, "同じ配送番号が登録済みです。"
		} else {
			r.Outcome, r.Message = AlreadyShipped, fmt.Sprintf("配送番号「%s」で出荷済みです。番号を変えるときは注文画面で修正してください。", s.TrackingNumber)
		}
		return
	}
	slot := fmt.Sprintf("%d/%s", o.ID, r.pkgKey)
	if prev, ok := m.seen[slot]; ok && prev != r.Number {
		r.Outcome, r.Message = AlreadyShipped, fmt.Sprintf("同じ注文の配送番号がファイルの前の行にあります(%s)。1つの送付先に登録できる番号は1つです。", prev)
		return
	} else if ok {
		r.Outcome, r.Message = Unchanged, "同じ配送番号がファイルの前の行にあります。"
		return
	}
	m.seen[slot] = r.Number
	r.Outcome = Matched
	if m.orders == nil {
		m.orders = map[int64]*order.Order{}
	}
	// what the check needs of the order: a 50,000-row file keeps no lines or payloads
	kept := *o
	kept.Lines, kept.RawPayload, kept.Shipments = nil, nil, nil
	m.orders[o.ID] = &kept
}

// check checks a matched row's number for the carrier and its ship date for the order.
func (m *matcher) check(r *RowResult) {
	if r.Outcome != Matched {
		return
	}
	o := m.orders[r.OrderID]
	s := order.Shipment{PackageKey: r.pkgKey, ShipDate: r.ShipDate, Carrier: m.opts.Carrier, TrackingNumber: r.Number}
	if _, problems := channel.CheckShipmentFor(*o, s, m.opts.Now); len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Message
		}
		r.Outcome, r.Message = InvalidNumber, strings.Join(msgs, " ")
	}
}

// Mover moves orders to a phase inside a transaction and queues the rule of that phase
// (jobs.Queue).
type Mover interface {
	MoveOrdersTx(ctx context.Context, st store.Store, tx store.Tx, ids []int64, phaseID int64, actor string) ([]int64, error)
}

// Applied is what ApplyTracking did.
type Applied struct {
	Orders int     `json:"orders"`
	Rows   int     `json:"rows"`
	Moved  []int64 `json:"moved,omitempty"`
}

// ApplyTracking saves the numbers of the report's matched rows (ship date, carrier, number on
// the row's package; the order's other packages keep theirs) and, with a phase, moves those
// orders there, all in one transaction: an order changed since the report was made refuses the
// whole file, and nothing is half-applied.
func ApplyTracking(ctx context.Context, st store.Store, mover Mover, rep *TrackingReport, phaseID int64, actor string) (Applied, error) {
	type change struct {
		version   int64
		shipments []order.Shipment
	}
	byOrder := map[int64]*change{}
	var ids []int64
	var out Applied
	for _, r := range rep.Rows {
		if r.Outcome != Matched {
			continue
		}
		c := byOrder[r.OrderID]
		if c == nil {
			c = &change{version: r.version}
			byOrder[r.OrderID] = c
			ids = append(ids, r.OrderID)
		}
		c.shipments = append(c.shipments, order.Shipment{PackageKey: r.pkgKey, ShipDate: r.ShipDate, Carrier: rep.Carrier, TrackingNumber: r.Number})
		out.Rows++
	}
	if len(ids) == 0 {
		return out, apperror.New(apperror.Invalid, "登録できる行がありません。レポートの各行の理由を確認してください。")
	}
	err := st.InTx(ctx, func(tx store.Tx) error {
		for start := 0; start < len(ids); start += store.MaxPageSize {
			page := ids[start:min(start+store.MaxPageSize, len(ids))]
			current, err := st.GetOrders(ctx, page)
			if err != nil {
				return err
			}
			updates := make([]store.ShipmentUpdate, 0, len(current))
			for _, o := range current {
				c := byOrder[o.ID]
				if o.Version != c.version {
					return apperror.New(apperror.Conflict, "注文 %s がレポートの作成後に変更されました。何も登録していません。ファイルをもう一度確認してから登録してください。", o.Number)
				}
				shipments := slices.DeleteFunc(slices.Clone(o.Shipments), func(s order.Shipment) bool {
					return slices.ContainsFunc(c.shipments, func(n order.Shipment) bool { return n.PackageKey == s.PackageKey })
				})
				updates = append(updates, store.ShipmentUpdate{OrderID: o.ID, Version: o.Version, Shipments: append(shipments, c.shipments...)})
			}
			if len(current) != len(page) {
				return apperror.New(apperror.Conflict, "レポートの注文の一部が削除されました。何も登録していません。ファイルをもう一度確認してください。")
			}
			// the versions are checked again as they are bumped: a change since the read refuses all
			if err := tx.UpdateShipmentsMany(ctx, updates, actor); err != nil {
				return err
			}
		}
		if phaseID == 0 {
			return nil
		}
		var err error
		out.Moved, err = mover.MoveOrdersTx(ctx, st, tx, ids, phaseID, actor)
		return err
	})
	if err != nil {
		return Applied{}, err
	}
	out.Orders = len(ids)
	return out, nil
}
