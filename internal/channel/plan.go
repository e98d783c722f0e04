package channel

import (
	"context"
	"net/url"
	"slices"
	"sync"
)

// PlanMessage is the message of a call a plan held back: a client that turns a refused call into
// an order's result (au PAY's one-trade-a-call writes) carries it, and a preview knows by it that
// the order would have been sent.
const PlanMessage = "プレビューのため送信していません。"

// MaxPlannedCalls bounds the calls one plan keeps: a preview covers one dispatch round.
const MaxPlannedCalls = 200

// PlannedCall is one call a client would have made, held back by a plan: the operation, whether
// it changes the order at the marketplace, the orders it carries, and the request as the call
// history would record it (a body, or a read's method and path; never a header, so no
// credential set by the transport's Auth).
type PlannedCall struct {
	Op       string
	Write    bool
	Request  string
	OrderIDs []int64
	// Sent marks a read a ReadThrough plan let through: it reached the marketplace (paced and
	// recorded in the call history like any call), so the client decided on its real answer.
	Sent bool
}

// Plan collects the calls a client makes instead of sending them (a rule's preview, 試行): the
// client runs its real code, the transport sends nothing, records nothing in the history and
// takes no call slot, and each call fails as Rejected with PlanMessage, which every client
// handles as a refusal that was never sent.
type Plan struct {
	// ReadThrough lets reads through (never a write): a client that reads before it decides
	// (Rakuten's ship report reads RMS back before it sends what RMS lacks) then shows the write
	// it would make after the read, not only the read. The reads are real calls: paced on the
	// shop's quota and recorded in the call history.
	ReadThrough bool

	mu    sync.Mutex
	calls []PlannedCall
	more  bool
}

// WithPlan makes every call of a client made with the returned context a planned one.
func WithPlan(ctx context.Context, p *Plan) context.Context {
	return context.WithValue(ctx, planKey{}, p)
}

type planKey struct{}

// planFrom returns the plan ctx carries, nil when it carries none.
func planFrom(ctx context.Context) *Plan {
	p, _ := ctx.Value(planKey{}).(*Plan)
	return p
}

// Calls returns the calls held back, in the order they were made, and whether more were made
// than MaxPlannedCalls.
func (p *Plan) Calls() ([]PlannedCall, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.calls), p.more
}

// passes says whether r goes to the marketplace although a plan is in force: a read under
// ReadThrough, noted in the plan as sent.
func (p *Plan) passes(ctx context.Context, t *Transport, r Request) bool {
	if !p.ReadThrough || t.IsWrite(r.Op) {
		return false
	}
	p.note(ctx, t, r, true)
	return true
}

// hold keeps r instead of sending it and returns the refusal the client sees.
func (p *Plan) hold(ctx context.Context, t *Transport, r Request) error {
	p.note(ctx, t, r, false)
	return &Error{Class: Rejected, Channel: t.Channel, Operation: r.Op, Message: PlanMessage}
}

// note keeps r among the plan's calls.
func (p *Plan) note(ctx context.Context, t *Transport, r Request, sent bool) {
	request := string(r.Body)
	if r.Body == nil {
		request = r.Method + " " + r.Op // the URL may hold a secret: a read shows its operation
		if r.RecordURL {
			request = r.Method + " " + requestURI(r.URL)
		}
	}
	p.mu.Lock()
	if len(p.calls) < MaxPlannedCalls {
		p.calls = append(p.calls, PlannedCall{Op: r.Op, Write: t.IsWrite(r.Op), Request: TruncateBytes([]byte(request)), OrderIDs: plannedOrders(ctx), Sent: sent})
	} else {
		p.more = true
	}
	p.mu.Unlock()
}

// plannedOrders are the orders a call carries: the one WithCall named, or the batch WithOrders
// named.
func plannedOrders(ctx context.Context) []int64 {
	if _, id := CallFrom(ctx); id != 0 {
		return []int64{id}
	}
	return OrdersFrom(ctx)
}

// requestURI is a URL's path and query, as the history records a read.
func requestURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.RequestURI()
}
