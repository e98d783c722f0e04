// Package sqlitestore is the embedded SQLite engine of the store (modernc.org/sqlite, pure Go):
// WAL, one writer connection, a pool of readers. It is the default, so ichigen runs with nothing
// installed.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/ichigen-oms/ichigen/internal/secret"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pragmas apply to every connection. busy_timeout covers another process (ichigen migrate, a
// backup) holding the file; within one process the single writer connection serialises writes.
var pragmas = []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"}

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string, box *secret.Box) (*sqlstore.Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	writer, err := sql.Open("sqlite", dsn(path, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	if err := migrate(ctx, writer); err != nil {
		writer.Close()
		return nil, err
	}
	reader, err := sql.Open("sqlite", dsn(path, "_pragma=query_only(1)"))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	reader.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return sqlstore.New(sqlstore.Config{
		Engine:            store.EngineSQLite,
		Writer:            writer,
		Reader:            reader,
		Queries:           func(db sqlitedb.DBTX) sqlitedb.Querier { return sqlitedb.New(db) },
		Box:               box,
		IsUniqueViolation: sqlstore.IsUniqueViolationText,
	}), nil
}

func dsn(path string, extra string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return "file:" + path + "?" + q.Encode() + "&" + extra
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
	p, err := goose.NewProvider(goose.DialectSQLite3, db, Migrations())
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate sqlite: %w", err)
	}
	return nil
}
