// Package channel is what every marketplace channel shares: the API call history record, error
// classes, carrier codes, and the HTTP transport every client makes its calls through.
package channel

import "time"

// Outcome is how a marketplace call ended.
type Outcome string

// The outcomes.
const (
	OutcomeOK       Outcome = "ok"
	OutcomeRejected Outcome = "rejected"  // the marketplace refused this order or request
	OutcomeRetry    Outcome = "transient" // 429, 5xx, maintenance: retried later
	OutcomeUnknown  Outcome = "unknown"   // timed out after sending; settled by reading back
	OutcomeAuth     Outcome = "auth"      // credentials refused
)

// OpSettle is the operation of a history row that is no call of its own: what reading an order
// back found after a write whose answer was lost. Counts of calls against the quota leave it out.
const OpSettle = "settle"

// Call is one row of the API call history (連携履歴). Request and Response are stored with
// secrets already redacted.
type Call struct {
	ID           int64
	At           time.Time
	ShopID       int64
	OrderID      int64 // 0 when the call was not about one order
	JobKind      string
	Operation    string
	Outcome      Outcome
	HTTPStatus   int
	ErrorCode    string
	ErrorMessage string
	Duration     time.Duration
	Request      string
	Response     string
}
