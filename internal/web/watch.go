package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// After a move into a phase whose started rule sends orders to the marketplace, the page the
// operator lands on watches that phase: a small banner asks every few seconds how many orders
// still wait there, and says when the rule's work is done, so the operator sees the result
// arrive without reloading by hand. The banner is stateless: each answer carries the next
// question's parameters.

// watchPoll is how often the banner asks; watchStall is how long an unchanged count is watched
// before the banner stops asking (orders the rule does not take stay in the phase).
const (
	watchPoll  = 2 * time.Second
	watchStall = 2 * time.Minute
)

// watchURL adds the phase to watch to a page URL; phase 0 watches nothing.
func watchURL(page string, phase int64) string {
	if phase == 0 {
		return page
	}
	sep := "?"
	if strings.Contains(page, "?") {
		sep = "&"
	}
	return page + sep + "watch=" + i64toa(phase)
}

// watchView is the banner.
type watchView struct {
	Phase, Rule string
	Remaining   int64
	Done        bool
	Stalled     bool
	Next        string // the next question; "" when the banner stops asking
	Back        string // the page to reload for the result
	// Tally counts a bulk move's batch, and Result lists exactly its orders (watch_batch.go).
	Tally  *batchTally
	Result string
	// Action names a bulk action's batch other than a move (batch_kinds.go).
	Action string
}

// watchStart is the first question of a page that carries ?watch=, or "" for none. order is the
// one order an order page watches, 0 on the list.
func watchStart(r *http.Request, back string, order int64) string {
	phase := r.URL.Query().Get("watch")
	if _, err := strconv.ParseInt(phase, 10, 64); err != nil {
		return ""
	}
	if batch, err := strconv.ParseInt(r.URL.Query().Get(batchParam), 10, 64); err == nil && batch > 0 && order == 0 {
		return "/orders/watch?" + url.Values{"batch": {i64toa(batch)}, "back": {back}}.Encode()
	}
	v := url.Values{"phase": {phase}, "back": {back}}
	if order != 0 {
		v.Set("order", i64toa(order))
	}
	return "/orders/watch?" + v.Encode()
}

// watchOrders answers the banner: how many of the watched orders still wait in the phase.
func (h *Handler) watchOrders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	if batch, err := strconv.ParseInt(q.Get("batch"), 10, 64); err == nil && batch > 0 {
		h.watchBatch(w, r, batch)
		return
	}
	phaseID, _ := strconv.ParseInt(q.Get("phase"), 10, 64)
	orderID, _ := strconv.ParseInt(q.Get("order"), 10, 64)
	v := watchView{Back: safeNext(q.Get("back"))}
	// The phase is every shop's: the started rules on it are its shops' (one each), and each
	// takes only its own shop's orders.
	rules, err := h.deps.Store.RulesTargeting(ctx, phaseID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rules = slices.DeleteFunc(rules, func(r workflow.Rule) bool { return !r.Enabled || !r.Kind.NeedsTargetPhase() })
	var watched *order.Order
	if orderID != 0 {
		o, err := h.deps.Store.GetOrder(ctx, orderID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		watched = &o
		rules = slices.DeleteFunc(rules, func(r workflow.Rule) bool { return r.ShopID != o.ShopID })
	}
	if len(rules) == 0 {
		h.render(w, r, http.StatusOK, watchBanner(v)) // nothing (any more) to watch
		return
	}
	p, err := h.phase(ctx, phaseID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var labels []string
	for _, rule := range rules {
		if l := rule.Kind.Label(); !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	v.Phase, v.Rule = p.Name, strings.Join(labels, "・")
	if watched != nil {
		if watched.PhaseID == phaseID && !watched.PhaseDone {
			v.Remaining = 1
		}
	} else {
		for _, rule := range rules {
			page, err := h.deps.Store.SearchOrders(ctx, store.OrderQuery{ShopID: rule.ShopID, PhaseID: phaseID, PageSize: 1})
			if err != nil {
				h.fail(w, r, err)
				return
			}
			v.Remaining += page.Total
		}
	}
	now := h.deps.Now()
	last, err := strconv.ParseInt(q.Get("n"), 10, 64)
	changedAt, _ := strconv.ParseInt(q.Get("since"), 10, 64)
	if err != nil || last != v.Remaining || changedAt == 0 {
		w.Header().Set("HX-Trigger", rowsEvent) // the rows may have changed: the list fetches them again
		changedAt = now.Unix()
	}
	switch {
	case v.Remaining == 0:
		v.Done = true
	case now.Sub(time.Unix(changedAt, 0)) > watchStall:
		v.Stalled = true
	default:
		next := url.Values{"phase": {i64toa(phaseID)}, "back": {v.Back}, "n": {i64toa(v.Remaining)}, "since": {i64toa(changedAt)}}
		if orderID != 0 {
			next.Set("order", i64toa(orderID))
		}
		v.Next = "/orders/watch?" + next.Encode()
	}
	h.render(w, r, http.StatusOK, watchBanner(v))
}

func watchTrigger() string { return "load delay:" + strconv.Itoa(int(watchPoll/time.Second)) + "s" }
