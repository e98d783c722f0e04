package channel

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Recorder keeps the API call history; store.Store is one.
type Recorder interface {
	RecordCall(ctx context.Context, c Call) (int64, error)
}

type callContextKey struct{}

type callContext struct {
	jobKind string
	orderID int64
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
