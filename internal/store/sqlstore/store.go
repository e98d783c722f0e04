// Package sqlstore implements store.Store once for both engines. Each engine package (sqlitestore,
// pgstore) opens its database, runs its migrations and hands over its sqlc queries as a
// sqlitedb.Querier: sqlc generates field-identical structs for both engines, so the SQLite ones
// serve as the engine-neutral rows and pgstore converts to them (see pgstore/adapter_gen.go).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// Config is what an engine package hands over.
type Config struct {
	Engine string
	// Writer is the pool that writes (for SQLite a single connection); Reader serves reads and
	// may be the same pool.
	Writer, Reader *sql.DB
	// Queries wraps a connection or transaction in the engine's sqlc queries.
	Queries func(db sqlitedb.DBTX) sqlitedb.Querier
	// Box encrypts shop credentials.
	Box *secret.Box
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// IsUniqueViolation recognises the engine's unique-constraint error.
	IsUniqueViolation func(error) bool
	// Close releases what the engine opened beyond the two pools.
	Close func() error
}

// Store is store.Store on a SQL database.
type Store struct {
	cfg    Config
	reader sqlitedb.Querier
}

var _ store.Store = (*Store)(nil)

// New returns a Store.
func New(cfg Config) *Store {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Reader == nil {
		cfg.Reader = cfg.Writer
	}
	return &Store{cfg: cfg, reader: cfg.Queries(cfg.Reader)}
}

// Engine implements store.Store.
func (s *Store) Engine() string { return s.cfg.Engine }

// DB implements store.Store.
func (s *Store) DB() *sql.DB { return s.cfg.Writer }

// ReadDB implements store.Store.
func (s *Store) ReadDB() *sql.DB { return s.cfg.Reader }

// Ping implements store.Store. It runs a query, which PingContext alone would not on a pooled
// connection.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.cfg.Reader.ExecContext(ctx, "SELECT 1"); err != nil {
		return fmt.Errorf("ping %s: %w", s.cfg.Engine, err)
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	errs := []error{s.cfg.Writer.Close()}
	if s.cfg.Reader != s.cfg.Writer {
		errs = append(errs, s.cfg.Reader.Close())
	}
	if s.cfg.Close != nil {
		errs = append(errs, s.cfg.Close())
	}
	return errors.Join(errs...)
}

// InTx implements store.Store. A panic in fn rolls the transaction back too, so the writer
// connection is never left inside a dead transaction. Inside fn, write through tx only: on
// SQLite a write through the Store would wait for the one writer connection that tx holds.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	sqlTx, err := s.cfg.Writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer sqlTx.Rollback() //nolint:errcheck // a no-op after Commit
	t := &tx{s: s, sqlTx: sqlTx, q: s.cfg.Queries(sqlTx)}
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// write runs fn in a transaction with the tx's queries.
func (s *Store) write(ctx context.Context, fn func(t *tx) error) error {
	return s.InTx(ctx, func(t store.Tx) error { return fn(t.(*tx)) })
}

// now is the store's clock in the form both engines keep: UTC, microseconds.
func (s *Store) now() time.Time { return ts(s.cfg.Now()) }

// ts normalises a time for storage. UTC also drops the monotonic reading, which SQLite's driver
// would otherwise write into the text.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: ts(t), Valid: true}
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// nullString is NULL for "": the search queries skip a NULL filter.
func nullString[T ~string](v T) sql.NullString {
	return sql.NullString{String: string(v), Valid: v != ""}
}

// notFound maps sql.ErrNoRows to a domain error naming what was looked for.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperror.New(apperror.NotFound, "%sが見つかりません。削除されたか、URLが誤っています。", what)
	}
	return err
}

// mustAffect turns "no row changed" into a not-found error.
func mustAffect(n int64, err error, what string) error {
	if err != nil {
		return err
	}
	if n == 0 {
		return apperror.New(apperror.NotFound, "%sが見つかりません。削除されたか、URLが誤っています。", what)
	}
	return nil
}

// conflictIfUnique turns the engine's unique violation into a domain conflict.
func (s *Store) conflictIfUnique(err error, message string) error {
	if err != nil && s.cfg.IsUniqueViolation != nil && s.cfg.IsUniqueViolation(err) {
		return apperror.New(apperror.Conflict, "%s", message)
	}
	return err
}

// chunks splits ids into slices of at most n.
func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// tx is store.Tx.
type tx struct {
	s     *Store
	sqlTx *sql.Tx
	q     sqlitedb.Querier
	stmts map[string]*sql.Stmt // see prepared
}

// SQL implements store.Tx.
func (t *tx) SQL() *sql.Tx { return t.sqlTx }

// IsUniqueViolationText recognises unique violations by the engines' messages, for drivers whose
// error types are not imported here.
func IsUniqueViolationText(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
