package simkit

import (
	"math/rand/v2"
	"net/http"
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
