package order

import "time"

// EventKind says what happened to an order.
type EventKind string

// The event kinds.
const (
	EventImported          EventKind = "imported"
	EventPhaseMoved        EventKind = "phase_moved"
	EventMarketplaceStatus EventKind = "marketplace_status_changed"
	EventUpdated           EventKind = "updated"
	EventLinkStatusSet     EventKind = "link_status_set" // by hand: the retry path
)

// Event is one line of an order's history (the operator's audit trail).
type Event struct {
	ID          int64
	OrderID     int64
	At          time.Time
	Kind        EventKind
	Actor       string // user login, or "system:<job>"
	FromPhaseID int64
	ToPhaseID   int64
	Message     string
}
