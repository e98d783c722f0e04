// Package jobs runs ichigen's background work on River: jobs are enqueued in the same transaction
// as the store change that calls for them, so a rolled-back change never sends anything, and
// River coordinates any number of instances on one PostgreSQL. On SQLite it uses River's SQLite
// driver on the store's single writer connection.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// Config sets up the queue.
type Config struct {
	// Workers are the job kinds this instance works; nil or empty for an insert-only client.
	Workers *river.Workers
	// PeriodicJobs are scheduled by the elected leader, once across all instances.
	PeriodicJobs []*river.PeriodicJob
	// MaxWorkers bounds concurrent jobs per instance.
	MaxWorkers int
	// PostgresURL, on PostgreSQL, opens a small pgx pool so River hears LISTEN/NOTIFY instead of
	// polling.
	PostgresURL string
	// FetchPollInterval is how often River looks for jobs without a notification.
	FetchPollInterval time.Duration
	// JobTimeout bounds one run of any job (DefaultJobTimeout when zero). A run that is still
	// marked running after RescueAfter(JobTimeout), its instance gone, is run again.
	JobTimeout time.Duration
	Logger     *slog.Logger
}

// DefaultJobTimeout bounds one job run. Long work (a catch-up import, a backlog of orders to
// send) is done in steps of StepBudget(timeout) that record their progress, so no run needs
// longer, and a run left behind by a crashed instance is taken up again within minutes.
const DefaultJobTimeout = time.Minute

// RescueAfter is how long a job may stay running before River takes it for abandoned (its
// instance crashed) and runs it again: twice the job timeout, so that a live run has always
// ended, by its timeout, well before. River looks every 30 seconds, so a crash delays a shop's
// jobs by at most about RescueAfter + 30 s.
func RescueAfter(jobTimeout time.Duration) time.Duration { return 2 * jobTimeout }

// StepBudget is how long a run works before it records its progress and continues in a new
// run: half the job timeout, leaving the other half for the step under way to finish.
func StepBudget(jobTimeout time.Duration) time.Duration { return jobTimeout / 2 }

// Queue is the River client over the store's database.
type Queue struct {
	client   *river.Client[*sql.Tx]
	readDB   *sql.DB
	listener *pgxpool.Pool
	working  bool
}

func driverFor(st store.Store, listener *pgxpool.Pool) riverdriver.Driver[*sql.Tx] {
	if st.Engine() == store.EngineSQLite {
		return riversqlite.New(st.DB())
	}
	if listener != nil {
		return riverdatabasesql.NewWithPgxListener(st.DB(), listener)
	}
	return riverdatabasesql.New(st.DB())
}

// Migrate brings River's own tables up to date. It runs at start and in `ichigen migrate`.
func Migrate(ctx context.Context, st store.Store, logger *slog.Logger) error {
	m, err := rivermigrate.New(driverFor(st, nil), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// New returns a Queue; Start begins working jobs.
func New(ctx context.Context, st store.Store, cfg Config) (*Queue, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 20
	}
	q := &Queue{readDB: st.ReadDB()}
	if st.Engine() == store.EnginePostgres && cfg.PostgresURL != "" {
		poolCfg, err := pgxpool.ParseConfig(cfg.PostgresURL)
		if err != nil {
			return nil, fmt.Errorf("listener pool: %w", err)
		}
		poolCfg.MaxConns = 2
		if q.listener, err = pgxpool.NewWithConfig(ctx, poolCfg); err != nil {
			return nil, fmt.Errorf("listener pool: %w", err)
		}
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	rc := &river.Config{Logger: cfg.Logger, FetchPollInterval: cfg.FetchPollInterval,
		JobTimeout: cfg.JobTimeout, RescueStuckJobsAfter: RescueAfter(cfg.JobTimeout)}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}}
		rc.PeriodicJobs = cfg.PeriodicJobs
		q.working = true
	}
	client, err := river.NewClient(driverFor(st, q.listener), rc)
	if err != nil {
		q.closeListener()
		return nil, fmt.Errorf("river client: %w", err)
	}
	q.client = client
	return q, nil
}

// Client is the River client, for job kinds that need more than InsertTx.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Start begins working jobs, when the queue has workers.
func (q *Queue) Start(ctx context.Context) error {
	if !q.working {
		return nil
	}
	// Cancelling the context given to River's Start cancels running jobs at once; shutdown goes
	// through Stop instead, which lets them finish.
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		q.closeListener()
		return fmt.Errorf("start river: %w", err)
	}
	return nil
}

// Stop lets running jobs finish until ctx ends, then cancels them: River hands a cancelled job
// back to the queue, to run again. A job that does not heed the cancel within CancelWait is
// left to River's rescuer, rather than holding the program's exit.
func (q *Queue) Stop(ctx context.Context) error {
	defer q.closeListener()
	if !q.working {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cancelCtx, cancel := context.WithTimeout(context.Background(), CancelWait)
		defer cancel()
		err = q.client.StopAndCancel(cancelCtx)
	}
	return err
}

// CancelWait is how long Stop waits for cancelled jobs to return.
const CancelWait = 2 * time.Second

func (q *Queue) closeListener() {
	if q.listener != nil {
		q.listener.Close()
	}
}

// InsertTx enqueues a job in the store transaction tx: it exists only if tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.InsertTx(ctx, tx.SQL(), args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Ping checks that River's job table answers, for /healthz. It reads through the reader pool so
// that a long write on SQLite's single writer connection does not fail the health check.
func (q *Queue) Ping(ctx context.Context) error {
	var n int
	if err := q.readDB.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM river_job LIMIT 1) j").Scan(&n); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}
