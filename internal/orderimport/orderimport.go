// Package orderimport is the CSV order intake: orders of a shop without an API (the CSV shop,
// a mall ichigen does not speak yet, phone and fax orders — and the own cart's exports) read
// from a CSV file through a column mapping saved per shop. The file is UTF-8 or Shift_JIS
// (detected), one row per ordered item, rows of one order sharing its order number. A broken
// row (encoding, a missing value, a bad date or amount) refuses the whole file with its line
// number and what to fix; an order already stored is never imported twice.
package orderimport

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// SettingName is the shop setting (store.Store.ShopSetting) the mapping is saved under.
const SettingName = "csv_order_mapping"

// Mapping names, for each order field, the header of the file's column that holds it; "" is a
// field the file does not have. Number, OrderedAt, BuyerName, ItemName, UnitPrice and Quantity
// are required.
type Mapping struct {
	Number        string `json:"number"`
	OrderedAt     string `json:"ordered_at"`
	BuyerName     string `json:"buyer_name"`
	BuyerKana     string `json:"buyer_kana,omitempty"`
	BuyerEmail    string `json:"buyer_email,omitempty"`
	BuyerPhone    string `json:"buyer_phone,omitempty"`
	BuyerZip      string `json:"buyer_zip,omitempty"`
	BuyerAddress  string `json:"buyer_address,omitempty"`
	ShipName      string `json:"ship_name,omitempty"`
	ShipPhone     string `json:"ship_phone,omitempty"`
	ShipZip       string `json:"ship_zip,omitempty"`
	ShipAddress   string `json:"ship_address,omitempty"`
	DeliveryDate  string `json:"delivery_date,omitempty"`
	DeliveryTime  string `json:"delivery_time,omitempty"`
	SKU           string `json:"sku,omitempty"`
	ItemName      string `json:"item_name"`
	UnitPrice     string `json:"unit_price"`
	Quantity      string `json:"quantity"`
	TaxRate       string `json:"tax_rate,omitempty"`
	Postage       string `json:"postage,omitempty"`
	PaymentFee    string `json:"payment_fee,omitempty"`
	PaymentMethod string `json:"payment_method,omitempty"`
	// The own cart's webコレクト card trade (自社カートの店舗だけ): see Trade.
	Trade
}

// Check refuses a mapping without a required column.
func (m Mapping) Check() error {
	var missing []string
	for name, v := range map[string]string{"注文番号": m.Number, "注文日時": m.OrderedAt, "注文者名": m.BuyerName, "商品名": m.ItemName, "単価": m.UnitPrice, "数量": m.Quantity} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return apperror.New(apperror.Invalid, "CSVの列の対応に%sの列がありません。店舗の取込設定で列名を入力してください。", strings.Join(sorted(missing), "、"))
	}
	return nil
}

func sorted(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// MaxRows bounds one file.
const MaxRows = 100_000

// BatchSize is how many orders an import reads before it stores them: the orders of a file are
// held a batch at a time, never the whole file, and every batch goes into the one transaction.
const BatchSize = 500

// Read reads a file into orders, grouping the rows of one order number, in the file's order.
// Any broken row refuses the whole file (a *packing.FileError naming each line). It holds the
// whole file's orders: Import and PreviewImport read it a batch at a time instead.
func Read(r io.Reader, m Mapping) ([]order.Order, error) {
	var all []order.Order
	err := scan(context.Background(), r, m, BatchSize, func(orders []order.Order, _ []int) error {
		all = append(all, orders...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// scan reads a file batch orders at a time and gives each batch, with the line of each order's
// first row, to each; it stops giving batches at the first broken row but reads on to list the
// file's broken rows (up to 20), and then returns them as a *packing.FileError, so a caller
// storing the batches in a transaction rolls them all back. The rows of one order are merged
// within a batch; a row whose order was already given in an earlier batch is a broken row (sort
// the file by order number). Rows are counted on the context's packing.Progress.
func scan(ctx context.Context, r io.Reader, m Mapping, batch int, each func(orders []order.Order, lines []int) error) error {
	if err := m.Check(); err != nil {
		return err
	}
	progress := packing.ProgressOf(ctx)
	in, enc := packing.Decode(r)
	cr := csv.NewReader(in)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return apperror.New(apperror.Invalid, "ファイルが空です。")
	}
	if err != nil {
		return apperror.New(apperror.Invalid, "1行目の見出しがCSVとして読めません。")
	}
	header = append([]string(nil), header...)
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))] = i
	}
	col := func(name string) int {
		if name == "" {
			return -1
		}
		if i, ok := cols[name]; ok {
			return i
		}
		return -2
	}
	var absent []string
	maxCol := -1 // the last column the mapping reads
	for _, name := range []string{m.Number, m.OrderedAt, m.BuyerName, m.BuyerKana, m.BuyerEmail, m.BuyerPhone, m.BuyerZip, m.BuyerAddress, m.ShipName,
		m.ShipPhone, m.ShipZip, m.ShipAddress, m.DeliveryDate, m.DeliveryTime, m.SKU, m.ItemName, m.UnitPrice, m.Quantity, m.TaxRate, m.Postage, m.PaymentFee, m.PaymentMethod,
		m.TraderCode, m.TradeOrderNo, m.TradeAmount, m.AuthorizedAt, m.MemberID, m.AuthKey} {
		if col(name) == -2 {
			absent = append(absent, "「"+name+"」")
		}
		maxCol = max(maxCol, col(name))
	}
	if len(absent) > 0 {
		return apperror.New(apperror.Invalid, "1行目の見出しに列%sがありません(文字コードは%sとして読みました)。ファイルか店舗の取込設定の列名を直すか、文字コードが違えば UTF-8 か Shift_JIS で保存し直してください。", strings.Join(absent, ""), enc)
	}
	fe := &packing.FileError{}
	problem := func(line int, format string, args ...any) {
		if len(fe.Problems) < 20 {
			fe.Problems = append(fe.Problems, fmt.Sprintf("%d行目: ", line)+fmt.Sprintf(format, args...))
		} else {
			fe.More++
		}
	}
	byNumber := map[string]int{} // the batch's orders by number
	var orders []order.Order
	var firstLines []int
	trades := map[int]rowTrade{} // by index in orders
	given := map[string]int{}    // the numbers of the batches given, with their first line
	flush := func() error {
		finish(orders, trades, problem)
		for i, o := range orders {
			given[o.Number] = firstLines[i]
		}
		if len(fe.Problems) == 0 && len(orders) > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := each(orders, firstLines); err != nil {
				return err
			}
		}
		orders, firstLines = make([]order.Order, 0, batch), make([]int, 0, batch)
		clear(byNumber)
		clear(trades)
		return nil
	}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problem(pe.Line, "CSVとして読めません。引用符(\")の対応を確認してください。")
				continue
			}
			return fmt.Errorf("read order file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		progress.AddRows(1)
		if rows++; rows > MaxRows {
			return apperror.New(apperror.Invalid, "1つのファイルで取り込める行は%d行までです。ファイルを分けてください。", MaxRows)
		}
		get := func(name string) string {
			if i := col(name); i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(rec) < len(header) && len(rec) <= maxCol {
			problem(line, "列が足りません(%d列、見出しは%d列)。区切りのカンマが抜けていないか確認してください。", len(rec), len(header))
			continue
		}
		if bad := badEncoding(rec); bad {
			problem(line, "文字コードが読めません。Shift_JIS か UTF-8 で保存し直してください。")
			continue
		}
		number := get(m.Number)
		if number == "" {
			problem(line, "注文番号(列「%s」)が空です。", m.Number)
			continue
		}
		at, err := parseTime(get(m.OrderedAt))
		if err != nil {
			problem(line, "注文日時「%s」が読めません。2026/11/24 10:30 の形にしてください。", get(m.OrderedAt))
			continue
		}
		price, perr := yen(get(m.UnitPrice))
		qty, qerr := strconv.ParseInt(get(m.Quantity), 10, 64)
		if perr != nil || qerr != nil || qty <= 0 {
			problem(line, "単価「%s」・数量「%s」は数字で入力してください。", get(m.UnitPrice), get(m.Quantity))
			continue
		}
		if get(m.ItemName) == "" || get(m.BuyerName) == "" {
			problem(line, "商品名と注文者名は空にできません。")
			continue
		}
		tax := int64(10)
		if v := get(m.TaxRate); v != "" {
			if tax, err = strconv.ParseInt(strings.TrimSuffix(v, "%"), 10, 64); err != nil {
				problem(line, "税率「%s」は 10 や 8 の数字で入力してください。", v)
				continue
			}
		}
		i, seen := byNumber[number]
		if first, ok := given[number]; ok && !seen {
			problem(line, "注文番号「%s」の行が、同じ注文の%d行目から離れています。同じ注文の行は続けて並べる(注文番号で並べ替える)か、ファイルを分けてから取り込んでください。", number, first)
			continue
		}
		if !seen && len(orders) >= batch {
			if err := flush(); err != nil {
				return err
			}
		}
		if !seen {
			buyer := order.Person{Name: get(m.BuyerName), Kana: get(m.BuyerKana), Email: get(m.BuyerEmail), Phone: get(m.BuyerPhone), Zip: get(m.BuyerZip), Address: get(m.BuyerAddress)}
			ship := buyer
			if get(m.ShipName) != "" {
				ship = order.Person{Name: get(m.ShipName), Phone: get(m.ShipPhone), Zip: get(m.ShipZip), Address: get(m.ShipAddress)}
			}
			o := order.Order{Number: number, OrderedAt: at, Buyer: buyer, PaymentMethod: get(m.PaymentMethod),
				Packages:          []order.Package{{Key: "1", ShipTo: ship, DeliveryDate: get(m.DeliveryDate), DeliveryTime: get(m.DeliveryTime)}},
				MarketplaceStatus: order.StatusAwaitingShipment, MarketplaceStatusRaw: "CSV", PaymentStatus: order.Unpaid, Settlement: order.SettlementCommon}
			postage, ferr := optionalYen(get(m.Postage))
			fee, ferr2 := optionalYen(get(m.PaymentFee))
			if ferr != nil || ferr2 != nil {
				problem(line, "送料・手数料は数字で入力してください。")
				continue
			}
			o.Amounts.Postage, o.Amounts.PaymentFee = order.YenOf(postage), order.YenOf(fee)
			tr, msg := readTrade(m.Trade, get)
			if msg != "" {
				problem(line, "%s", msg)
				continue
			}
			if tr.OrderNo != "" {
				tr.line = line
				trades[len(orders)] = tr
			}
			orders = append(orders, o)
			firstLines = append(firstLines, line)
			i = len(orders) - 1
			byNumber[number] = i
		}
		o := &orders[i]
		o.Lines = append(o.Lines, order.Line{PackageKey: "1", SKU: get(m.SKU), Name: get(m.ItemName), UnitPrice: price, Quantity: qty, TaxRate: tax})
	}
	if err := flush(); err != nil {
		return err
	}
	if len(fe.Problems) > 0 {
		return fe
	}
	return nil
}

// finish sets the totals of a batch's orders and their card trades, noting what refuses a row.
func finish(orders []order.Order, trades map[int]rowTrade, problem func(line int, format string, args ...any)) {
	for i := range orders {
		o := &orders[i]
		var goods, tax int64
		for _, l := range o.Lines {
			goods += l.UnitPrice * l.Quantity
			tax += l.UnitPrice * l.Quantity * l.TaxRate / (100 + l.TaxRate)
		}
		postage, _ := o.Amounts.Postage.Value()
		fee, _ := o.Amounts.PaymentFee.Value()
		total := goods + postage + fee
		o.Amounts.Goods, o.Amounts.Tax, o.Amounts.Discount, o.Amounts.Points = order.YenOf(goods), order.YenOf(tax), order.YenOf(0), order.YenOf(0)
		o.Amounts.Total, o.Amounts.Requested = order.YenOf(total), order.YenOf(total)
		o.RawPayload = []byte(fmt.Sprintf(`{"source":"csv","number":%q}`, o.Number))
		if tr, ok := trades[i]; ok {
			if msg := tr.apply(o); msg != "" {
				problem(tr.line, "%s", msg)
			}
		}
	}
}

func badEncoding(rec []string) bool {
	for _, c := range rec {
		if !utf8.ValidString(c) || strings.ContainsRune(c, utf8.RuneError) {
			return true
		}
	}
	return false
}

func parseTime(s string) (time.Time, error) {
	s = strings.ReplaceAll(s, "-", "/")
	for _, layout := range []string{"2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2"} {
		if t, err := time.ParseInLocation(layout, s, order.JST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

func yen(s string) (int64, error) {
	return strconv.ParseInt(strings.NewReplacer(",", "", "円", "", "¥", "", "￥", "").Replace(s), 10, 64)
}

func optionalYen(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	return yen(s)
}

// Result says what an import did.
type Result struct {
	Orders   int `json:"orders"`   // orders in the file
	Inserted int `json:"inserted"` // new ones stored
	Known    int `json:"known"`    // already stored: never imported twice
}

// Import reads a file with the shop's saved mapping and stores its new orders in phaseID, in one
// transaction, BatchSize orders at a time as it reads (memory stays bounded whatever the file's
// size); a broken row rolls back every batch stored before it. Orders already stored are left as
// they are and counted as known. The transaction is open while r is read: a caller reading from
// the network spools the file first (PreviewImport) so a slow upload does not hold the writer.
func Import(ctx context.Context, st store.Store, shopID, phaseID int64, r io.Reader, actor string) (Result, error) {
	m, err := shopMapping(ctx, st, shopID)
	if err != nil {
		return Result{}, err
	}
	p := packing.ProgressOf(ctx)
	defer p.Finish()
	var out Result
	members := map[int64]string{} // order id → cart member, for files that name a member
	err = st.InTx(ctx, func(tx store.Tx) error {
		return scan(ctx, p.Reader(r), m, BatchSize, func(orders []order.Order, _ []int) error {
			res, err := tx.UpsertOrders(ctx, shopID, orders, store.UpsertOptions{PhaseID: phaseID, Actor: actor})
			if err != nil {
				return err
			}
			if m.Trade.named() {
				maps.Copy(members, orderMembers(orders, res.IDs))
			}
			out.Orders, out.Inserted = out.Orders+len(orders), out.Inserted+res.Inserted
			return nil
		})
	})
	if err != nil {
		return Result{}, err
	}
	if len(members) > 0 {
		if err := st.SetOrderMembers(ctx, shopID, members); err != nil {
			return Result{}, err
		}
	}
	out.Known = out.Orders - out.Inserted
	return out, nil
}

// shopMapping is the shop's saved mapping, checked for the shop.
func shopMapping(ctx context.Context, st store.Store, shopID int64) (Mapping, error) {
	var m Mapping
	saved, err := st.ShopSetting(ctx, shopID, SettingName, &m)
	if err != nil {
		return m, err
	}
	if !saved {
		return m, apperror.New(apperror.Invalid, "この店舗にはCSVの列の対応が登録されていません。店舗の取込設定で列名を登録してください。")
	}
	return m, checkTradeShop(ctx, st, shopID, m.Trade)
}
