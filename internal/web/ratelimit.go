package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginLimiter allows a few login attempts per login and address: a burst of loginBurst, then
// one every loginEvery. A successful login clears the count.
type loginLimiter struct {
	mu      sync.Mutex
	entries map[string]*limitEntry
}

type limitEntry struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

const (
	loginBurst = 5
	loginEvery = 12 * time.Second
	// limiterSweep bounds the table: entries unused for this long are dropped when it grows.
	limiterSweep   = 10 * time.Minute
	limiterMaxSize = 10000
)

func newLoginLimiter() *loginLimiter { return &loginLimiter{entries: map[string]*limitEntry{}} }

func (l *loginLimiter) allow(login, ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := login + "\x00" + ip
	e, ok := l.entries[key]
	if !ok {
		if len(l.entries) >= limiterMaxSize {
			for k, old := range l.entries {
				if now.Sub(old.lastSeen) > limiterSweep {
					delete(l.entries, k)
				}
			}
		}
		e = &limitEntry{limiter: rate.NewLimiter(rate.Every(loginEvery), loginBurst)}
		l.entries[key] = e
	}
	e.lastSeen = now
	return e.limiter.AllowN(now, 1)
}

func (l *loginLimiter) forget(login, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, login+"\x00"+ip)
}
