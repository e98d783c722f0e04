package order

import (
	"fmt"
	"time"
)

// EventKind says what happened to an order.
type EventKind string

// The event kinds.
const (
	EventImported          EventKind = "imported"
	EventPhaseMoved        EventKind = "phase_moved"
	EventMarketplaceStatus EventKind = "marketplace_status_changed"
	EventUpdated           EventKind = "updated"
	EventLinkStatusSet     EventKind = "link_status_set" // by hand: the retry path
	// EventLinkErrorReplaced keeps an error the operator had not handled when a rule's refusal
	// replaced it.
	EventLinkErrorReplaced EventKind = "link_error_replaced"
	// EventMail is a buyer mail's outcome (サンクスメール, 発送メール); the mail's rendered text is
	// kept with it in the mail journal.
	EventMail EventKind = "mail"
	// EventPaid is a payment confirmed by hand (入金確認), with its day.
	EventPaid EventKind = "paid"
	// EventCancelRequested is an operator's cancellation sent to the marketplace, and its outcome.
	EventCancelRequested EventKind = "cancel_requested"
	// EventBuyerMasked is the buyer's and the recipients' personal data removed once the shop's
	// retention after shipment passed.
	EventBuyerMasked EventKind = "buyer_masked"
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
	// FromPhaseName and ToPhaseName are the names of phases deleted since, whose ids the event
	// no longer holds; "" while the phase exists, whose current name the history shows.
	FromPhaseName string
	ToPhaseName   string
	Message       string
}

// PhaseNames names the phases an event moved an order from and to: a deleted phase by the name
// the event kept, an existing one by name(id). "" for no phase (an order's first one).
func (e Event) PhaseNames(name func(id int64) string) (from, to string) {
	pick := func(kept string, id int64) string {
		if kept != "" || id == 0 {
			return kept
		}
		return name(id)
	}
	return pick(e.FromPhaseName, e.FromPhaseID), pick(e.ToPhaseName, e.ToPhaseID)
}

// Text is the event as an order's history reads it: a phase move as 「処理フェーズ: 新規受付 →
// 出荷待ち」 (phases named as PhaseNames does), anything else by its message.
func (e Event) Text(phaseName func(id int64) string) string {
	if e.Kind == EventPhaseMoved {
		from, to := e.PhaseNames(phaseName)
		if from == "" {
			from = "—"
		}
		return fmt.Sprintf("処理フェーズ: %s → %s", from, to)
	}
	if e.Message != "" {
		return e.Message
	}
	return string(e.Kind)
}
