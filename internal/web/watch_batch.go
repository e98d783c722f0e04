package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// After a bulk move into a phase whose started rule sends the orders on, the moved orders are
// kept as a batch (store.BulkBatches) and the banner counts exactly them: succeeded, failed and
// still waiting for the rule. It turns red when any failed and amber while some wait, and its
// 「結果を表示」 lists exactly the batch (the list's batch filter). Each answer that finds the
// counts changed, and the first, tells the page (rowsEvent) to fetch its rows again, so they
// update without a reload.

// rowsEvent is the htmx event that makes the order list fetch its rows again.
const rowsEvent = "ichigen-rows"

// batchParam is the list's parameter that names the batch the banner watches.
const batchParam = "watchbatch"

// moveBatch keeps the orders a bulk move moved into a watched phase as a batch and returns the
// list's URL that watches it; with nothing watched the URL watches nothing.
func (h *Handler) moveBatch(ctx context.Context, page string, phase int64, moved []int64) (string, error) {
	if phase == 0 || len(moved) == 0 {
		return page, nil
	}
	id, err := h.deps.Store.CreateBulkBatch(ctx, store.BulkBatch{CreatedAt: h.deps.Now(), PhaseID: phase, Actor: stateOf(ctx).user.Login}, moved)
	if err != nil {
		return "", err
	}
	return watchURL(page, phase) + "&" + batchParam + "=" + i64toa(id), nil
}

// batchTally is what the banner counts of a batch.
type batchTally struct {
	Batch                               int64
	Succeeded, Failed, Waiting, Missing int
}

// tallyBatch counts a batch's orders: waiting while in the batch's phase for their shop's started
// rule, failed with an error link status or in the rule's error phase, else succeeded. An order
// whose shop runs no started rule on the phase was only moved, and the move succeeded.
func tallyBatch(b store.BulkBatch, orders []store.BatchOrder, rules []workflow.Rule) batchTally {
	byShop := map[int64]workflow.Rule{}
	for _, r := range rules {
		if r.Enabled && r.Kind.NeedsTargetPhase() && r.TargetPhaseID == b.PhaseID {
			byShop[r.ShopID] = r
		}
	}
	t := batchTally{Batch: b.ID}
	for _, o := range orders {
		rule, runs := byShop[o.ShopID]
		switch {
		case isErrorLink(o.LinkStatus) || (runs && rule.ErrorPhaseID != 0 && rule.ErrorPhaseID != b.PhaseID && o.PhaseID == rule.ErrorPhaseID):
			t.Failed++
		case runs && o.PhaseID == b.PhaseID && !o.PhaseDone:
			t.Waiting++
		default:
			t.Succeeded++
		}
	}
	return t
}

// watchBatch answers the banner of a batch.
func (h *Handler) watchBatch(w http.ResponseWriter, r *http.Request, batchID int64) {
	ctx := r.Context()
	q := r.URL.Query()
	v := watchView{Back: safeNext(q.Get("back"))}
	b, err := h.deps.Store.GetBulkBatch(ctx, batchID)
	if apperror.CodeOf(err) == apperror.NotFound {
		h.render(w, r, http.StatusOK, watchBanner(v))
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var rules []workflow.Rule
	if b.Kind == "" {
		if rules, err = h.deps.Store.RulesTargeting(ctx, b.PhaseID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	orders, err := h.deps.Store.BulkBatchOrders(ctx, b.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var tally batchTally
	if b.Kind == "" {
		tally = tallyBatch(b, orders, rules)
	} else {
		settled, err := h.settlements(ctx, orders)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		tally = tallyAction(b, orders, settled)
		v.Action = batchLabels[b.Kind]
	}
	v.Tally = &tally
	v.Result = "/orders?batch=" + i64toa(b.ID)
	if p, err := h.phase(ctx, b.PhaseID); b.PhaseID != 0 && err == nil {
		v.Phase = p.Name
	}
	var labels []string
	for _, rule := range rules {
		if l := rule.Kind.Label(); rule.Enabled && rule.Kind.NeedsTargetPhase() && !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	v.Rule = strings.Join(labels, "・")
	v.Remaining = int64(tally.Waiting)
	// the state the banner last showed, to tell the rows when it changed
	state := strconv.Itoa(tally.Succeeded) + "-" + strconv.Itoa(tally.Failed) + "-" + strconv.Itoa(tally.Waiting)
	now := h.deps.Now()
	changedAt, _ := strconv.ParseInt(q.Get("since"), 10, 64)
	if q.Get("s") != state || changedAt == 0 {
		// The rows may have changed since the page showed them (the first answer too: the rule
		// may have finished before it): the list fetches them again.
		w.Header().Set("HX-Trigger", rowsEvent)
		changedAt = now.Unix()
	}
	switch {
	case tally.Waiting == 0:
		v.Done = true
	case now.Sub(time.Unix(changedAt, 0)) > watchStall:
		v.Stalled = true
	default:
		next := url.Values{"batch": {i64toa(b.ID)}, "back": {v.Back}, "s": {state}, "since": {i64toa(changedAt)}}
		v.Next = "/orders/watch?" + next.Encode()
	}
	h.render(w, r, http.StatusOK, watchBanner(v))
}

// tone is the banner's colour class of a batch: red when any failed, amber while any wait.
func (t *batchTally) tone() string {
	switch {
	case t.Failed > 0:
		return "failed"
	case t.Waiting > 0:
		return "waiting"
	}
	return "done"
}
