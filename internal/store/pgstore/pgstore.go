// Package pgstore is the PostgreSQL engine of the store (pgx v5 through database/sql), for large
// shops and several ichigen instances on one database.
package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore/pgdb"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MaxConns bounds the pool per instance.
const MaxConns = 20

// Open connects to the database at url (postgres://…) and migrates it.
func Open(ctx context.Context, url string, box *secret.Box) (*sqlstore.Store, error) {
	connConfig, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres URL: %w", err)
	}
	// pgx caches prepared statements, and PostgreSQL switches a prepared statement to a generic
	// plan after five runs. A plan made while a table was small (a new shop's first import)
	// would stay a sequential scan as the table grows, so every run is planned with its values.
	if _, set := connConfig.RuntimeParams["plan_cache_mode"]; !set {
		connConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	db := stdlib.OpenDB(*connConfig)
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(sqlstore.Config{
		Engine:            store.EnginePostgres,
		Writer:            db,
		Queries:           func(db sqlitedb.DBTX) sqlitedb.Querier { return adapter{q: pgdb.New(db)} },
		Box:               box,
		IsUniqueViolation: isUniqueViolation,
	}), nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// Migrations returns the embedded goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

func migrate(ctx context.Context, db *sql.DB) error {
	// Instances starting together take turns: the first migrates, the others find nothing to do.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, Migrations(), goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate postgres: %w", err)
	}
	return nil
}

// RiverMigrationLock is the advisory lock key under which instances migrate River's tables.
const RiverMigrationLock int64 = 0x1c41_6e00

// WithAdvisoryLock runs fn while holding a session advisory lock on key, so that instances
// starting together take turns.
func WithAdvisoryLock(ctx context.Context, db *sql.DB, key int64, fn func(ctx context.Context) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key) //nolint:errcheck // closing the session releases it too
	return fn(ctx)
}
