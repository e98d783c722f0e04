package channel

import (
	"context"
	"errors"
)

// Journal records, before a write that must not happen twice (a shipment report), that orders
// are being sent: their link status and reference are committed before the request leaves. If
// the process dies, the database refuses the commit of the outcome, or the answer is lost, the
// next run finds the orders marked as sent and reads them back instead of sending them again.
//
// The job engine hands one to every batch it gives a channel (Process's journal parameter); a
// client that writes calls Intend before the write and, when the marketplace surely did not take
// it (429, maintenance, a refusal), Intend again with the orders' previous link to undo the mark.
type Journal interface {
	Intend(ctx context.Context, results []Result) error
}

// ErrNoJournal refuses a batch handed no journal: without one, a write whose answer is lost
// could be sent again, so nothing is sent at all.
var ErrNoJournal = errors.New("no journal given: writes are refused, as they could be sent twice")

// Unsent says whether err shows that a write did not take effect, so that a journal mark made
// before it may be undone: the marketplace answered and refused it, or it never left. A lost
// answer (UnknownOutcome) or anything unclassified may have been applied.
func Unsent(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Class {
	case Transient, Auth, Rejected:
		return true
	}
	return false
}
