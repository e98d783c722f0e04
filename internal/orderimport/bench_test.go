package orderimport_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// orderFile is an n-row order file in the test mapping's columns, one order a row, written as
// it is read: the upload as it comes off the wire, never held whole.
type orderFile struct {
	n, i int
	buf  bytes.Buffer
}

func newOrderFile(n int) *orderFile {
	f := &orderFile{n: n}
	f.buf.WriteString("受注番号,受注日,購入者,郵便番号,住所,品名,単価,数量,送料,支払方法\r\n")
	return f
}

func (f *orderFile) Read(p []byte) (int, error) {
	for f.buf.Len() < len(p) && f.i < f.n {
		fmt.Fprintf(&f.buf, "BENCH-%06d,2026/11/20 10:30,山田 太郎,100-0001,東京都千代田区千代田1-1 一元ビル%d階,静岡煎茶 深蒸し 100g 袋入り,1080,2,660,代金引換\r\n", f.i, f.i%9)
		f.i++
	}
	if f.buf.Len() == 0 {
		return 0, io.EOF
	}
	return f.buf.Read(p)
}

// BenchmarkOrderImport50k imports a 50,000-row order file (50,000 new orders) in one
// transaction on each engine: rows/s and the live heap's peak during it.
//
//	go test ./internal/orderimport/ -run '^$' -bench OrderImport50k -benchtime 1x
func BenchmarkOrderImport50k(b *testing.B) {
	const n = 50_000
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				st := e.Open(b)
				shopID, phaseID := benchShop(b, st)
				b.StartTimer()
				stop := storetest.PeakHeap()
				start := time.Now()
				res, err := orderimport.Import(context.Background(), st, shopID, phaseID, newOrderFile(n), "bench")
				if err != nil || res.Inserted != n {
					b.Fatalf("%+v %v", res, err)
				}
				b.ReportMetric(n/time.Since(start).Seconds(), "rows/s")
				b.ReportMetric(stop(), "peak-heap-MiB")
			}
		})
	}
}

func benchShop(b *testing.B, st store.Store) (int64, int64) {
	b.Helper()
	sh, phases := storetest.NewShop(b, st, "bench")
	if err := st.SetShopSetting(context.Background(), sh.ID, orderimport.SettingName, mapping, "bench"); err != nil {
		b.Fatal(err)
	}
	return sh.ID, phases["新規受付"].ID
}
