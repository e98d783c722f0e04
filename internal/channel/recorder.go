package channel

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// Recorder keeps the API call history; store.Store is one. A call about no one order
// (Call.OrderID 0) made with a context from WithOrders is linked to each of those orders.
type Recorder interface {
	RecordCall(ctx context.Context, c Call) (int64, error)
}

type callContextKey struct{}

type callContext struct {
	jobKind  string
	orderID  int64
	orderIDs []int64
}

// WithCall tells the channel clients which job and order the calls made with ctx are for, so
// the history can say it.
func WithCall(ctx context.Context, jobKind string, orderID int64) context.Context {
	return context.WithValue(ctx, callContextKey{}, callContext{jobKind: jobKind, orderID: orderID})
}

// CallFrom returns what WithCall put in ctx.
func CallFrom(ctx context.Context) (jobKind string, orderID int64) {
	c, _ := ctx.Value(callContextKey{}).(callContext)
	return c.jobKind, c.orderID
}

// WithOrders tells the recorder that the calls made with ctx carry these orders (a batch of
// confirmOrder, getOrder or updateOrderShippingAsync), so each order's history shows them. It
// keeps the job kind WithCall set; a later WithCall naming one order replaces the batch.
func WithOrders(ctx context.Context, orderIDs []int64) context.Context {
	c, _ := ctx.Value(callContextKey{}).(callContext)
	c.orderID, c.orderIDs = 0, slices.Clone(orderIDs)
	return context.WithValue(ctx, callContextKey{}, c)
}

// OrdersFrom returns the orders WithOrders put in ctx, none when WithCall named one order since.
func OrdersFrom(ctx context.Context) []int64 {
	c, _ := ctx.Value(callContextKey{}).(callContext)
	return c.orderIDs
}

// MaxRecordedBody bounds a request or response kept in the history.
const MaxRecordedBody = 64 << 10

// Truncate shortens a body for the history, saying so, and makes it valid UTF-8: a cut never
// splits a character, and bytes that are no UTF-8 (an answer in another encoding) become U+FFFD,
// since a history row PostgreSQL refuses would be a call that leaves no trace.
func Truncate(s string) string {
	if len(s) <= MaxRecordedBody {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	cut := MaxRecordedBody
	for cut > MaxRecordedBody-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.ToValidUTF8(s[:cut], "\uFFFD") + "\n…(truncated)"
}
