package simkit

import (
	"sync"
	"time"
)

// Clock is the simulator's time: real time shifted by what the control API advanced it.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	real   func() time.Time
}

// NewClock returns a clock at real time.
func NewClock() *Clock { return &Clock{real: time.Now} }

// Now returns the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.real().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
