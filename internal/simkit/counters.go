package simkit

import (
	"maps"
	"sync"
	"time"
)

// Counts are what a simulator has seen, read through GET /_sim/counters.
type Counts struct {
	Requests   int `json:"requests"`
	Throttled  int `json:"throttled"`   // answered 429 (quota or injected)
	OverQuota  int `json:"over_quota"`  // of those, the requests over the quota itself
	Maintained int `json:"maintenance"` // answered with the maintenance error
	AuthFailed int `json:"auth_failed"`
	// MinSpacing is the shortest time between two requests of one credential as they arrived,
	// and MinSpacingRatio that time ÷ the quota's step (1/quota; 0 without a quota): below 1, the
	// caller sent faster than the quota allows. Close counts the gaps shorter than the step.
	MinSpacing      Duration `json:"min_spacing"`
	MinSpacingRatio float64  `json:"min_spacing_ratio"`
	// MinSpacingOps names the two operations of the shortest gap ("earlier → later").
	MinSpacingOps string `json:"min_spacing_ops,omitempty"`
	Close         int    `json:"close"`
	HungWrites    int    `json:"hung_writes"` // writes applied and left unanswered
	// Writes counts writes that changed an order, per order number; DuplicateWrites counts
	// writes that repeated what the order already held (a shipment reported twice).
	Writes          map[string]int `json:"writes"`
	DuplicateWrites map[string]int `json:"duplicate_writes"`
	// Operations counts requests per operation.
	Operations map[string]int `json:"operations"`
	// WriteRequests counts, per order number, the write requests that named the order, applied
	// or not: an order sent twice shows 2 even when the marketplace refused the second.
	WriteRequests map[string]int `json:"write_requests"`
}

// Counters keeps Counts safe for concurrent handlers.
type Counters struct {
	mu     sync.Mutex
	counts Counts
}

func newCounters() *Counters {
	return &Counters{counts: Counts{Writes: map[string]int{}, DuplicateWrites: map[string]int{}, Operations: map[string]int{}, WriteRequests: map[string]int{}}}
}

func (c *Counters) add(field *int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	*field++
}

// spacing notes the gap between two requests of one credential under a quota of one request
// per step (0: none).
func (c *Counters) spacing(gap, step time.Duration, ops string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts.MinSpacing == 0 || gap < time.Duration(c.counts.MinSpacing) {
		c.counts.MinSpacing, c.counts.MinSpacingOps = Duration(gap), ops
		if step > 0 {
			c.counts.MinSpacingRatio = float64(gap) / float64(step)
		}
	}
	if step > 0 && gap < step {
		c.counts.Close++
	}
}

// Operation counts one request for an operation.
func (c *Counters) Operation(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts.Operations[op]++
}

// Write counts a write to an order; duplicate says it repeated what the order held.
func (c *Counters) Write(orderNumber string, duplicate bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts.Writes[orderNumber]++
	if duplicate {
		c.counts.DuplicateWrites[orderNumber]++
	}
}

// WriteRequest counts a write request naming an order.
func (c *Counters) WriteRequest(orderNumber string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts.WriteRequests[orderNumber]++
}

// Snapshot returns a copy of the counts.
func (c *Counters) Snapshot() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.counts
	out.Writes = make(map[string]int, len(c.counts.Writes))
	for k, v := range c.counts.Writes {
		out.Writes[k] = v
	}
	out.DuplicateWrites = make(map[string]int, len(c.counts.DuplicateWrites))
	for k, v := range c.counts.DuplicateWrites {
		out.DuplicateWrites[k] = v
	}
	out.Operations = maps.Clone(c.counts.Operations)
	out.WriteRequests = maps.Clone(c.counts.WriteRequests)
	return out
}
