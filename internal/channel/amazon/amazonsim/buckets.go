package amazonsim

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
)

// buckets are the per-operation token buckets of one seller: each operation's bucket holds its
// usage plan's burst and refills at its rate (amazon.UsagePlans, scaled by factor). A request
// finding its bucket empty is answered 429. simkit's quota (one pace per credential) cannot say
// this, so the buckets are the simulator's own.
type buckets struct {
	factor float64
	mu     sync.Mutex
	byOp   map[string]*rate.Limiter
}

func newBuckets(factor float64) *buckets {
	return &buckets{factor: factor, byOp: map[string]*rate.Limiter{}}
}

// plan is the operation's usage plan as enforced; ok is false when none is.
func (b *buckets) plan(op string) (amazon.UsagePlan, bool) {
	p, ok := amazon.UsagePlans[op]
	if !ok {
		return p, false
	}
	if b.factor <= 0 {
		return p, true // announced, not enforced
	}
	return p.Scaled(b.factor), true
}

// allow takes a token from the operation's bucket.
func (b *buckets) allow(op string) bool {
	if b.factor <= 0 {
		return true
	}
	p, ok := b.plan(op)
	if !ok {
		return true
	}
	b.mu.Lock()
	l, ok := b.byOp[op]
	if !ok {
		l = rate.NewLimiter(rate.Limit(p.Rate), p.Burst)
		b.byOp[op] = l
	}
	b.mu.Unlock()
	return l.AllowN(time.Now(), 1)
}
