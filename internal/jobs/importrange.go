package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// ImportRangeArgs imports a shop's orders of a date range on an operator's request (期間を指定して
// 受注取込), beside the shop's import rule and without moving its window. With Overwrite, orders
// already in ichigen take the marketplace's version (同一注文の上書き); without, only their
// marketplace and payment status refresh.
type ImportRangeArgs struct {
	ShopID    int64     `json:"shop_id"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Overwrite bool      `json:"overwrite"`
}

// Kind implements river.JobArgs.
func (ImportRangeArgs) Kind() string { return "import_range" }

// MaxImportRange is how far back an on-demand import may reach: RMS searches the last 730 days.
const MaxImportRange = 730 * 24 * time.Hour

// CheckImportRange refuses a range the marketplaces cannot search, saying what to enter.
func CheckImportRange(from, to, now time.Time) error {
	switch {
	case from.IsZero() || to.IsZero():
		return apperror.New(apperror.Invalid, "取込期間の開始日時と終了日時を入力してください。")
	case !from.Before(to):
		return apperror.New(apperror.Invalid, "取込期間の開始日時は終了日時より前にしてください。")
	case from.Before(now.Add(-MaxImportRange)):
		return apperror.New(apperror.Invalid, "取込期間の開始日時は730日前(%s)以降にしてください。", now.Add(-MaxImportRange).Format("2006-01-02"))
	case to.After(now.Add(time.Minute)):
		return apperror.New(apperror.Invalid, "取込期間の終了日時に未来の日時は指定できません。")
	}
	return nil
}

type importRangeWorker struct {
	river.WorkerDefaults[ImportRangeArgs]
	deps Deps
}

// NextRetry implements river.Worker.
func (w *importRangeWorker) NextRetry(job *river.Job[ImportRangeArgs]) time.Time {
	return channelRetry(job.JobRow, time.Now())
}

// Work imports the range a window of importStep at a time. Past the step budget, in one
// transaction, it queues the rest of the range as a new job and completes this one, so no run
// outlasts the job timeout and a crash repeats at most the steps of one run.
func (w *importRangeWorker) Work(ctx context.Context, job *river.Job[ImportRangeArgs]) error {
	a := job.Args
	sh, fetcher, err := operatorClient[Fetcher](ctx, w.deps, a.ShopID, "import")
	if err != nil {
		return err
	}
	client := river.ClientFromContext[dbTx](ctx)
	steps, step := newStepper(w.deps.stepBudget()), importStep(job.Errors)
	for from := a.From; from.Before(a.To); {
		if from.After(a.From) && !steps.another() {
			rest := a
			rest.From = from
			return w.deps.Store.InTx(ctx, func(tx store.Tx) error {
				if _, err := client.InsertTx(ctx, tx.SQL(), rest, nil); err != nil {
					return fmt.Errorf("queue the rest of the range import: %w", err)
				}
				_, err := river.JobCompleteTx[riverdriver.Driver[dbTx]](ctx, tx.SQL(), job)
				return err
			})
		}
		to := minTime(from.Add(step), a.To)
		orders, err := fetcher.Fetch(channel.WithCall(ctx, string(workflow.JobImport), 0), from, to)
		partial := errors.Is(err, channel.ErrPartial)
		if err != nil && !partial {
			if channel.ClassOf(err) == channel.Auth {
				return w.deps.authFailed(ctx, client, sh, err)
			}
			return fmt.Errorf("import shop %d from %s to %s: %w", sh.ID, from, to, err)
		}
		res, err := w.deps.storeImported(ctx, client, sh, orders, a.Overwrite, "operator:import_range")
		if err != nil {
			return err
		}
		if partial { // this step again in a new run: it reads only what is missing
			return river.JobSnooze(0)
		}
		w.deps.Logger.Info("range import step done", "shop", sh.ID, "from", from, "to", to, "overwrite", a.Overwrite,
			"inserted", res.Inserted, "refreshed", res.Refreshed, "unchanged", res.Unchanged)
		from = to
	}
	return nil
}

// ImportRange queues an on-demand import of a shop's orders placed or changed from from to to.
func (q *Queue) ImportRange(ctx context.Context, args ImportRangeArgs, now time.Time) (int64, error) {
	if err := CheckImportRange(args.From, args.To, now); err != nil {
		return 0, err
	}
	res, err := q.client.Insert(ctx, args, nil)
	if err != nil {
		return 0, fmt.Errorf("queue the range import: %w", err)
	}
	return res.Job.ID, nil
}
