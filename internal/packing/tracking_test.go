package packing_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// trackingNumber is a valid 12-digit number: eleven digits and their remainder by 7.
func trackingNumber(base int64) string {
	return fmt.Sprintf("%011d%d", base, base%7)
}

// issued turns a label file into what the carrier program exports once the slips are printed:
// the same layout with the slip number column filled (B2's 入出力用 layout, carriers-and-mail.md
// A1), in CP932. number gives each data row's number.
func issued(t *testing.T, labels [][]string, numberHeader string, number func(i int) string) io.Reader {
	t.Helper()
	c := -1
	for i, h := range labels[0] {
		if h == numberHeader {
			c = i
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(japanese.ShiftJIS.NewEncoder().Writer(&buf))
	w.UseCRLF = true
	_ = w.Write(labels[0])
	for i, r := range labels[1:] {
		r = append([]string(nil), r...)
		r[c] = number(i)
		_ = w.Write(r)
	}
	w.Flush()
	return &buf
}

type noMove struct{}

func (noMove) MoveOrdersTx(context.Context, store.Store, store.Tx, []int64, int64, string) ([]int64, error) {
	return nil, nil
}

func TestB2IssuedDataRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	f, err := packing.WriteLabels(ctx, b.st, b.ids(), packing.LabelOptions{Layout: packing.Yamato, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	labels := read(t, f)
	// B2 writes numbers with hyphens; the second slip has a typo in its check digit.
	numbers := []string{"4444-1375-8703", "444413758704", trackingNumber(12345678901)}
	rep, err := packing.CheckTracking(ctx, b.st, issued(t, labels, "伝票番号", func(i int) string { return numbers[i] }), packing.TrackingOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Carrier != "1001" || !strings.Contains(rep.Format, "B2") || !strings.Contains(rep.Format, "Shift_JIS") {
		t.Fatalf("read as %q carrier %q", rep.Format, rep.Carrier)
	}
	if rep.Counts[packing.Matched] != 2 || rep.Counts[packing.InvalidNumber] != 1 || rep.Rows[1].Line != 3 || !strings.Contains(rep.Rows[1].Message, "チェックデジット") {
		t.Fatalf("report %+v", rep)
	}
	applied, err := packing.ApplyTracking(ctx, b.st, noMove{}, rep, 0, "packer")
	if err != nil || applied.Orders != 2 {
		t.Fatalf("applied %+v: %v", applied, err)
	}
	got, _ := b.st.GetOrder(ctx, b.orders[0].ID)
	if len(got.Shipments) != 1 || got.Shipments[0].TrackingNumber != "444413758703" || got.Shipments[0].Carrier != "1001" || got.Shipments[0].ShipDate != "2026-11-24" {
		t.Fatalf("shipments %+v", got.Shipments)
	}
	if cod, _ := b.st.GetOrder(ctx, b.orders[1].ID); len(cod.Shipments) != 0 {
		t.Fatalf("the invalid row was saved: %+v", cod.Shipments)
	}
	// The same file again: already there; with another number: already shipped.
	rep, err = packing.CheckTracking(ctx, b.st, issued(t, labels, "伝票番号", func(i int) string { return []string{"444413758703", "", trackingNumber(98765432109)}[i] }), packing.TrackingOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows[0].Outcome != packing.Unchanged || rep.Rows[2].Outcome != packing.AlreadyShipped {
		t.Fatalf("second report %+v", rep.Rows)
	}
}

// A plain two-column file with the marketplace's order numbers, in UTF-8: unknown orders are
// reported, not guessed; the carrier must be chosen.
func TestTwoColumnFileMatchesMarketplaceNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	file := fmt.Sprintf("%s,%s\n338005-NOPE,%s\n%s,%s,2026/11/23\n", b.orders[0].Number, trackingNumber(11111111111), trackingNumber(22222222222),
		b.orders[3].Number, trackingNumber(33333333333))
	if _, err := packing.CheckTracking(ctx, b.st, strings.NewReader(file), packing.TrackingOptions{Now: now}); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "配送会社を選んで") {
		t.Fatalf("no carrier: %v", err)
	}
	rep, err := packing.CheckTracking(ctx, b.st, strings.NewReader(file), packing.TrackingOptions{Now: now, Carrier: "1002"})
	if err != nil {
		t.Fatal(err)
	}
	want := []packing.Outcome{packing.Matched, packing.UnknownOrder, packing.NotShippable}
	for i, w := range want {
		if rep.Rows[i].Outcome != w || rep.Rows[i].Line != i+1 {
			t.Fatalf("row %d: %+v, want %s", i, rep.Rows[i], w)
		}
	}
}

// Broken files are refused whole, each broken row named by its line and what to fix.
func TestBrokenTrackingFilesAreRefusedWithLineNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	key := packing.OrderKey(b.orders[0].ID, 1, 1)
	good := key + "," + trackingNumber(11111111111)
	sjisBroken := []byte(good + "\n" + key + ",\x82\xa0\x82\n")
	for name, tc := range map[string]struct {
		file []byte
		want string
	}{
		"missing column": {[]byte(good + "\n" + key + "\n"), "2行目: 列が足りません"},
		"bad date":       {[]byte(good + "\n" + key + "," + trackingNumber(1) + ",11月24日\n"), "2行目: 発送日「11月24日」が読めません"},
		"bad quotes":     {[]byte(good + "\n\"" + key + "," + trackingNumber(1) + "\n"), "CSVとして読めません"},
		"bad encoding":   {append([]byte("お客様管理番号,伝票番号\n"), sjisBroken...), "3行目: 文字コードが読めません"},
	} {
		_, err := packing.CheckTracking(ctx, b.st, bytes.NewReader(tc.file), packing.TrackingOptions{Now: now, Carrier: "1001"})
		if !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "何も登録していません") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// An order changed between the report and the confirmation refuses the whole file.
func TestApplyIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	file := fmt.Sprintf("%s,%s\n%s,%s\n", packing.OrderKey(b.orders[0].ID, 1, 1), trackingNumber(11111111111), packing.OrderKey(b.orders[1].ID, 1, 1), trackingNumber(22222222222))
	rep, err := packing.CheckTracking(ctx, b.st, strings.NewReader(file), packing.TrackingOptions{Now: now, Carrier: "1003"})
	if err != nil || rep.Counts[packing.Matched] != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	o := b.orders[1]
	if err := b.st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}}, "someone"); err != nil {
		t.Fatal(err)
	}
	if _, err := packing.ApplyTracking(ctx, b.st, noMove{}, rep, 0, "packer"); !apperror.Is(err, apperror.Conflict) {
		t.Fatalf("stale report applied: %v", err)
	}
	if first, _ := b.st.GetOrder(ctx, b.orders[0].ID); len(first.Shipments) != 0 {
		t.Fatalf("half applied: %+v", first.Shipments)
	}
}

// ゆうプリR's 発送履歴 export (the header a public PoC transcribed from a real file, CP932) is
// read as Japan Post's; お問い合わせ番号 under another key column names no carrier.
func TestYuPriRShippingHistoryIsJapanPost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	file := "お客様側管理番号,お問い合わせ番号,仮引受確定作業年月日,配送完了作業年月日,配達ステータス集約コード,配達ステータス明細コード\r\n" +
		packing.OrderKey(b.orders[0].ID, 1, 1) + "," + trackingNumber(19371530101) + ",,,10,0A\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(file)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := packing.CheckTracking(ctx, b.st, strings.NewReader(sjis), packing.TrackingOptions{Now: now})
	if err != nil || rep.Carrier != "1003" || !strings.Contains(rep.Format, "ゆうプリR") || rep.Counts[packing.Matched] != 1 || rep.Rows[0].Line != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	other := "注文番号,お問い合わせ番号\n" + b.orders[0].Number + "," + trackingNumber(19371530101) + "\n"
	if _, err := packing.CheckTracking(ctx, b.st, strings.NewReader(other), packing.TrackingOptions{Now: now}); !strings.Contains(fmt.Sprint(err), "配送会社を選んで") {
		t.Fatalf("a plain お問い合わせ番号 file was given a carrier: %v", err)
	}
}
