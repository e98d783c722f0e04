package channel

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// RefSent marks, as an order's link reference, a write sent at a time (unix seconds) whose
// outcome is not recorded yet: the next run reads the order back before sending anything.
const RefSent = "sent:"

type markKey struct{}

// WithMark returns a context whose write requests (the operations the transport's IsWrite
// names) run mark as their BeforeSend when they set none: the journal mark is made once the
// call's slot has come, without every write method of a client carrying it in its signature.
func WithMark(ctx context.Context, mark func() error) context.Context {
	return context.WithValue(ctx, markKey{}, mark)
}

// MarkFrom returns the mark WithMark put in ctx, nil when there is none; for a client that hands
// it on itself (a gateway method taking a before-send function).
func MarkFrom(ctx context.Context) func() error {
	mark, _ := ctx.Value(markKey{}).(func() error)
	return mark
}

// Once is one write to a marketplace that must take effect at most once — a shipment report, a
// status change, a capture — and how the client tells that it did. WriteOnce sends it.
type Once struct {
	Order order.Order
	// What names what is sent, for the messages: 「出荷情報」.
	What string
	// Sending is the link status the order shows while the write is out; "" keeps the order's.
	Sending string
	// Ref begins the link reference that marks the order as sent; "" is RefSent. A channel
	// keeps the prefix its marks were made with, so an order marked before an upgrade is
	// still read back rather than sent again.
	Ref string
	// ReadFirst, when set, says why the order is read back before anything is sent even though
	// no earlier send is marked (a sibling of a split order may have written it already).
	ReadFirst string
	// Send makes the write with the context it is given: its write request carries the journal
	// mark (WithMark), made once the call's slot has come.
	Send func(ctx context.Context) error
	// ReadBack reads the order at the marketplace after a write whose outcome is unknown, why
	// saying what led to it for the history: decided reports that r is the order's result (the
	// write is in, or can no longer go); otherwise the write is not in and is sent.
	ReadBack func(ctx context.Context, why string) (r Result, decided bool, err error)
	// Done is the order's result once the write is in; message says how that was found.
	Done func(message string) Result
	// Refused is the order's result when the marketplace refused the write with err (the mark
	// is undone by then); ok false leaves the refusal to the default: Failed with its message
	// when it is Rejected, the error handed back (the run is tried again) otherwise.
	Refused func(err error) (r Result, ok bool)
	// Failed is the order's result for a refusal, with the marketplace's message.
	Failed func(message string) Result
	// SettleAfter, when above zero, is how long an order whose answer was lost waits before it
	// is read back (a marketplace that applies writes after answering); zero reads it back at
	// once.
	SettleAfter time.Duration
	// Lost is the order's message while its answer is lost and not yet read back; "" says it
	// in general words.
	Lost string
}

// msgReadLost is why an order is read back at once after its write's answer was lost.
const msgReadLost = "API接続でタイムアウトエラーが発生したため"

// MsgReadMarked is why an order marked as sent by an earlier run is read back first.
const MsgReadMarked = "前回の送信の結果が記録されていなかったため"

// WriteOnce sends one write at most once. An order marked as sent by an earlier run whose
// outcome was never recorded is read back first, and so is any the write asks for
// (ReadFirst). The order is marked in the journal once the call's slot has come, before the
// request leaves; a refusal or a call that never left undoes the mark, and a lost answer is
// settled by reading the order back (at once, or after SettleAfter). decided false with a nil
// error never happens: the order is decided, or the error says why the run must be repeated.
func WriteOnce(ctx context.Context, journal Journal, w Once) (Result, bool, error) {
	o := w.Order
	why := w.ReadFirst
	prefix := cmp.Or(w.Ref, RefSent)
	if strings.HasPrefix(o.LinkRef, prefix) {
		why = MsgReadMarked
	}
	if why != "" {
		if r, decided, err := w.ReadBack(ctx, why); err != nil || decided {
			return r, decided, err
		}
	}
	mark := Result{OrderID: o.ID, LinkStatus: cmp.Or(w.Sending, o.LinkStatus), Message: w.What + "を送信しています。",
		Ref: prefix + strconv.FormatInt(time.Now().Unix(), 10)}
	marked := false
	err := w.Send(WithMark(ctx, func() error {
		if marked {
			return nil // a repeated attempt of the same call (a new token): marked already
		}
		if err := journal.Intend(ctx, []Result{mark}); err != nil {
			return fmt.Errorf("mark order %s as being sent: %w", o.Number, err)
		}
		marked = true
		return nil
	}))
	switch {
	case err == nil:
		return w.Done(""), true, nil
	case Unsent(err):
		if marked { // not taken: the mark is undone (should that fail, the next run reads back first)
			_ = journal.Intend(context.WithoutCancel(ctx), []Result{{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: o.LinkMessage, Ref: o.LinkRef}})
		}
		if w.Refused != nil {
			if r, ok := w.Refused(err); ok {
				return r, true, nil
			}
		}
		if ClassOf(err) == Rejected {
			return w.Failed(MessageOf(err)), true, nil
		}
		return Result{}, false, err
	case !marked:
		return Result{}, false, err // it never left
	}
	lost := cmp.Or(w.Lost, w.What+"の送信の応答がありませんでした。反映されたかを確かめます。")
	pending := Result{OrderID: o.ID, LinkStatus: mark.LinkStatus, Message: lost, Ref: mark.Ref, Pending: true, RecheckAfter: w.SettleAfter}
	if w.SettleAfter > 0 {
		return pending, true, nil
	}
	r, decided, serr := w.ReadBack(ctx, msgReadLost)
	if serr != nil || !decided {
		// The read failed too: the order stays marked as sent, and the next run reads it back.
		pending.RecheckAfter = time.Minute
		return pending, true, serr
	}
	return r, true, nil
}

// MessageOf is the marketplace's words in err, or err's text when it has none.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// NoteReadBack adds a row to the API call history of shopID saying what reading an order back
// found (whether a write whose outcome was unknown is in), so the history shows why nothing
// was sent again, or why it was.
func NoteReadBack(ctx context.Context, rec Recorder, shopID int64, o order.Order, found string) {
	if rec == nil {
		return
	}
	jobKind, _ := CallFrom(ctx)
	_, _ = rec.RecordCall(context.WithoutCancel(ctx), Call{ShopID: shopID, OrderID: o.ID, JobKind: jobKind,
		Operation: OpSettle, Outcome: OutcomeOK, Request: "注文 " + o.Number + " の送信結果の確認", Response: found})
}
