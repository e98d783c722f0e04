package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Fetcher brings a shop's orders placed or changed in a window: a channel client.
type Fetcher interface {
	Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error)
}

// Deps are what the channel job kinds need.
type Deps struct {
	Store store.Store
	// Fetcher returns the channel client for a shop.
	Fetcher func(sh shop.Shop) (Fetcher, error)
	// Processor returns the channel client that runs phase rules for a shop.
	Processor func(sh shop.Shop) (Processor, error)
	// Eligibility returns which orders a shop's channel acts on for a job kind; the dispatcher
	// decides the others before calling the processor. Without it, no rule is run.
	Eligibility func(sh shop.Shop, kind workflow.JobKind) workflow.Eligibility
	// Mailer sends the error e-mails to the notification addresses saved in the settings
	// (store.NotifyAddresses), or while none are, to NotifyTo (--notify-to).
	Mailer   *notify.Mailer
	NotifyTo []string
	// CallRetention is how long the API call history is kept.
	CallRetention time.Duration
	// JobTimeout is the queue's (Config.JobTimeout): a run works StepBudget of it, then goes on
	// in a new run.
	JobTimeout time.Duration
	Now        func() time.Time
	Logger     *slog.Logger
}

func (d Deps) stepBudget() time.Duration { return StepBudget(d.JobTimeout) }

// ImportOverlap is how far each import reaches back before the end of the last one, so that an
// order the marketplace makes visible a little late is still found. Re-importing is harmless.
const ImportOverlap = 10 * time.Minute

// FirstImportLookback is how far the first import of a shop reaches back.
const FirstImportLookback = 7 * 24 * time.Hour

// ImportArgs imports one shop's orders for one import rule.
type ImportArgs struct {
	RuleID int64 `json:"rule_id"`
}

// Kind implements river.JobArgs.
func (ImportArgs) Kind() string { return "import" }

// InsertOpts makes an import unique per rule while one is waiting or running; a finished one
// does not block the next.
func (ImportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: waitingStates}}
}

type importWorker struct {
	river.WorkerDefaults[ImportArgs]
	deps Deps
}

// ruleToRun loads a rule and its shop for a job run. ok is false when the run should not go on:
// the rule was stopped since the job was queued, or the shop waits for a new key after an auth
// error (err nil), or either is gone (err cancels the job).
func (d Deps) ruleToRun(ctx context.Context, ruleID int64) (workflow.Rule, shop.Shop, bool, error) {
	rule, err := d.Store.GetRule(ctx, ruleID)
	if err != nil {
		return rule, shop.Shop{}, false, river.JobCancel(err)
	}
	if !rule.Enabled {
		return rule, shop.Shop{}, false, nil
	}
	sh, err := d.Store.GetShop(ctx, rule.ShopID)
	if err != nil {
		return rule, sh, false, river.JobCancel(err)
	}
	return rule, sh, sh.Status != shop.AuthError, nil
}

// Work imports from the end of the last successful import (less the overlap) to now, so an
// outage, a maintenance window or an expired key is caught up in full on the next success. It
// goes a window of importStep at a time and records each before the next (the rule's last run
// is the end of the window covered); past the step budget it continues in a new run, so no run
// outlasts the job timeout however long the gap.
func (w *importWorker) Work(ctx context.Context, job *river.Job[ImportArgs]) error {
	st := w.deps.Store
	rule, sh, ok, err := w.deps.ruleToRun(ctx, job.Args.RuleID)
	if !ok {
		return err
	}
	ctx = channel.WithCall(ctx, string(workflow.JobImport), 0)
	client := river.ClientFromContext[dbTx](ctx)
	steps, step, covered := newStepper(w.deps.stepBudget()), importStep(job.Errors), rule.LastRunAt
	first := true
	for {
		now := w.deps.Now()
		from, to := importWindow(covered, now, step)
		// Past the channel's daily cap, the import waits for 00:00 Japan time; its window stays.
		if wait, err := w.deps.overDailyCap(ctx, client, sh, 1); err != nil || wait > 0 {
			if wait > 0 {
				w.deps.Logger.Warn("daily cap reached: the import waits for midnight Japan time", "shop", sh.ID, "wait", wait)
				return river.JobSnooze(wait)
			}
			return err
		}
		// A client per step: what a fetch leaves to confirm (UnimportedConfirmer) is its own.
		fetcher, err := w.deps.Fetcher(sh)
		if err != nil {
			return river.JobCancel(fmt.Errorf("shop %d: %w", sh.ID, err))
		}
		orders, err := fetcher.Fetch(ctx, from, to)
		partial := errors.Is(err, channel.ErrPartial)
		if err != nil && !partial {
			if channel.ClassOf(err) == channel.Auth {
				return w.deps.authFailed(ctx, client, sh, err) // no retry until the key is replaced
			}
			return fmt.Errorf("import shop %d: %w", sh.ID, err)
		}
		res, err := w.deps.storeImported(ctx, client, sh, orders, sh.OverwriteSameOrder, "system:import")
		if err != nil {
			return err
		}
		if partial { // the window again in a new run, at once: it reads only what is missing
			w.deps.Logger.Info("import step in part", "shop", sh.ID, "from", from, "to", to, "inserted", res.Inserted, "refreshed", res.Refreshed)
			return river.JobSnooze(0)
		}
		// Orders stored while their postage was unfixed are read again once a run, on its first
		// step: the window, by order date, no longer reaches them.
		var fixed map[string]bool
		if first {
			first = false
			if fixed, err = w.deps.refreshUnfixedPostage(ctx, sh, fetcher); err != nil {
				if channel.ClassOf(err) == channel.Auth {
					return w.deps.authFailed(ctx, client, sh, err)
				}
				return err
			}
		}
		if err := w.confirmUnimported(ctx, client, sh, fetcher, fixed); err != nil {
			return err
		}
		if err := st.MarkRuleRun(ctx, rule.ID, to, now.Add(rule.Interval)); err != nil {
			return err
		}
		if err := st.MarkRuleSucceeded(ctx, rule.ID, now); err != nil {
			return err
		}
		w.deps.Logger.Info("import done", "shop", sh.ID, "from", from, "to", to, "inserted", res.Inserted, "refreshed", res.Refreshed, "unchanged", res.Unchanged)
		if !to.Before(now) {
			return nil
		}
		covered = to
		if !steps.another() {
			return river.JobSnooze(0) // the rest in a new run, at once
		}
	}
}

// NextRetry implements river.Worker.
func (w *importWorker) NextRetry(job *river.Job[ImportArgs]) time.Time {
	return channelRetry(job.JobRow, time.Now())
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// storeImported upserts imported orders and, in the same transaction, queues the rule of the
// first phase, where new orders land.
func (d Deps) storeImported(ctx context.Context, client *river.Client[dbTx], sh shop.Shop, orders []order.Order, overwrite bool, actor string) (store.UpsertResult, error) {
	var res store.UpsertResult
	err := d.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		res, err = tx.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{Overwrite: overwrite, Actor: actor})
		if err != nil || len(res.NewIDs) == 0 {
			return err
		}
		phases, err := d.Store.ListPhases(ctx)
		if err != nil || len(phases) == 0 {
			return err
		}
		return d.dispatchFor(ctx, client, tx, phases[0].ID, []int64{sh.ID})
	})
	if err != nil {
		return res, fmt.Errorf("import shop %d: %w", sh.ID, err)
	}
	return res, nil
}

func errorMessage(err error) string {
	var e *channel.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// ScheduleArgs is the leader's tick that queues the polling rules whose time has come.
type ScheduleArgs struct{}

// Kind implements river.JobArgs.
func (ScheduleArgs) Kind() string { return "schedule" }

// scheduledKinds are the rules the scheduler queues: import on its interval, and the phase
// rules once a minute as a safety net behind the dispatch queued with each move.
var scheduledKinds = []workflow.JobKind{workflow.JobImport, workflow.JobConfirm, workflow.JobPaymentReview, workflow.JobStatusFetch,
	workflow.JobShipReport, workflow.JobComplete, workflow.JobCapture}

// PhaseRuleSweep is how often the scheduler queues each started phase rule.
const PhaseRuleSweep = time.Minute

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	deps Deps
}

func (w *scheduleWorker) Work(ctx context.Context, job *river.Job[ScheduleArgs]) error {
	now := w.deps.Now()
	rules, err := w.deps.Store.DueRules(ctx, scheduledKinds, now)
	if err != nil {
		return err
	}
	client := river.ClientFromContext[dbTx](ctx)
	for _, r := range rules {
		var args river.JobArgs = DispatchArgs{RuleID: r.ID}
		next := now.Add(PhaseRuleSweep)
		if r.Kind.Polls() {
			next = now.Add(r.Interval)
		}
		if r.Kind == workflow.JobImport {
			// The next run is set again when the import succeeds; until then, try once an
			// interval.
			args, next = ImportArgs{RuleID: r.ID}, now.Add(r.Interval)
		}
		res, err := client.Insert(ctx, args, nil)
		if err != nil {
			return fmt.Errorf("queue %s of rule %d: %w", r.Kind, r.ID, err)
		}
		if res.UniqueSkippedAsDuplicate {
			// The last run is still finishing (it records its run just before River marks it
			// done): try again on the next tick rather than an interval late.
			next = now.Add(ScheduleInterval)
		}
		if err := w.deps.Store.MarkRuleRun(ctx, r.ID, r.LastRunAt, next); err != nil {
			return err
		}
	}
	return nil
}

// UnimportedConfirmer is a fetcher that also finds orders to confirm without importing them
// (Rakuten's selective-settlement orders, imported only from 発送待ち).
type UnimportedConfirmer = channel.UnimportedConfirmer

// confirmUnimported confirms, when the shop runs a confirm rule, the orders the import found
// awaiting confirmation but does not store yet. They are not in ichigen, so a refusal can only
// be told by e-mail. Those in stored, ichigen's own orders whose postage was just fixed, are the
// operator's to confirm.
func (w *importWorker) confirmUnimported(ctx context.Context, client *river.Client[dbTx], sh shop.Shop, fetcher Fetcher, stored map[string]bool) error {
	uc, ok := fetcher.(UnimportedConfirmer)
	if !ok || len(uc.UnimportedToConfirm()) == 0 || w.deps.Processor == nil {
		return nil
	}
	rules, err := w.deps.Store.ListRules(ctx, sh.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rules, func(r workflow.Rule) bool { return r.Kind == workflow.JobConfirm && r.Enabled }) {
		return nil
	}
	proc, err := w.deps.Processor(sh)
	if err != nil {
		return err
	}
	orders := slices.DeleteFunc(slices.Clone(uc.UnimportedToConfirm()), func(o order.Order) bool { return stored[o.Number] })
	if len(orders) == 0 {
		return nil
	}
	numbers := map[int64]string{}
	for i := range orders {
		orders[i].ID = -int64(i + 1) // not stored: a stand-in id to match results
		numbers[orders[i].ID] = orders[i].Number
	}
	results, err := w.deps.process(channel.WithCall(ctx, string(workflow.JobConfirm), 0), proc, sh, workflow.JobConfirm, orders, NewJournal(w.deps.Store))
	failed := map[int64]string{}
	for _, r := range results {
		if !r.OK {
			failed[r.OrderID] = r.Message + "(この注文は発送待ちになるまで取り込まれないため、RMSで直してください。)"
		}
	}
	if len(failed) > 0 {
		subject := notify.ErrorSubject(sh.Channel.Short(), workflow.JobConfirm.Label())
		body := notify.ErrorBody(sh.Name, workflow.JobConfirm.Label(), w.deps.Now(), failures(numbers, failed))
		if nerr := w.deps.notify(ctx, client, subject, body); nerr != nil {
			return nerr
		}
	}
	return err
}

// importWindow is the window an import step reads: from the end of what was covered (less the
// overlap), or FirstImportLookback for a shop's first import, a step long and not past now.
func importWindow(covered, now time.Time, step time.Duration) (from, to time.Time) {
	from = now.Add(-FirstImportLookback)
	if !covered.IsZero() {
		from = covered.Add(-ImportOverlap)
	}
	to = from.Add(step)
	if !covered.IsZero() {
		to = covered.Add(step)
	}
	return from, minTime(to, now)
}
