package storetest

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/pgstore"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// sharedPhasesMigration is the migration that made the phases every shop's.
const sharedPhasesMigration = 28

// TestMigrationMergesEachShopsPhasesByName: a store with two shops, each with its own phases
// (same names in another order, and a name of its own), orders, rules and history in them, is
// migrated to shared phases: phases of one name merge into one, ordered by their lowest
// position (ties: the oldest phase first); every order, rule and event names the merged phase,
// so no order loses its phase or its history; the two shops' rules share a target phase.
func TestMigrationMergesEachShopsPhasesByName(t *testing.T) {
	t.Parallel()
	for _, engine := range []struct {
		name    string
		dialect goose.Dialect
		fs      fs.FS
		// open returns the raw database and a store opener, which migrates the rest of the way.
		open func(t *testing.T) (*sql.DB, func() store.Store)
	}{
		{store.EngineSQLite, goose.DialectSQLite3, sqlitestore.Migrations(), func(t *testing.T) (*sql.DB, func() store.Store) {
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
		{store.EnginePostgres, goose.DialectPostgres, pgstore.Migrations(), func(t *testing.T) (*sql.DB, func() store.Store) {
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
			p, err := goose.NewProvider(engine.dialect, db, engine.fs)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, sharedPhasesMigration-1); err != nil {
				t.Fatal(err)
			}
			// Shop 1 (tea): 新規受付 1, 出荷待ち 2, 検品 3. Shop 2 (cup): 出荷待ち 1, 新規受付 2,
			// 梱包 3. Ids 1–3 are tea's, 4–6 cup's.
			const at = "'2026-11-20 10:00:00+00:00'"
			for _, q := range []string{
				"INSERT INTO shops (id, channel, name, created_at, updated_at) VALUES (1, 'rakuten', 'tea', " + at + ", " + at + "), (2, 'aupay', 'cup', " + at + ", " + at + ")",
				"INSERT INTO phases (id, shop_id, name, position) VALUES (1, 1, '新規受付', 1), (2, 1, '出荷待ち', 2), (3, 1, '検品', 3), (4, 2, '出荷待ち', 1), (5, 2, '新規受付', 2), (6, 2, '梱包', 3)",
				"INSERT INTO orders (id, shop_id, number, ordered_at, phase_id, created_at, updated_at) VALUES " +
					"(1, 1, 'T-1', " + at + ", 2, " + at + ", " + at + "), (2, 2, 'C-1', " + at + ", 4, " + at + ", " + at + "), " +
					"(3, 2, 'C-2', " + at + ", 6, " + at + ", " + at + "), (4, 2, 'C-3', " + at + ", 5, " + at + ", " + at + ")",
				"INSERT INTO automation_rules (id, shop_id, job_kind, target_phase_id, success_phase_id, error_phase_id) VALUES " +
					"(1, 1, 'ship_report', 2, 3, 1), (2, 2, 'ship_report', 4, 6, 5)",
				"INSERT INTO order_events (order_id, at, kind, from_phase_id, to_phase_id) VALUES (2, " + at + ", 'phase_moved', 5, 4)",
			} {
				if engine.dialect == goose.DialectPostgres {
					q = strings.Replace(q, ") VALUES", ") OVERRIDING SYSTEM VALUE VALUES", 1) // the ids given
				}
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if engine.dialect == goose.DialectPostgres { // the identities go on after the rows written by hand
				for _, table := range []string{"shops", "phases", "orders", "automation_rules"} {
					if _, err := db.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+table+"', 'id'), 100)"); err != nil {
						t.Fatal(err)
					}
				}
			}
			st := open()

			phases := must[[]workflow.Phase](t)(st.ListPhases(ctx))
			var names []string
			for i, ph := range phases {
				names = append(names, ph.Name)
				if ph.Position != int64(i+1) {
					t.Errorf("phase %s at position %d, want %d", ph.Name, ph.Position, i+1)
				}
			}
			// 新規受付 and 出荷待ち were each first somewhere; 新規受付 is the older. 検品 and 梱包
			// were both third; 検品 is the older.
			if want := []string{"新規受付", "出荷待ち", "検品", "梱包"}; !slices.Equal(names, want) {
				t.Fatalf("merged phases %v, want %v", names, want)
			}
			// The merged phase keeps the oldest id of its name.
			if phases[0].ID != 1 || phases[1].ID != 2 || phases[2].ID != 3 || phases[3].ID != 6 {
				t.Errorf("merged ids %+v", phases)
			}
			inbox, waiting, packing := phases[0].ID, phases[1].ID, phases[3].ID
			for id, want := range map[int64]int64{1: waiting, 2: waiting, 3: packing, 4: inbox} {
				if o := must[order.Order](t)(st.GetOrder(ctx, id)); o.PhaseID != want {
					t.Errorf("order %s in phase %d, want %d", o.Number, o.PhaseID, want)
				}
			}
			// One 出荷待ち holds both shops' orders.
			counts := must[store.PhaseCounts](t)(st.CountOrdersByPhase(ctx, store.OrderQuery{}))
			if counts.Total(waiting) != 2 || counts[waiting][1] != 1 || counts[waiting][2] != 1 {
				t.Errorf("counts of 出荷待ち %v", counts[waiting])
			}
			events := must[[]order.Event](t)(st.ListOrderEvents(ctx, 2))
			if len(events) != 1 || events[0].FromPhaseID != inbox || events[0].ToPhaseID != waiting {
				t.Errorf("history %+v, want 新規受付 → 出荷待ち", events)
			}
			tea := must[workflow.Rule](t)(st.GetRule(ctx, 1))
			cup := must[workflow.Rule](t)(st.GetRule(ctx, 2))
			if tea.TargetPhaseID != waiting || tea.SuccessPhaseID != 3 || tea.ErrorPhaseID != inbox ||
				cup.TargetPhaseID != waiting || cup.SuccessPhaseID != packing || cup.ErrorPhaseID != inbox {
				t.Errorf("rules %+v %+v", tea, cup)
			}
			if rules := must[[]workflow.Rule](t)(st.RulesTargeting(ctx, waiting)); len(rules) != 2 {
				t.Errorf("rules on 出荷待ち %+v, want both shops'", rules)
			}
			// Still one job kind per phase and shop.
			_, err = st.SaveRule(ctx, workflow.Rule{ShopID: 2, Kind: workflow.JobComplete, TargetPhaseID: waiting})
			expectCode(t, err, apperror.Conflict)
		})
	}
}

// TestPhasesAreEveryShops: a second shop brings no phases of its own; both shops' orders wait in
// one list; the side bar counts each phase across the shops with each shop's share; a rule may
// share its target phase with another shop's.
func TestPhasesAreEveryShops(t *testing.T) {
	t.Parallel()
	for _, engine := range Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			tea, phases := NewShop(t, st, "tea")
			cup, cupPhases := NewShop(t, st, "cup")
			if len(cupPhases) != len(workflow.DefaultPhaseNames) || cupPhases["出荷待ち"] != phases["出荷待ち"] {
				t.Fatalf("the second shop's phases %v, want the first's %v", cupPhases, phases)
			}
			must[store.UpsertResult](t)(st.UpsertOrders(ctx, tea.ID, MakeOrders(1, 3, base), store.UpsertOptions{}))
			cupRes := must[store.UpsertResult](t)(st.UpsertOrders(ctx, cup.ID, MakeOrders(1, 2, base), store.UpsertOptions{PhaseID: phases["出荷待ち"].ID}))
			inbox, waiting := phases["新規受付"].ID, phases["出荷待ち"].ID
			counts := must[store.PhaseCounts](t)(st.CountOrdersByPhase(ctx, store.OrderQuery{}))
			if counts.Total(inbox) != 3 || counts[inbox][tea.ID] != 3 || counts[inbox][cup.ID] != 0 ||
				counts.Total(waiting) != 2 || counts[waiting][cup.ID] != 2 {
				t.Errorf("counts %v", counts)
			}
			only := must[store.PhaseCounts](t)(st.CountOrdersByPhase(ctx, store.OrderQuery{ShopID: cup.ID}))
			if only.Total(inbox) != 0 || only.Total(waiting) != 2 {
				t.Errorf("one shop's counts %v", only)
			}
			// A bulk move spans the shops.
			teaIDs := must[[]int64](t)(st.OrderIDs(ctx, store.OrderQuery{ShopID: tea.ID}, 10))
			moved := must[[]int64](t)(st.MoveOrders(ctx, append(teaIDs, cupRes.IDs...), phases["保留"].ID, "tester"))
			if len(moved) != 5 {
				t.Errorf("moved %d of both shops' 5 orders", len(moved))
			}
			for _, sh := range []int64{tea.ID, cup.ID} {
				must[workflow.Rule](t)(st.SaveRule(ctx, workflow.Rule{ShopID: sh, Kind: workflow.JobShipReport, TargetPhaseID: waiting,
					SuccessPhaseID: phases["出荷済み"].ID, ErrorPhaseID: phases["エラー"].ID}))
			}
			if rules := must[[]workflow.Rule](t)(st.RulesTargeting(ctx, waiting)); len(rules) != 2 || rules[0].ShopID == rules[1].ShopID {
				t.Errorf("rules on 出荷待ち %+v", rules)
			}
			if r, ok := must2(t)(st.RuleTargeting(ctx, cup.ID, waiting)); !ok || r.ShopID != cup.ID {
				t.Errorf("cup's rule on 出荷待ち: %+v %v", r, ok)
			}
		})
	}
}

// TestPhaseDoneIsClearedByAMove: an order its rule finished with and left in the phase is marked,
// only while it is still there, and any move, or a link status set anew, clears the mark.
func TestPhaseDoneIsClearedByAMove(t *testing.T) {
	t.Parallel()
	for _, engine := range Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := NewShop(t, st, "tea")
			res := must[store.UpsertResult](t)(st.UpsertOrders(ctx, sh.ID, MakeOrders(1, 2, base), store.UpsertOptions{PhaseID: phases["出荷済み"].ID}))
			a, b := res.IDs[0], res.IDs[1]
			if err := st.MarkPhaseDone(ctx, a, phases["出荷済み"].ID); err != nil {
				t.Fatal(err)
			}
			if err := st.MarkPhaseDone(ctx, b, phases["完了"].ID); err != nil { // not there: left alone
				t.Fatal(err)
			}
			if o := must[order.Order](t)(st.GetOrder(ctx, a)); !o.PhaseDone {
				t.Error("the order is not marked done")
			}
			if o := must[order.Order](t)(st.GetOrder(ctx, b)); o.PhaseDone {
				t.Error("an order of another phase was marked done")
			}
			must[[]int64](t)(st.MoveOrders(ctx, []int64{a}, phases["保留"].ID, "tester"))
			must[[]int64](t)(st.MoveOrders(ctx, []int64{a}, phases["出荷済み"].ID, "tester"))
			if o := must[order.Order](t)(st.GetOrder(ctx, a)); o.PhaseDone {
				t.Error("a move back into the phase kept the mark: the rule would not take it again")
			}
			if err := st.MarkPhaseDone(ctx, a, phases["出荷済み"].ID); err != nil {
				t.Fatal(err)
			}
			o := must[order.Order](t)(st.GetOrder(ctx, a))
			if err := st.MoveOrder(ctx, a, o.Version, phases["保留"].ID, "tester"); err != nil {
				t.Fatal(err)
			}
			if o := must[order.Order](t)(st.GetOrder(ctx, a)); o.PhaseDone {
				t.Error("a single move kept the mark")
			}
			// The operator's retry: the link status set by hand lets the rule take it again.
			if err := st.MarkPhaseDone(ctx, b, phases["出荷済み"].ID); err != nil {
				t.Fatal(err)
			}
			if err := st.SetLinkStatus(ctx, []int64{b}, store.Link{}); err != nil {
				t.Fatal(err)
			}
			if o := must[order.Order](t)(st.GetOrder(ctx, b)); o.PhaseDone {
				t.Error("a link status set by hand kept the mark: the rule would not take the order again")
			}
		})
	}
}

func must2(t *testing.T) func(workflow.Rule, bool, error) (workflow.Rule, bool) {
	return func(r workflow.Rule, ok bool, err error) (workflow.Rule, bool) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r, ok
	}
}
