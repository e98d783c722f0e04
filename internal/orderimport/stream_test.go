package orderimport_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// batchStore records the size of each UpsertOrders call made in its transactions, and how
// far the file had been read by then.
type batchStore struct {
	store.Store
	file  *orderFile
	calls []int
	read  []int // rows the file had produced at each call
}

func (s *batchStore) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return s.Store.InTx(ctx, func(tx store.Tx) error { return fn(batchTx{tx, s}) })
}

type batchTx struct {
	store.Tx
	s *batchStore
}

func (t batchTx) UpsertOrders(ctx context.Context, shopID int64, orders []order.Order, opts store.UpsertOptions) (store.UpsertResult, error) {
	t.s.calls = append(t.s.calls, len(orders))
	t.s.read = append(t.s.read, t.s.file.i)
	return t.Tx.UpsertOrders(ctx, shopID, orders, opts)
}

// TestImportStoresBatchesAsItReads: a file of 1,250 orders is stored 500 orders at a time, the
// first batch before the file was read to its end, all in the one transaction.
func TestImportStoresBatchesAsItReads(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, st store.Store, shopID, phaseID int64) {
		ctx := context.Background()
		const n = 1250
		bs := &batchStore{Store: st, file: newOrderFile(n)}
		res, err := orderimport.Import(ctx, bs, shopID, phaseID, bs.file, "tester")
		if err != nil || res.Orders != n || res.Inserted != n {
			t.Fatalf("%+v %v", res, err)
		}
		if fmt.Sprint(bs.calls) != fmt.Sprint([]int{500, 500, 250}) {
			t.Fatalf("batches %v, want [500 500 250]", bs.calls)
		}
		if bs.read[0] >= n {
			t.Fatalf("the first batch was stored after the whole file was read (%d rows)", bs.read[0])
		}
		if page, _ := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID}); page.Total != n {
			t.Fatalf("%d orders stored", page.Total)
		}
	})
}

// TestABrokenRowAfterABatchRollsBackEveryBatch: the file is all or nothing though its first
// batches were stored before the broken row was read; an order whose rows are split across
// batches is refused with both lines, as is the broken row.
func TestABrokenRowAfterABatchRollsBackEveryBatch(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, st store.Store, shopID, phaseID int64) {
		ctx := context.Background()
		var b strings.Builder
		b.WriteString("受注番号,受注日,購入者,郵便番号,住所,品名,単価,数量,送料,支払方法\r\n")
		for i := range 700 {
			fmt.Fprintf(&b, "N-%04d,2026/11/20 10:30,山田 太郎,100-0001,東京都,煎茶,1080,1,660,代金引換\r\n", i)
		}
		b.WriteString("N-0001,2026/11/20 10:30,山田 太郎,100-0001,東京都,湯呑み,2200,1,660,代金引換\r\n") // line 702
		b.WriteString("N-9999,11月20日,山田 太郎,100-0001,東京都,煎茶,1080,1,660,代金引換\r\n")            // line 703
		_, err := orderimport.Import(ctx, st, shopID, phaseID, strings.NewReader(b.String()), "tester")
		if !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "702行目: 注文番号「N-0001」の行が、同じ注文の3行目から離れています") ||
			!strings.Contains(err.Error(), "703行目: 注文日時「11月20日」が読めません") {
			t.Fatalf("%v", err)
		}
		if page, _ := st.SearchOrders(ctx, store.OrderQuery{ShopID: shopID}); page.Total != 0 {
			t.Fatalf("%d orders stored from a refused file", page.Total)
		}
	})
}

// onEachEngine runs test on a shop with the test mapping on each store engine.
func onEachEngine(t *testing.T, test func(t *testing.T, st store.Store, shopID, phaseID int64)) {
	t.Helper()
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			st := e.Open(t)
			sh, phases := storetest.NewShop(t, st, "fax")
			if err := st.SetShopSetting(context.Background(), sh.ID, orderimport.SettingName, mapping, "t"); err != nil {
				t.Fatal(err)
			}
			test(t, st, sh.ID, phases["新規受付"].ID)
		})
	}
}

// TestImportCountsItsRowsOnTheProgress: the context's Progress counts every row checked and
// every byte read, and is done when the import returns.
func TestImportCountsItsRowsOnTheProgress(t *testing.T) {
	t.Parallel()
	st, shopID, phaseID := setup(t)
	p := packing.NewProgressBoard(0, 1).Start("tester", "k")
	ctx := packing.WithProgress(context.Background(), p)
	if _, err := orderimport.Import(ctx, st, shopID, phaseID, strings.NewReader(file), "tester"); err != nil {
		t.Fatal(err)
	}
	if got := p.Snapshot(); got.Rows != 3 || got.Bytes != int64(len(file)) || !got.Done {
		t.Fatalf("%+v, want 3 rows, %d bytes, done", got, len(file))
	}
}
