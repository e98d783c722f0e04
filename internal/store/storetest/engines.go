// Package storetest opens fresh stores on both engines for tests and benchmarks, and holds the
// conformance suite that both engines must pass.
//
// PostgreSQL tests use ICHIGEN_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres)
// and a schema of their own each. Without a reachable server they are skipped with a message,
// unless ICHIGEN_REQUIRE_POSTGRES=1 (as in CI), where that is a failure.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore"
)

// Opener opens a fresh, migrated store (River's tables included) that is closed with the test.
type Opener func(tb testing.TB) store.Store

// Engine is one engine under test.
type Engine struct {
	Name string
	Open Opener
}

// Engines returns both engines.
func Engines() []Engine {
	return []Engine{{Name: store.EngineSQLite, Open: SQLite}, {Name: store.EnginePostgres, Open: Postgres}}
}

// Box returns a secret box with a fresh key.
func Box(tb testing.TB) *secret.Box {
	b, err := secret.NewBox(secret.NewKey())
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// SQLite opens a store on a new file in the test's temporary directory.
func SQLite(tb testing.TB) store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(tb.TempDir(), "ichigen.db"), Box(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := jobs.Migrate(ctx, st, nil); err != nil {
		tb.Fatal(err)
	}
	return st
}

// PostgresBaseURL is the server the PostgreSQL tests use.
func PostgresBaseURL() string {
	if u := os.Getenv("ICHIGEN_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

var (
	pgOnce sync.Once
	pgErr  error
)

// RequirePostgres skips the test when no PostgreSQL server answers, or fails it when
// ICHIGEN_REQUIRE_POSTGRES=1.
func RequirePostgres(tb testing.TB) {
	tb.Helper()
	pgOnce.Do(func() {
		db, err := sql.Open("pgx", PostgresBaseURL())
		if err != nil {
			pgErr = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		pgErr = db.PingContext(ctx)
	})
	if pgErr == nil {
		return
	}
	msg := fmt.Sprintf("PostgreSQL at %s is not reachable (%v)", redactURL(PostgresBaseURL()), pgErr)
	if os.Getenv("ICHIGEN_REQUIRE_POSTGRES") == "1" {
		tb.Fatal(msg + "; ICHIGEN_REQUIRE_POSTGRES=1 makes this a failure")
	}
	tb.Skip(msg + ": skipping the PostgreSQL tests (set ICHIGEN_TEST_POSTGRES to point at a server)")
}

// PostgresSchemaURL creates an empty schema dropped with the test and returns a URL whose
// connections use it.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	RequirePostgres(tb)
	base := PostgresBaseURL()
	db, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	trgmOnce.Do(func() { trgmErr = ensureTrgm(db) })
	if trgmErr != nil {
		tb.Fatal(trgmErr)
	}
	schema := "t_" + strings.ToLower(rand.Text()[:12])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

var (
	trgmOnce sync.Once
	trgmErr  error
)

// ensureTrgm creates pg_trgm in the public schema before any test schema runs the migrations:
// otherwise the first schema's migration would create it inside itself, and dropping that schema
// would drop it under the others. Test processes racing to create it is fine: the loser finds it.
func ensureTrgm(db *sql.DB) error {
	_, err := db.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	if err == nil {
		return nil
	}
	var exists bool
	if qerr := db.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')").Scan(&exists); qerr == nil && exists {
		return nil
	}
	return fmt.Errorf("create the pg_trgm extension (PostgreSQL contrib) for the order search: %w", err)
}

// Postgres opens a store in a fresh schema.
func Postgres(tb testing.TB) store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := pgstore.Open(ctx, PostgresSchemaURL(tb), Box(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := jobs.Migrate(ctx, st, nil); err != nil {
		tb.Fatal(err)
	}
	return st
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// StartQueue starts a River queue on st for the test and stops it when the test ends.
func StartQueue(tb testing.TB, st store.Store, cfg jobs.Config) *jobs.Queue {
	tb.Helper()
	ctx := context.Background()
	q, err := jobs.New(ctx, st, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			tb.Error(err)
		}
	})
	return q
}
