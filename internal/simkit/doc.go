// Package simkit holds what every marketplace simulator shares: a simulated clock, per-key quotas,
// fault injection (latency, 429s, maintenance, timeouts after a write was applied, expired keys),
// counters including writes per order, the /_sim/ control API, and a generator of realistic
// Japanese orders. The simulators are a product feature (the shop's sandbox, the demo, the
// benchmarks), so they follow the real wire formats; simkit keeps the channel packages to their
// own formats and rules.
package simkit
