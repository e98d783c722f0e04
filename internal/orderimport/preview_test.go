package orderimport_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/store"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// The dry run reports each order with its first line and whether it would be taken, saves
// nothing, and its confirmation imports the file that was checked without sending it again.
func TestPreviewSavesNothingAndConfirmImportsTheCheckedFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, shopID, phaseID := setup(t)
	// TEL-002 is already stored: the dry run says it is refused
	if _, err := orderimport.Import(ctx, st, shopID, phaseID, strings.NewReader(strings.Join(strings.SplitAfter(file, "\r\n")[0:1], "")+strings.SplitAfter(file, "\r\n")[3]), "tester"); err != nil {
		t.Fatal(err)
	}
	p, err := orderimport.PreviewImport(ctx, st, shopID, phaseID, strings.NewReader(file), "tester", now)
	if err != nil {
		t.Fatal(err)
	}
	if p.Orders != 2 || p.Inserted != 1 || p.Known != 1 || p.Upload == "" {
		t.Fatalf("preview %+v", p)
	}
	want := []orderimport.PreviewRow{
		{Line: 2, Number: "FAX-001", Buyer: "山田 太郎", Items: 2, Total: 1080*2 + 2200 + 660, New: true},
		{Line: 4, Number: "TEL-002", Buyer: "佐藤 花子", Items: 1, Total: 864 * 3, New: false},
	}
	for i, w := range want {
		if p.Rows[i] != w {
			t.Errorf("row %d: %+v, want %+v", i, p.Rows[i], w)
		}
	}
	if page, _ := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID}); page.Total != 1 {
		t.Fatalf("the dry run saved orders: %d stored", page.Total)
	}
	if _, err := orderimport.ConfirmImport(ctx, st, shopID, phaseID, p.Upload, "someone-else", now); !apperror.Is(err, apperror.NotFound) {
		t.Fatalf("another user confirmed: %v", err)
	}
	if _, err := orderimport.ConfirmImport(ctx, st, shopID+1, phaseID, p.Upload, "tester", now); !apperror.Is(err, apperror.Invalid) {
		t.Fatalf("confirmed into another shop: %v", err)
	}
	res, err := orderimport.ConfirmImport(ctx, st, shopID, phaseID, p.Upload, "tester", now)
	if err != nil || res.Inserted != 1 || res.Known != 1 {
		t.Fatalf("confirm %+v %v", res, err)
	}
	if _, err := st.GetOrderByNumber(ctx, shopID, "FAX-001"); err != nil {
		t.Fatal(err)
	}
	if _, err := orderimport.ConfirmImport(ctx, st, shopID, phaseID, p.Upload, "tester", now); !apperror.Is(err, apperror.NotFound) {
		t.Fatalf("confirmed twice: %v", err)
	}
}

// A broken file is refused by the dry run with its lines, and not kept.
func TestPreviewRefusesBrokenRowsWithLineNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, shopID, phaseID := setup(t)
	broken := strings.Replace(file, ",湯呑み,2200,1,660,代金引換", ",湯呑み", 1)
	_, err := orderimport.PreviewImport(ctx, st, shopID, phaseID, strings.NewReader(broken), "tester", now)
	if !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "3行目: 列が足りません(6列、見出しは10列)") {
		t.Fatalf("missing columns: %v", err)
	}
}
