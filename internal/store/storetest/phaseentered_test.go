package storetest

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// phaseEnteredMigration is the migration that records when each order came into its phase.
const phaseEnteredMigration = 33

// TestMigrationDatesEachOrdersEntryIntoItsPhase: orders stored before the migration entered
// their phase at their last recorded move into it, or, with none recorded, when they were
// imported; a move into another phase does not count. On both engines.
func TestMigrationDatesEachOrdersEntryIntoItsPhase(t *testing.T) {
	t.Parallel()
	for _, engine := range []struct {
		name    string
		dialect goose.Dialect
		open    func(t *testing.T) (*sql.DB, func() store.Store)
	}{
		{store.EngineSQLite, goose.DialectSQLite3, func(t *testing.T) (*sql.DB, func() store.Store) {
			path := filepath.Join(t.TempDir(), "ichigen.db")
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			return db, func() store.Store {
				st, err := sqlitestore.Open(context.Background(), path, Box(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
		}},
		{store.EnginePostgres, goose.DialectPostgres, func(t *testing.T) (*sql.DB, func() store.Store) {
			url := PostgresSchemaURL(t)
			db, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatal(err)
			}
			return db, func() store.Store {
				st, err := pgstore.Open(context.Background(), url, Box(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
		}},
	} {
		t.Run(engine.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, open := engine.open(t)
			defer db.Close()
			fsys := sqlitestore.Migrations()
			if engine.dialect == goose.DialectPostgres {
				fsys = pgstore.Migrations()
			}
			p, err := goose.NewProvider(engine.dialect, db, fsys)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, phaseEnteredMigration-1); err != nil {
				t.Fatal(err)
			}
			const created, first, last, elsewhere = "'2026-11-20 10:00:00+00:00'", "'2026-11-21 10:00:00+00:00'", "'2026-11-22 10:00:00+00:00'", "'2026-11-23 10:00:00+00:00'"
			for _, q := range []string{
				"INSERT INTO shops (id, channel, name, created_at, updated_at) VALUES (1, 'rakuten', 'tea', " + created + ", " + created + ")",
				"INSERT INTO phases (id, name, position) VALUES (1, '新規受付', 1), (2, '出荷待ち', 2)",
				"INSERT INTO orders (id, shop_id, number, ordered_at, phase_id, created_at, updated_at) VALUES " +
					"(1, 1, 'T-1', " + created + ", 2, " + created + ", " + created + "), (2, 1, 'T-2', " + created + ", 1, " + created + ", " + created + ")",
				// T-1 came into 出荷待ち twice, the last time on the 22nd; T-2 left for 出荷待ち on
				// the 23rd and came back unrecorded.
				"INSERT INTO order_events (order_id, at, kind, from_phase_id, to_phase_id) VALUES (1, " + first + ", 'phase_moved', 1, 2), " +
					"(1, " + last + ", 'phase_moved', 1, 2), (2, " + elsewhere + ", 'phase_moved', 1, 2)",
			} {
				if engine.dialect == goose.DialectPostgres {
					q = strings.Replace(q, ") VALUES", ") OVERRIDING SYSTEM VALUE VALUES", 1)
				}
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			st := open()
			for id, want := range map[int64]time.Time{
				1: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
				2: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
			} {
				if o := must[order.Order](t)(st.GetOrder(ctx, id)); !o.PhaseEnteredAt.Equal(want) {
					t.Errorf("order %s entered its phase at %v, want %v", o.Number, o.PhaseEnteredAt, want)
				}
			}
			phases := must[[]workflow.Phase](t)(st.ListPhases(ctx))
			if phases[0].ExpectedHours != 0 {
				t.Errorf("a migrated phase expects %d hours, want no limit", phases[0].ExpectedHours)
			}
		})
	}
}

// TestAMoveIntoAnotherPhaseStartsTheTimeInIt: moving one order (by hand or by a rule) into
// another phase dates its entry; a move into the phase it is already in does not. On both
// engines.
func TestAMoveIntoAnotherPhaseStartsTheTimeInIt(t *testing.T) {
	t.Parallel()
	for _, engine := range Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := NewShop(t, st, "entered")
			ids := must[store.UpsertResult](t)(st.UpsertOrders(ctx, sh.ID, MakeOrders(1, 1, time.Now()), store.UpsertOptions{PhaseID: phases["新規受付"].ID})).IDs
			get := func() order.Order { return must[order.Order](t)(st.GetOrder(ctx, ids[0])) }
			imported := get()
			if err := st.MoveOrder(ctx, ids[0], imported.Version, phases["新規受付"].ID, "test"); err != nil {
				t.Fatal(err)
			}
			same := get()
			if !same.PhaseEnteredAt.Equal(imported.PhaseEnteredAt) {
				t.Errorf("a move into the same phase dated the entry %v, was %v", same.PhaseEnteredAt, imported.PhaseEnteredAt)
			}
			if err := st.MoveOrder(ctx, ids[0], same.Version, phases["出荷待ち"].ID, "test"); err != nil {
				t.Fatal(err)
			}
			if moved := get(); !moved.PhaseEnteredAt.After(imported.PhaseEnteredAt) {
				t.Errorf("a move into 出荷待ち left the entry at %v (imported %v)", moved.PhaseEnteredAt, imported.PhaseEnteredAt)
			}
		})
	}
}
