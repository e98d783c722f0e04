package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Processor runs a phase rule's job kind for one channel on a batch of orders (at most
// BatchSize), returning a result per order it decided. An error leaves the undecided orders in
// the target phase for the next attempt; results returned with it still count.
//
// Before a write that must not happen twice, the processor marks the orders in journal; given
// no journal, it refuses the batch (channel.ErrNoJournal) before anything is sent.
type Processor interface {
	Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error)
}

// BatchSize is how many orders one dispatch round hands to a processor unless the channel's
// registration says otherwise (channel.Spec.BatchSize): the batch size of the marketplaces' bulk
// calls (Rakuten confirmOrder and updateOrderShippingAsync take 100).
const BatchSize = 100

// DispatchArgs runs a phase rule on the orders waiting in its target phase. It is queued in the
// transaction that moves orders into the phase. One dispatch at a time works a rule (ruleLocks);
// another one queued meanwhile waits its turn and then finds whatever the first left, so orders
// moved in at any moment are sent, and many moves still make few calls.
type DispatchArgs struct {
	RuleID int64 `json:"rule_id"`
}

// Kind implements river.JobArgs.
func (DispatchArgs) Kind() string { return "dispatch" }

// DispatchRetryAfter is how long a dispatch waits when another one is working its rule.
const DispatchRetryAfter = time.Second

// waitingStates are the states in which a unique job blocks another like it; a finished one
// does not.
var waitingStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// RecheckArgs comes back to a rule's orders whose outcome the marketplace had not given yet
// (Result.Pending, such as 発送完了報告中). One waits per rule; it snoozes while such orders
// remain.
type RecheckArgs struct {
	RuleID int64 `json:"rule_id"`
}

// Kind implements river.JobArgs.
func (RecheckArgs) Kind() string { return "dispatch_recheck" }

// InsertOpts makes one recheck per rule.
func (RecheckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
}

// PendingRecheck is how soon orders still pending are looked at when no result said when.
const PendingRecheck = 3 * time.Second

type dispatchWorker struct {
	river.WorkerDefaults[DispatchArgs]
	deps  Deps
	locks *ruleLocks
}

// NextRetry implements river.Worker.
func (w *dispatchWorker) NextRetry(job *river.Job[DispatchArgs]) time.Time {
	return channelRetry(job.JobRow, time.Now())
}

func (w *dispatchWorker) Work(ctx context.Context, job *river.Job[DispatchArgs]) error {
	recheck, err := w.runWhileSoon(ctx, job.Args.RuleID)
	if err != nil || recheck == 0 {
		return err
	}
	// River schedules on the wall clock, whatever clock the jobs read (a simulator's in tests).
	client := river.ClientFromContext[dbTx](ctx)
	if _, err := client.Insert(ctx, RecheckArgs{RuleID: job.Args.RuleID}, &river.InsertOpts{ScheduledAt: time.Now().Add(recheck)}); err != nil {
		return fmt.Errorf("queue recheck of rule %d: %w", job.Args.RuleID, err)
	}
	return nil
}

type recheckWorker struct {
	river.WorkerDefaults[RecheckArgs]
	dispatch *dispatchWorker
}

// NextRetry implements river.Worker.
func (w *recheckWorker) NextRetry(job *river.Job[RecheckArgs]) time.Time {
	return channelRetry(job.JobRow, time.Now())
}

func (w *recheckWorker) Work(ctx context.Context, job *river.Job[RecheckArgs]) error {
	recheck, err := w.dispatch.runWhileSoon(ctx, job.Args.RuleID)
	if err != nil || recheck == 0 {
		return err
	}
	return river.JobSnooze(recheck)
}

// InlineRecheck is the longest a run waits, inside its job, for orders its own calls left
// pending (RMS applying a ship report: its result is ready seconds later). Waiting in the job
// keeps the next run's calls going at the quota's pace; a scheduled job would leave the quota
// idle for River's scheduling round (up to 5 s) on top of the wait.
const InlineRecheck = 5 * time.Second

// runWhileSoon runs a rule again and again while its own calls left orders pending that are due
// within InlineRecheck and the job's step budget allows another run; otherwise it returns when
// to look again, as run does.
func (w *dispatchWorker) runWhileSoon(ctx context.Context, ruleID int64) (time.Duration, error) {
	steps := newStepper(w.deps.stepBudget())
	for {
		recheck, soon, err := w.run(ctx, ruleID, steps)
		if err != nil || !soon || recheck > InlineRecheck || !steps.another() {
			return recheck, err
		}
		if err := channel.Sleep(ctx, recheck); err != nil {
			return recheck, nil // the job ends (shutdown, timeout): the recheck job looks again
		}
	}
}

// run works a rule's target phase once. recheck, when not zero, says orders are still pending
// and when to look at them again; soon says the wait is for results of this run's own calls
// (not a polling rule's sweep, nor orders left pending before). Past the step budget (counted
// from the job's start) it stops between batches and snoozes at once: each batch's results are
// recorded, so the next run goes on with the orders left.
func (w *dispatchWorker) run(ctx context.Context, ruleID int64, steps *stepper) (recheck time.Duration, soon bool, err error) {
	st := w.deps.Store
	rule, sh, ok, err := w.deps.ruleToRun(ctx, ruleID)
	if !ok || rule.TargetPhaseID == 0 {
		return 0, false, err
	}
	if w.deps.Eligibility == nil && rule.Kind != workflow.JobMail {
		return 0, false, river.JobCancel(errNoEligibility)
	}
	unlock, ok, err := w.locks.tryLock(ctx, rule.ID)
	if err != nil {
		return 0, false, err
	}
	if !ok {
		return 0, false, river.JobSnooze(DispatchRetryAfter)
	}
	defer unlock()
	proc, err := w.deps.processorFor(sh, rule)
	if err != nil {
		return 0, false, river.JobCancel(fmt.Errorf("shop %d: %w", sh.ID, err))
	}
	client := river.ClientFromContext[dbTx](ctx)
	ctx = channel.WithCall(ctx, string(rule.Kind), 0)
	// Whatever ends the run, orders left pending in the phase (by this run or another before it)
	// are looked at again.
	defer func() {
		if err != nil || recheck > 0 {
			return
		}
		pending, perr := w.pendingIn(ctx, rule.ShopID, rule.TargetPhaseID)
		if perr != nil {
			err = perr
		} else if pending {
			recheck = PendingRecheck
		}
	}()
	// The orders waiting now; those moved in meanwhile have a dispatch of their own queued.
	var waiting []int64
	for page := 1; ; page++ {
		q := WaitingQuery(rule)
		q.Page, q.PageSize = page, store.MaxPageSize
		found, err := st.SearchOrders(ctx, q)
		if err != nil {
			return 0, false, err
		}
		for _, o := range found.Orders {
			waiting = append(waiting, o.ID)
		}
		if len(found.Orders) < store.MaxPageSize {
			break
		}
	}
	// One e-mail per run that had errors, listing each failed order.
	numbers, failed := map[int64]string{}, map[int64]string{}
	defer func() {
		if len(failed) == 0 {
			return
		}
		label := sh.Channel.Spec().JobLabel(rule.Kind)
		subject := notify.ErrorSubject(sh.Channel.Short(), label)
		body := notify.ErrorBody(sh.Name, label, w.deps.Now(), failures(numbers, failed))
		if err := w.deps.notify(context.WithoutCancel(ctx), client, subject, body); err != nil {
			w.deps.Logger.Error("error e-mail not queued", "error", err)
		}
	}()
	// Channels mark orders in the journal before a write that must not happen twice.
	journal := NewJournal(st)
	var due time.Time // when the first order this run left pending is due
	size := cmp.Or(sh.Channel.Spec().BatchSize, BatchSize)
	for start := 0; start < len(waiting); start += size {
		if start > 0 && !steps.another() {
			return 0, false, river.JobSnooze(0)
		}
		// A batch that could pass the channel's daily cap waits for 00:00 Japan time, unsent.
		if wait, err := w.deps.overDailyCap(ctx, client, sh, min(size, len(waiting)-start)*CallsPerOrder); err != nil || wait > 0 {
			if wait > 0 {
				w.deps.Logger.Warn("daily cap reached: the rule waits for midnight Japan time", "shop", sh.ID, "rule", rule.ID, "wait", wait)
				return 0, false, river.JobSnooze(wait)
			}
			return 0, false, err
		}
		batch, err := st.GetOrders(ctx, waiting[start:min(start+size, len(waiting))]) // with lines and shipments
		if err != nil {
			return 0, false, err
		}
		orders := stillWaiting(rule, batch)
		if len(orders) == 0 {
			continue
		}
		results, procErr := w.deps.process(ctx, proc, sh, rule.Kind, orders, journal)
		moved, err := w.apply(ctx, client, rule, orders, results)
		if err != nil {
			return 0, false, err
		}
		for _, o := range orders {
			numbers[o.ID] = o.Number
		}
		for _, r := range results {
			switch {
			case r.Pending && rule.Kind.Polls():
				// Waiting for the marketplace (payment, a status): the rule's own sweep looks again.
			case r.Pending:
				if at := time.Now().Add(max(r.RecheckAfter, time.Second)); due.IsZero() || at.Before(due) {
					due = at
				}
			case !r.OK:
				failed[r.OrderID] = r.Message
			}
		}
		w.deps.Logger.Info("dispatch round", "rule", rule.ID, "kind", rule.Kind, "orders", len(orders), "decided", len(results), "moved", moved, "error", procErr)
		if procErr != nil {
			switch channel.ClassOf(procErr) {
			case channel.Auth:
				return 0, false, w.deps.authFailed(ctx, client, sh, procErr)
			case channel.Rejected:
				// The marketplace refused the whole call: each undecided order fails with its
				// message, so the operator sees it instead of the order waiting forever.
				decided := map[int64]bool{}
				for _, r := range results {
					decided[r.OrderID] = true
				}
				var rest []channel.Result
				for _, o := range orders {
					if !decided[o.ID] {
						rest = append(rest, channel.Result{OrderID: o.ID, LinkStatus: string(workflow.RuleError(rule.Kind)), Message: errorMessage(procErr)})
						failed[o.ID] = errorMessage(procErr)
					}
				}
				if _, err := w.apply(ctx, client, rule, orders, rest); err != nil {
					return 0, false, err
				}
				continue
			}
			var e *channel.Error
			if errors.As(procErr, &e) && e.RetryAfter > 0 {
				return 0, false, river.JobSnooze(e.RetryAfter) // maintenance, quota: come back when asked
			}
			return 0, false, fmt.Errorf("%s for shop %d: %w", rule.Kind, sh.ID, procErr)
		}
	}
	if rule.Kind.Polls() { // 要対応 shows a polling rule whose runs stopped succeeding
		if err := st.MarkRuleSucceeded(ctx, rule.ID, w.deps.Now()); err != nil {
			return 0, false, err
		}
	}
	if due.IsZero() {
		return 0, false, nil
	}
	return max(time.Until(due), time.Millisecond), true, nil
}

// pendingIn says whether a phase holds orders whose marketplace outcome is still pending.
func (w *dispatchWorker) pendingIn(ctx context.Context, shopID, phaseID int64) (bool, error) {
	for _, l := range channel.PendingLinkStatuses() {
		status := string(l)
		page, err := w.deps.Store.SearchOrders(ctx, store.OrderQuery{ShopID: shopID, PhaseID: phaseID, LinkStatus: &status, PageSize: 1})
		if err != nil || len(page.Orders) > 0 {
			return len(page.Orders) > 0, err
		}
	}
	return false, nil
}

// apply records each result in one transaction: link status, the move to the success or error
// phase, and the dispatch of the rule waiting in that phase.
//
// The marketplace has acted on these results, so they are recorded even when the job's own
// time has run out, and the transaction is tried again when the database aborts it (a deadlock
// with an import refreshing the same orders). Should it still fail, the journal's marks make the
// next run read the orders back instead of writing them again.
func (w *dispatchWorker) apply(ctx context.Context, client *river.Client[dbTx], rule workflow.Rule, orders []order.Order, results []channel.Result) (moved int, err error) {
	if len(results) == 0 {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), applyTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		moved, err = w.applyOnce(ctx, client, rule, orders, results)
		if err == nil || attempt == applyAttempts || ctx.Err() != nil {
			return moved, err
		}
		w.deps.Logger.Warn("recording dispatch results failed; trying again", "rule", rule.ID, "attempt", attempt, "error", err)
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
}

// How apply records results: attempts and the time they may take together.
const (
	applyAttempts = 3
	applyTimeout  = 30 * time.Second
)

func (w *dispatchWorker) applyOnce(ctx context.Context, client *river.Client[dbTx], rule workflow.Rule, orders []order.Order, results []channel.Result) (int, error) {
	byID := make(map[int64]order.Order, len(orders))
	for _, o := range orders {
		byID[o.ID] = o
	}
	moved := 0
	err := w.deps.Store.InTx(ctx, func(tx store.Tx) error {
		moved = 0
		// The marketplace's state of the orders it answered for, in one upsert: the rule's orders
		// are one shop's.
		var refreshed []order.Order
		for _, r := range results {
			if _, ok := byID[r.OrderID]; ok && r.Refreshed != nil {
				refreshed = append(refreshed, *r.Refreshed)
			}
		}
		if len(refreshed) > 0 {
			if _, err := tx.UpsertOrders(ctx, rule.ShopID, refreshed, store.UpsertOptions{Actor: "system:" + string(rule.Kind)}); err != nil {
				return err
			}
		}
		enteredPhases := map[int64]bool{}
		var kept []order.Event
		for _, r := range results {
			o, ok := byID[r.OrderID]
			if !ok {
				continue
			}
			message := r.Message
			if !r.OK {
				// A refusal never erases an error the operator has not handled yet.
				var replaced bool
				if message, replaced = workflow.KeepEarlierError(workflow.LinkStatus(o.LinkStatus), o.LinkMessage, workflow.LinkStatus(r.LinkStatus), r.Message); replaced {
					kept = append(kept, order.Event{OrderID: o.ID, Kind: order.EventLinkErrorReplaced, Actor: "system:" + string(rule.Kind),
						Message: fmt.Sprintf("未対応の連携エラー%sを、自動処理「%s」の%sが置き換えました(前のエラーは連携メッセージに残しています)。",
							workflow.EarlierError(workflow.LinkStatus(o.LinkStatus), o.LinkMessage), rule.Kind.Label(), workflow.EarlierError(workflow.LinkStatus(r.LinkStatus), r.Message))})
				}
			}
			if err := tx.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: r.LinkStatus, Message: message, Ref: r.Ref}); err != nil {
				return err
			}
			if r.Pending {
				continue // stays in the target phase until the marketplace's outcome is known
			}
			to := rule.SuccessPhaseID
			if !r.OK {
				to = rule.ErrorPhaseID
			}
			if to == 0 {
				// No phase to move it to (seed 000 lets the operator leave it out): the order
				// stays, marked so that the rule does not take it again until it is moved.
				if err := tx.MarkPhaseDone(ctx, o.ID, rule.TargetPhaseID); err != nil {
					return err
				}
				continue
			}
			// An order the operator moved elsewhere meanwhile stays where they put it.
			ok, err := tx.MoveOrderFrom(ctx, o.ID, rule.TargetPhaseID, to, "system:"+string(rule.Kind))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			moved++
			enteredPhases[to] = true
		}
		if err := tx.AddOrderEvents(ctx, kept); err != nil {
			return err
		}
		for phase := range enteredPhases {
			if err := w.deps.dispatchFor(ctx, client, tx, phase, []int64{rule.ShopID}); err != nil {
				return err
			}
		}
		return nil
	})
	return moved, err
}

// Journal is the channel.Journal of the dispatcher: it commits the marks a channel makes before
// a write, each in a transaction of its own.
type Journal struct {
	store store.Store
}

// NewJournal returns a journal writing to st.
func NewJournal(st store.Store) *Journal { return &Journal{store: st} }

// Intend implements channel.Journal.
func (j *Journal) Intend(ctx context.Context, results []channel.Result) error {
	byLink := map[store.Link][]int64{}
	var links []store.Link
	for _, r := range results {
		l := store.Link{Status: r.LinkStatus, Message: r.Message, Ref: r.Ref}
		if _, ok := byLink[l]; !ok {
			links = append(links, l)
		}
		byLink[l] = append(byLink[l], r.OrderID)
	}
	return j.store.InTx(ctx, func(tx store.Tx) error {
		for _, l := range links {
			if err := tx.SetLinkStatus(ctx, byLink[l], l); err != nil {
				return err
			}
		}
		return nil
	})
}

// dispatchFor queues, in tx, the rules of the given shops that take orders from phaseID, those
// started: the phase is every shop's, and each shop's rule takes only its own orders (seed 000),
// so a move queues the rules of the shops whose orders entered.
func (d Deps) dispatchFor(ctx context.Context, client *river.Client[dbTx], tx store.Tx, phaseID int64, shopIDs []int64) error {
	rules, err := d.Store.RulesTargeting(ctx, phaseID)
	if err != nil {
		return err
	}
	for _, rule := range rules {
		if !rule.Enabled || !rule.Kind.NeedsTargetPhase() || !slices.Contains(shopIDs, rule.ShopID) {
			continue
		}
		if _, err := client.InsertTx(ctx, tx.SQL(), DispatchArgs{RuleID: rule.ID}, nil); err != nil {
			return fmt.Errorf("queue %s: %w", rule.Kind, err)
		}
	}
	return nil
}

// MoveOrdersTx is MoveOrders inside the caller's transaction, so that a move joins other changes
// made in it (the packing bench saves the tracking numbers and moves their orders at once).
func (q *Queue) MoveOrdersTx(ctx context.Context, st store.Store, tx store.Tx, ids []int64, phaseID int64, actor string) ([]int64, error) {
	moved, err := tx.MoveOrders(ctx, ids, phaseID, actor)
	if err != nil || len(moved) == 0 {
		return moved, err
	}
	states, err := st.OrderStates(ctx, moved)
	if err != nil {
		return nil, err
	}
	var shops []int64
	for _, o := range states {
		if !slices.Contains(shops, o.ShopID) {
			shops = append(shops, o.ShopID)
		}
	}
	return moved, Deps{Store: st}.dispatchFor(ctx, q.client, tx, phaseID, shops)
}

// MoveOrders moves orders, of any shops, to a phase for an operator and, in the same
// transaction, queues the rule of each of their shops that takes orders from that phase: they
// are sent within seconds.
func (q *Queue) MoveOrders(ctx context.Context, st store.Store, ids []int64, phaseID int64, actor string) ([]int64, error) {
	var moved []int64
	err := st.InTx(ctx, func(tx store.Tx) error {
		var err error
		moved, err = q.MoveOrdersTx(ctx, st, tx, ids, phaseID, actor)
		return err
	})
	return moved, err
}
