package simkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config sets up a simulator.
type Config struct {
	// QuotaPerSecond is the requests per second allowed per credential; 0 means unlimited.
	QuotaPerSecond float64
	// Seed makes fault draws and generated orders repeatable.
	Seed uint64
}

// Sim is the shared machinery of one simulator.
type Sim struct {
	Clock    *Clock
	Faults   *FaultSet
	Counters *Counters
	Gen      *Generator

	quotaMu  sync.Mutex
	quota    rate.Limit
	limiters map[string]*rate.Limiter
	// last is when each credential's previous request arrived, for the spacing the simulator
	// sees (Counts.MinSpacing).
	last   map[string]time.Time
	lastOp map[string]string
}

// New returns a Sim.
func New(cfg Config) *Sim {
	s := &Sim{Clock: NewClock(), Faults: NewFaultSet(cfg.Seed), Counters: newCounters(), Gen: NewGenerator(cfg.Seed), limiters: map[string]*rate.Limiter{}, last: map[string]time.Time{}, lastOp: map[string]string{}}
	s.SetQuota(cfg.QuotaPerSecond)
	return s
}

// SetQuota changes the requests per second allowed per credential (0: unlimited).
func (s *Sim) SetQuota(perSecond float64) {
	s.quotaMu.Lock()
	defer s.quotaMu.Unlock()
	s.quota = rate.Limit(perSecond)
	if perSecond <= 0 {
		s.quota = rate.Inf
	}
	s.limiters = map[string]*rate.Limiter{}
	s.last, s.lastOp = map[string]time.Time{}, map[string]string{}
}

// arrived notes a request of a credential for operation at now and returns the time since its
// previous one (0 for the first) and the two operations.
func (s *Sim) arrived(key, operation string, now time.Time) (time.Duration, string) {
	s.quotaMu.Lock()
	defer s.quotaMu.Unlock()
	prev, ok := s.last[key]
	prevOp := s.lastOp[key]
	s.last[key], s.lastOp[key] = now, operation
	if !ok {
		return 0, ""
	}
	return now.Sub(prev), prevOp + " → " + operation
}

// step is the spacing the quota asks between two requests of one credential (0: unlimited).
func (s *Sim) step() time.Duration {
	s.quotaMu.Lock()
	defer s.quotaMu.Unlock()
	if s.quota == rate.Inf || s.quota <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / float64(s.quota))
}

func (s *Sim) allow(key string) bool {
	s.quotaMu.Lock()
	l, ok := s.limiters[key]
	if !ok {
		l = rate.NewLimiter(s.quota, 1)
		s.limiters[key] = l
	}
	s.quotaMu.Unlock()
	return l.Allow()
}

// Refusals are a channel's own answers for the gateway-level failures.
type Refusals interface {
	// Throttled writes the channel's over-quota answer (HTTP 429).
	Throttled(w http.ResponseWriter)
	// Maintenance writes the channel's maintenance answer (HTTP 503).
	Maintenance(w http.ResponseWriter)
	// ErrorInOK writes the channel's own error for operation inside an HTTP 200 (the ErrorInOK
	// fault): nothing is applied.
	ErrorInOK(w http.ResponseWriter, operation string)
}

// OverQuotaRefusal is a Refusals whose marketplace answers a request over the quota itself
// otherwise than an injected 429 (a marketplace that blocks the caller for a while).
type OverQuotaRefusal interface {
	// OverQuota writes the answer to key's request over the quota.
	OverQuota(w http.ResponseWriter, key string)
}

// Guard runs before a channel handles a request authenticated as key: it adds the latency,
// answers during maintenance, draws injected 429s and enforces the quota. It reports whether the
// channel should go on.
func (s *Sim) Guard(w http.ResponseWriter, r *http.Request, key, operation string, ref Refusals) bool {
	s.Counters.add(&s.Counters.counts.Requests)
	s.Counters.Operation(operation)
	// The spacing is taken as the request arrives, before any injected latency: it is what a
	// marketplace's gateway measures.
	if gap, ops := s.arrived(key, operation, time.Now()); gap > 0 {
		s.Counters.spacing(gap, s.step(), ops)
	}
	f := s.Faults.Get()
	if f.Latency > 0 {
		select {
		case <-time.After(time.Duration(f.Latency)):
		case <-r.Context().Done():
			return false
		}
	}
	if !f.MaintenanceUntil.IsZero() && s.Clock.Now().Before(f.MaintenanceUntil) {
		s.Counters.add(&s.Counters.counts.Maintained)
		ref.Maintenance(w)
		return false
	}
	if !s.allow(key) {
		s.Counters.add(&s.Counters.counts.OverQuota)
		s.Counters.add(&s.Counters.counts.Throttled)
		if oq, ok := ref.(OverQuotaRefusal); ok {
			oq.OverQuota(w, key)
		} else {
			ref.Throttled(w)
		}
		return false
	}
	if s.Faults.draw(f.TooManyRequests) {
		s.Counters.add(&s.Counters.counts.Throttled)
		ref.Throttled(w)
		return false
	}
	if !f.applies(operation) {
		return true
	}
	if s.Faults.draw(f.HTMLPage) {
		writeHTMLPage(w)
		return false
	}
	if s.Faults.draw(f.ErrorInOK) {
		ref.ErrorInOK(w, operation)
		return false
	}
	return true
}

// AuthFailed counts a refused credential.
func (s *Sim) AuthFailed() { s.Counters.add(&s.Counters.counts.AuthFailed) }

// Mount adds the shared control API under /_sim/ to mux:
//
//	GET  /_sim/faults            the faults in force
//	PUT  /_sim/faults            replace them: {"latency":"200ms","timeout_after_write":0.1,"too_many_requests":0.05,
//	                             "html_page":0.1,"error_in_ok":0.1,"oversize_bytes":209715200,"operations":["getOrder"]}
//	POST /_sim/maintenance       {"for":"10m"}: a maintenance window from now
//	POST /_sim/clock             {"advance":"24h"}: move the simulated clock
//	GET  /_sim/counters          requests, 429s, writes per order, duplicate writes
//	DELETE /_sim/counters        reset them
//	PUT  /_sim/quota             {"per_second":1}
func (s *Sim) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/faults", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, http.StatusOK, s.Faults.Get()) })
	mux.HandleFunc("PUT /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if !ReadJSON(w, r, &f) {
			return
		}
		s.Faults.Set(f)
		WriteJSON(w, http.StatusOK, f)
	})
	mux.HandleFunc("POST /_sim/maintenance", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			For Duration `json:"for"`
		}
		if !ReadJSON(w, r, &req) {
			return
		}
		f := s.Faults.Get()
		f.MaintenanceUntil = s.Clock.Now().Add(time.Duration(req.For))
		s.Faults.Set(f)
		WriteJSON(w, http.StatusOK, f)
	})
	mux.HandleFunc("POST /_sim/clock", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Advance Duration `json:"advance"`
		}
		if !ReadJSON(w, r, &req) {
			return
		}
		if req.Advance < 0 {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "the clock only moves forward"})
			return
		}
		s.Clock.Advance(time.Duration(req.Advance))
		WriteJSON(w, http.StatusOK, map[string]time.Time{"now": s.Clock.Now()})
	})
	mux.HandleFunc("GET /_sim/counters", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, http.StatusOK, s.Counters.Snapshot()) })
	mux.HandleFunc("DELETE /_sim/counters", func(w http.ResponseWriter, r *http.Request) {
		s.Counters.mu.Lock()
		s.Counters.counts = newCounters().counts
		s.Counters.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("PUT /_sim/quota", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			PerSecond float64 `json:"per_second"`
		}
		if !ReadJSON(w, r, &req) {
			return
		}
		s.SetQuota(req.PerSecond)
		WriteJSON(w, http.StatusOK, req)
	})
}

// WriteJSON writes v as a JSON answer.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ReadJSON decodes a control request, answering 400 with the reason when it cannot.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		WriteJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("bad request body: %v", err)})
		return false
	}
	return true
}

// Duration is a time.Duration written as "1m30s" in JSON.
type Duration time.Duration

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON implements json.Unmarshaler; it takes "1m30s" or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("duration must be like \"1m30s\": %w", err)
		}
		*d = Duration(n)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
