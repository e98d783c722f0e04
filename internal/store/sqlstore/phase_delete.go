package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// DeletePhase implements store.Store. The checks and the delete are one transaction that first
// takes the phase list (LockPhases) and then the phase (LockPhase). On PostgreSQL those are row
// locks: a reorder or another deletion waits, and an order moved or
// imported into the phase, or a rule saved on it, either committed before the checks read or
// waits for the delete and then fails on the foreign key, while orders keep moving into the
// other phases. On SQLite the one writer connection serialises every write anyway. The
// conditional delete is the last word should anything still slip past the checks.
//
// History: order events refer to phases by id, without a foreign key, and the order page shows
// the phase's current name. Refusing to delete a phase any event mentions would keep nearly every
// phase forever, and soft deletion would leave a hidden row behind every phase query and the
// unique name. Instead the phase's name is written into the events that mention it and their id
// cleared (KeepPhaseNameInEvents), in the same transaction: the history reads as before, and no
// event points at an id that SQLite may give a later phase.
func (s *Store) DeletePhase(ctx context.Context, phaseID int64) error {
	return s.write(ctx, func(t *tx) error {
		if _, err := t.q.GetPhase(ctx, phaseID); err != nil {
			return notFound(err, "処理フェーズ")
		}
		if _, err := t.q.LockPhases(ctx); err != nil {
			return fmt.Errorf("lock the phases: %w", err)
		}
		if _, err := t.q.LockPhase(ctx, phaseID); err != nil {
			return notFound(err, "処理フェーズ") // deleted while this waited
		}
		// Read again under the lock: a rename or reorder may have committed meanwhile.
		rows, err := t.q.ListPhases(ctx)
		if err != nil {
			return fmt.Errorf("list phases: %w", err)
		}
		d := workflow.PhaseDeletion{Phases: make([]workflow.Phase, len(rows))}
		for i, r := range rows {
			d.Phases[i] = workflow.Phase(r)
		}
		i := slices.IndexFunc(d.Phases, func(q workflow.Phase) bool { return q.ID == phaseID })
		if i < 0 {
			return apperror.New(apperror.NotFound, "処理フェーズが見つかりません。削除されたか、URLが誤っています。")
		}
		d.Phase = d.Phases[i]
		if d.Orders, err = t.q.CountPhaseOrders(ctx, sqlitedb.CountPhaseOrdersParams{PhaseID: phaseID, Cap: store.CountCap + 1}); err != nil {
			return fmt.Errorf("count the orders of phase %d: %w", phaseID, err)
		}
		d.OrdersCapped = store.Capped(d.Orders)
		if d.OrdersCapped {
			d.Orders = store.CountCap
		}
		ruleRows, err := t.q.ListAllRules(ctx)
		if err != nil {
			return fmt.Errorf("list rules: %w", err)
		}
		for _, r := range ruleRows {
			d.Rules = append(d.Rules, ruleFromRow(r))
		}
		if err := d.Check(); err != nil {
			return err
		}
		if err := t.q.KeepPhaseNameInEvents(ctx, sqlitedb.KeepPhaseNameInEventsParams{PhaseID: phaseID, Name: d.Phase.Name}); err != nil {
			return fmt.Errorf("keep the name of phase %d in the order histories: %w", phaseID, err)
		}
		n, err := t.q.DeleteUnusedPhase(ctx, phaseID)
		if err != nil {
			return fmt.Errorf("delete phase %d: %w", phaseID, err)
		}
		if n == 0 {
			return apperror.New(apperror.Conflict, "処理フェーズ「%s」は、確認の間に注文か自動処理で使われたため削除できませんでした。画面を更新して確認してください。", d.Phase.Name)
		}
		return nil
	})
}
