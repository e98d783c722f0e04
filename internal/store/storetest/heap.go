package storetest

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// PeakHeap samples the live heap every millisecond until stop is called, and returns its peak
// in MiB above what was live at the start. A figure to report, not to assert on.
func PeakHeap() (stop func() float64) {
	runtime.GC()
	read := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak-min(peak, base)) / (1 << 20)
	}
}
