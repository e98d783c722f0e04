package packing_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// wideFile writes a tracking file of n rows as wide as B2's issued data (its 95 columns, here a
// header with お客様管理番号 and 伝票番号 and ~600 bytes of address, item and sender cells),
// one row per Read: the upload as it comes off the wire, never held whole.
type wideFile struct {
	ids  []int64
	i    int
	buf  bytes.Buffer
	fill string
}

func newWideFile(ids []int64) *wideFile {
	f := &wideFile{ids: ids, fill: strings.Repeat("東京都千代田区千代田1-1 一元茶舗 静岡煎茶,", 12)}
	f.buf.WriteString("お客様管理番号,伝票番号," + strings.Repeat("項目,", 12) + "\n")
	return f
}

func (f *wideFile) Read(p []byte) (int, error) {
	for f.buf.Len() < len(p) && f.i < len(f.ids) {
		base := int64(10000000000 + f.i)
		fmt.Fprintf(&f.buf, "%s,%011d%d,%s\n", packing.OrderKey(f.ids[f.i], 1, 1), base, base%7, f.fill)
		f.i++
	}
	if f.buf.Len() == 0 {
		return 0, io.EOF
	}
	return f.buf.Read(p)
}

// BenchmarkTrackingUploadHeap50k measures the live heap of checking a 50,000-row B2-wide
// tracking upload: "held" reads the body whole first (as the REST API did, huma's RawBody
// []byte), "streamed" reads it as it arrives (the API and the web UI now). Reports the peak.
//
//	go test ./internal/packing/ -run '^$' -bench TrackingUploadHeap -benchtime 1x
func BenchmarkTrackingUploadHeap50k(b *testing.B) {
	const n = 50_000
	st := storetest.SQLite(b)
	ids := seedOrders(b, st, n)
	later := now.Add(40 * 24 * time.Hour)
	for _, mode := range []string{"held", "streamed"} {
		b.Run(mode, func(b *testing.B) {
			for range b.N {
				stop := storetest.PeakHeap()
				var in io.Reader = newWideFile(ids)
				if mode == "held" {
					body, err := io.ReadAll(in)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(body))/(1<<20), "file-MiB")
					in = bytes.NewReader(body)
				}
				rep, err := packing.CheckTracking(context.Background(), st, in, packing.TrackingOptions{Carrier: "1001", Now: later})
				if err != nil || rep.Counts[packing.Matched] != n {
					b.Fatalf("%v %v", rep.Counts, err)
				}
				b.ReportMetric(stop(), "peak-heap-MiB")
				runtime.KeepAlive(rep)
			}
		})
	}
}
