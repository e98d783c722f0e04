package simkit

import (
	"crypto/subtle"
	"net/http"
	"sync"
	"time"
)

// Key is an API credential a simulator accepts. Marketplace keys lapse after a lifetime (RMS
// licenseKey and the au PAY Market API key: 90 days); the control API can also expire a key at
// once or replace it, so a test can drive a shop into its credential error and out again.
type Key struct {
	clock    *Clock
	lifetime time.Duration

	mu       sync.Mutex
	value    string
	issuedAt time.Time
	expired  bool
}

// NewKey returns a key issued now on the simulator's clock. A lifetime of 0 or less never lapses.
func (s *Sim) NewKey(value string, lifetime time.Duration) *Key {
	return &Key{clock: s.Clock, lifetime: lifetime, value: value, issuedAt: s.Clock.Now()}
}

// Value returns the key the simulator accepts now.
func (k *Key) Value() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.value
}

// Valid reports whether presented is the current key and the key is neither expired by hand nor
// past its lifetime.
func (k *Key) Valid(presented string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.expired || subtle.ConstantTimeCompare([]byte(presented), []byte(k.value)) != 1 {
		return false
	}
	return k.lifetime <= 0 || k.clock.Now().Before(k.issuedAt.Add(k.lifetime))
}

// ExpiresAt returns when the key lapses by itself; zero when it never does.
func (k *Key) ExpiresAt() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.lifetime <= 0 {
		return time.Time{}
	}
	return k.issuedAt.Add(k.lifetime)
}

// Expire makes the key fail from now on, as an expired key does.
func (k *Key) Expire() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.expired = true
}

// Renew replaces the key with a new one valid for the key's lifetime from now; the old one stops
// working.
func (k *Key) Renew(value string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.value, k.expired, k.issuedAt = value, false, k.clock.Now()
}

// MountKey adds the key control the Rakuten simulator offers, for a simulator built on Key:
//
//	POST /_sim/key    {"expire":true} or {"renew":"NEW_KEY"}
func MountKey(mux *http.ServeMux, k *Key) {
	mux.HandleFunc("POST /_sim/key", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Expire bool   `json:"expire"`
			Renew  string `json:"renew"`
		}
		if !ReadJSON(w, r, &req) {
			return
		}
		if req.Expire {
			k.Expire()
		}
		if req.Renew != "" {
			k.Renew(req.Renew)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// MaxGenerate bounds how many orders one POST /_sim/orders makes.
const MaxGenerate = 100_000

// MountOrders adds the order control the Rakuten simulator offers, for any channel's options and
// order shape:
//
//	POST /_sim/orders            the channel's options, e.g. {"count":10}: generate orders
//	GET  /_sim/orders/{number}   one order as the channel's read operation returns it
//
// count reads the number of orders asked for from the options; it must be 1 to MaxGenerate.
// generate answers the new order numbers, or an error saying what is wrong with the options
// (answered 400); lookup finds one order.
func MountOrders[Options any](mux *http.ServeMux, count func(Options) int, generate func(Options) ([]string, error), lookup func(number string) (any, bool)) {
	mux.HandleFunc("POST /_sim/orders", func(w http.ResponseWriter, r *http.Request) {
		var opts Options
		if !ReadJSON(w, r, &opts) {
			return
		}
		if n := count(opts); n < 1 || n > MaxGenerate {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "count must be between 1 and 100000"})
			return
		}
		numbers, err := generate(opts)
		if err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		WriteJSON(w, http.StatusOK, map[string][]string{"order_numbers": numbers})
	})
	mux.HandleFunc("GET /_sim/orders/{number}", func(w http.ResponseWriter, r *http.Request) {
		o, ok := lookup(r.PathValue("number"))
		if !ok {
			WriteJSON(w, http.StatusNotFound, map[string]string{"error": "no such order"})
			return
		}
		WriteJSON(w, http.StatusOK, o)
	})
}
