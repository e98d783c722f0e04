package channel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Class is what the job engine does about a failed marketplace call (ARCHITECTURE.md, "Errors a
// channel returns"). Channels map their own codes to a class; the engine acts on the class only.
type Class int

// The classes.
const (
	// Transient: 429, maintenance, 5xx, a dropped connection. Wait (Retry-After) and retry.
	Transient Class = iota + 1
	// UnknownOutcome: a write was sent and no answer came. Read the order back before resending.
	UnknownOutcome
	// Auth: the credentials were refused. Stop the shop's jobs, mark the shop, e-mail at once.
	Auth
	// Rejected: the marketplace refused this order or request. Error phase and e-mail.
	Rejected
)

func (c Class) String() string {
	switch c {
	case Transient:
		return "transient"
	case UnknownOutcome:
		return "unknown_outcome"
	case Auth:
		return "auth"
	case Rejected:
		return "rejected"
	}
	return "unclassified"
}

// Outcome is the history outcome for the class.
func (c Class) Outcome() Outcome {
	switch c {
	case Transient:
		return OutcomeRetry
	case UnknownOutcome:
		return OutcomeUnknown
	case Auth:
		return OutcomeAuth
	}
	return OutcomeRejected
}

// Error is a classified marketplace failure. Message is for the operator, in Japanese, and says
// what to do.
type Error struct {
	Class      Class
	Channel    string
	Operation  string
	HTTPStatus int
	Code       string // the marketplace's own code: ES01-01, ORDER_EXT_API_CONFIRM_ORDER_ERROR_105, …
	Message    string
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Channel, e.Operation, e.Class)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of a channel error; an error that is not one is Transient, so that
// an unforeseen failure is retried rather than dropped.
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Transient
}

// Result is what a channel did with one order of a phase rule's batch.
type Result struct {
	OrderID int64
	// OK moves the order to the rule's success phase; otherwise to its error phase.
	OK         bool
	LinkStatus string
	// Message says, for an error, what happened and what to do; it becomes the order's link
	// message and a line of the error e-mail.
	Message string
	// Refreshed, when set, is the order as the marketplace now has it: its marketplace-owned
	// fields (status, payment status) are stored with the result.
	Refreshed *order.Order
	// Pending says the marketplace took the request but its outcome is not known yet (報告中):
	// the order stays in the target phase with Ref, its reference, and is looked at again after
	// RecheckAfter.
	Pending      bool
	Ref          string
	RecheckAfter time.Duration
}

// Pacer spaces the calls made with one credential (a rate.Limiter, or the store's call slots
// shared by every instance).
type Pacer interface {
	// Wait returns when the next call may leave.
	Wait(ctx context.Context) error
}

// SlotPacer is a Pacer whose wait comes in two steps, so that a write's journal mark is made
// while its slot comes rather than between the claim and the send: Await waits for the call's
// slot without claiming it, Claim claims the call (waiting again while another left too
// recently). Wait is Await then Claim. The marketplace then sees the calls as far apart as they
// were claimed, not pushed apart by each mark's time.
type SlotPacer interface {
	Pacer
	Await(ctx context.Context) error
	Claim(ctx context.Context) error
}

// SentMarker is a Pacer that wants to know when a call really leaves: work done between Wait and
// the send (a journal write, a stalled process) must not bring the next call closer.
type SentMarker interface {
	Sent(ctx context.Context)
}

// AnswerMarker is a Pacer that wants to know when a call's answer began to come back: the call
// reached the marketplace somewhere between when it was written (wrote) and then (answered), and
// a marketplace's quota counts calls as they reach its front end, not as ichigen wrote them. A
// call that stalled on its way (a busy machine, the network) arrives late and brings the next
// call closer; only its answer coming back later than usual shows it.
type AnswerMarker interface {
	Answered(ctx context.Context, op string, wrote, answered time.Time)
}

// ThrottleMarker is a Pacer that wants to know when the marketplace refused a call over its
// quota (HTTP 429), to space the next calls wider.
type ThrottleMarker interface {
	Throttled()
}

// Throttled tells p, when it wants to know, that a call was refused over the quota.
func Throttled(p Pacer) {
	if m, ok := p.(ThrottleMarker); ok {
		m.Throttled()
	}
}

// Sent tells p, when it wants to know, that a call leaves now (nothing for a nil or plain Pacer).
// Clients call it just before they send.
func Sent(ctx context.Context, p Pacer) {
	if m, ok := p.(SentMarker); ok {
		m.Sent(ctx)
	}
}

// Sleep waits for d, or until ctx ends (its error then); a d of 0 or less returns at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
