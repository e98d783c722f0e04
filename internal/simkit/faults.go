package simkit

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Faults are the failures a simulator injects, set through PUT /_sim/faults.
type Faults struct {
	// Latency is added to every request.
	Latency Duration `json:"latency"`
	// TimeoutAfterWrite is the share (0–1) of writes that are applied and then never answered:
	// the client times out not knowing whether the write took effect.
	TimeoutAfterWrite float64 `json:"timeout_after_write"`
	// TooManyRequests is the share (0–1) of requests refused as over quota, on top of the quota.
	TooManyRequests float64 `json:"too_many_requests"`
	// MaintenanceUntil answers every request with the channel's maintenance error until then
	// (simulated time).
	MaintenanceUntil time.Time `json:"maintenance_until"`
	// HTMLPage is the share (0–1) of requests answered HTTP 200 with an HTML maintenance page
	// (text/html) instead of the API's own format, as a load balancer or CDN in front of the API
	// does during an unannounced outage.
	HTMLPage float64 `json:"html_page"`
	// ErrorInOK is the share (0–1) of requests answered HTTP 200 carrying the API's own error
	// (Rakuten: an ERROR in MessageModelList; au PAY: status 1), nothing applied.
	ErrorInOK float64 `json:"error_in_ok"`
	// OversizeBytes pads every API answer with trailing whitespace (still valid JSON or XML) to
	// at least this many bytes, sent chunked without a Content-Length: an answer larger than
	// the marketplace can legitimately send.
	OversizeBytes int64 `json:"oversize_bytes"`
	// Operations, when set, limits HTMLPage, ErrorInOK and OversizeBytes to these operations
	// (e.g. ["getOrder"]).
	Operations []string `json:"operations,omitempty"`
}

// applies says whether the answer faults apply to an operation.
func (f Faults) applies(operation string) bool {
	return len(f.Operations) == 0 || slices.Contains(f.Operations, operation)
}

// FaultSet holds the current faults and draws from them.
type FaultSet struct {
	mu     sync.Mutex
	faults Faults
	rnd    *rand.Rand
}

// NewFaultSet returns a fault set with no faults, drawing from a seeded source so that a run can
// be repeated.
func NewFaultSet(seed uint64) *FaultSet {
	return &FaultSet{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Get returns the current faults.
func (f *FaultSet) Get() Faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.faults
}

// Set replaces the faults.
func (f *FaultSet) Set(v Faults) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = v
}

func (f *FaultSet) draw(share float64) bool {
	if share <= 0 {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rnd.Float64() < share
}

// HangAfterWrite is called by a handler once it has applied a write. When the draw says so, it
// never answers: it waits until the client gives up (or a minute) and aborts the response, so
// the client sees a timeout although the write took effect.
func (s *Sim) HangAfterWrite(w http.ResponseWriter, r *http.Request) {
	if !s.Faults.draw(s.Faults.Get().TimeoutAfterWrite) {
		return
	}
	s.Counters.add(&s.Counters.counts.HungWrites)
	select {
	case <-r.Context().Done():
	case <-time.After(time.Minute):
	}
	panic(http.ErrAbortHandler)
}

// MaintenancePage is the HTML page the HTMLPage fault answers with.
const MaintenancePage = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>ただいまメンテナンス中です</title></head>
<body><h1>ただいまメンテナンス中です</h1><p>ご迷惑をおかけしております。しばらく時間をおいてから再度アクセスしてください。</p></body></html>
`

// writeHTMLPage answers 200 with the maintenance page.
func writeHTMLPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(MaintenancePage))
}

// Padded returns w, or when the OversizeBytes fault is set, a writer that counts what the
// handler writes, and a function to call once the handler is done: it pads the answer with
// whitespace up to OversizeBytes, in pieces, so the simulator itself holds no large answer.
func (s *Sim) Padded(w http.ResponseWriter, operation string) (http.ResponseWriter, func()) {
	f := s.Faults.Get()
	size := f.OversizeBytes
	if size <= 0 || !f.applies(operation) {
		return w, func() {}
	}
	cw := &countingWriter{ResponseWriter: w}
	return cw, func() {
		chunk := make([]byte, 64<<10)
		for i := range chunk {
			chunk[i] = ' '
		}
		for cw.n < size {
			if _, err := cw.Write(chunk[:min(int64(len(chunk)), size-cw.n)]); err != nil {
				return // the client stopped reading
			}
		}
	}
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}
