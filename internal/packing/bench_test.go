package packing_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// seedOrders stores n orders and their shop's sender, and returns the ids.
func seedOrders(b *testing.B, st store.Store, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	sh, phases := storetest.NewShop(b, st, "bench")
	if err := st.SetShopSender(ctx, sh.ID, testSender, "bench"); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for start := 0; start < n; start += 1000 {
		res, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(start+1, min(1000, n-start), now.Add(-48*time.Hour)), store.UpsertOptions{PhaseID: phases["新規受付"].ID})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, res.IDs...)
	}
	return ids
}

// peakRSS resets the process's peak resident set (Linux clear_refs 5) and returns a function
// reading it in MiB; 0 where /proc does not offer it.
func peakRSS() func() float64 {
	debug.FreeOSMemory() // what seeding the store left behind is not the import's
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return func() float64 {
		raw, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				return kb / 1024
			}
		}
		return 0
	}
}

// BenchmarkTrackingImport50k checks and applies a 50,000-row two-column tracking file in one
// transaction, on each engine: rows/s and the peak RSS during it.
//
//	go test ./internal/packing/ -run '^$' -bench TrackingImport -benchtime 1x
func BenchmarkTrackingImport50k(b *testing.B) {
	const n = 50_000
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				st := e.Open(b)
				ids := seedOrders(b, st, n)
				var file bytes.Buffer
				for i, id := range ids {
					base := int64(10000000000 + i)
					fmt.Fprintf(&file, "%s,%011d%d\n", packing.OrderKey(id, 1, 1), base, base%7)
				}
				peak := peakRSS()
				b.StartTimer()
				start := time.Now()
				// the orders are a minute apart, 50,000 minutes in all: shipped after the last
				later := now.Add(40 * 24 * time.Hour)
				rep, err := packing.CheckTracking(context.Background(), st, bytes.NewReader(file.Bytes()), packing.TrackingOptions{Carrier: "1001", Now: later})
				if err != nil {
					b.Fatal(err)
				}
				checked := time.Since(start)
				applied, err := packing.ApplyTracking(context.Background(), st, noMove{}, rep, 0, "bench")
				if err != nil || applied.Rows != n {
					b.Fatalf("applied %+v: %v", applied, err)
				}
				total := time.Since(start)
				b.ReportMetric(n/total.Seconds(), "rows/s")
				b.ReportMetric(n/checked.Seconds(), "checked-rows/s")
				b.ReportMetric(peak(), "peak-RSS-MiB")
			}
		})
	}
}

// BenchmarkLabels10k writes the B2 label file of 10,000 orders.
func BenchmarkLabels10k(b *testing.B) {
	const n = 10_000
	st := storetest.SQLite(b)
	ids := seedOrders(b, st, n)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		f, err := packing.WriteLabels(context.Background(), st, ids, packing.LabelOptions{Layout: packing.Yamato, Now: now})
		if err != nil || f.Rows != n {
			b.Fatalf("%v", err)
		}
		b.ReportMetric(n/time.Since(start).Seconds(), "orders/s")
		b.ReportMetric(float64(f.Size)/(1<<20), "MiB")
		_ = f.Close()
	}
}
