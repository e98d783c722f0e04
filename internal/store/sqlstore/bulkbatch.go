package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The bulk batches are written in plain SQL through the where helper's placeholders: the ids go
// in chunks of idsPerStatement, each one INSERT … SELECT that keeps only the orders that exist.

// CreateBulkBatch implements store.Store.
func (s *Store) CreateBulkBatch(ctx context.Context, b store.BulkBatch, ids []int64) (int64, error) {
	entries := make([]store.BatchEntry, len(ids))
	for i, id := range ids {
		entries[i].OrderID = id
	}
	return s.CreateBatch(ctx, b, entries)
}

// CreateBatch implements store.Store. The orders go in as CreateBulkBatch's; their jobs and
// outcomes are then set by one UPDATE per job and outcome (a job takes up to hundreds of orders).
func (s *Store) CreateBatch(ctx context.Context, b store.BulkBatch, entries []store.BatchEntry) (int64, error) {
	ids := make([]int64, len(entries))
	type mark struct {
		job     int64
		outcome string
	}
	groups := map[mark][]int64{}
	var order []mark
	for i, e := range entries {
		ids[i] = e.OrderID
		if m := (mark{e.JobID, e.Outcome}); m != (mark{}) {
			if _, ok := groups[m]; !ok {
				order = append(order, m)
			}
			groups[m] = append(groups[m], e.OrderID)
		}
	}
	pg := s.cfg.Engine == store.EnginePostgres
	var id int64
	err := s.write(ctx, func(t *tx) error {
		w := &where{postgres: pg}
		if _, err := t.sqlTx.ExecContext(ctx, "DELETE FROM bulk_batches WHERE created_at < "+w.arg(ts(b.CreatedAt.Add(-store.BulkBatchKeep))), w.args...); err != nil {
			return err
		}
		w = &where{postgres: pg}
		insert := fmt.Sprintf("INSERT INTO bulk_batches (created_at, phase_id, actor, kind) VALUES (%s, %s, %s, %s) RETURNING id",
			w.arg(ts(b.CreatedAt)), w.arg(b.PhaseID), w.arg(b.Actor), w.arg(b.Kind))
		if err := t.sqlTx.QueryRowContext(ctx, insert, w.args...).Scan(&id); err != nil {
			return err
		}
		for _, chunk := range chunks(ids, idsPerStatement) {
			w := &where{postgres: pg}
			batch := w.arg(id)
			marks := make([]string, len(chunk))
			for i, o := range chunk {
				marks[i] = w.arg(o)
			}
			q := fmt.Sprintf("INSERT INTO bulk_batch_orders (batch_id, order_id) SELECT %s, id FROM orders WHERE id IN (%s)", batch, strings.Join(marks, ", "))
			if pg {
				q = strings.Replace(q, "SELECT "+batch, "SELECT "+batch+"::bigint", 1)
			}
			if _, err := t.sqlTx.ExecContext(ctx, q, w.args...); err != nil {
				return err
			}
		}
		for _, m := range order {
			for _, chunk := range chunks(groups[m], idsPerStatement) {
				w := &where{postgres: pg}
				q := fmt.Sprintf("UPDATE bulk_batch_orders SET job_id = %s, outcome = %s WHERE batch_id = %s AND order_id IN (", w.arg(m.job), w.arg(m.outcome), w.arg(id))
				marks := make([]string, len(chunk))
				for i, o := range chunk {
					marks[i] = w.arg(o)
				}
				if _, err := t.sqlTx.ExecContext(ctx, q+strings.Join(marks, ", ")+")", w.args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("create bulk batch: %w", err)
	}
	return id, nil
}

// GetBulkBatch implements store.Store.
func (s *Store) GetBulkBatch(ctx context.Context, id int64) (store.BulkBatch, error) {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
	b := store.BulkBatch{}
	err := s.cfg.Reader.QueryRowContext(ctx, "SELECT id, created_at, phase_id, actor, kind FROM bulk_batches WHERE id = "+w.arg(id), w.args...).
		Scan(&b.ID, &b.CreatedAt, &b.PhaseID, &b.Actor, &b.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return b, apperror.New(apperror.NotFound, "この一括操作の記録は見つかりません(記録は7日間残ります)。一覧で条件を指定して注文を探してください。")
	}
	if err != nil {
		return b, fmt.Errorf("get bulk batch %d: %w", id, err)
	}
	return b, nil
}

// BulkBatchOrders implements store.Store.
func (s *Store) BulkBatchOrders(ctx context.Context, id int64) ([]store.BatchOrder, error) {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
	rows, err := s.cfg.Reader.QueryContext(ctx, "SELECT o.id, o.shop_id, o.phase_id, o.phase_done, o.link_status, b.job_id, b.outcome FROM bulk_batch_orders b JOIN orders o ON o.id = b.order_id WHERE b.batch_id = "+w.arg(id), w.args...)
	if err != nil {
		return nil, fmt.Errorf("bulk batch %d orders: %w", id, err)
	}
	defer rows.Close()
	out := []store.BatchOrder{}
	for rows.Next() {
		var o store.BatchOrder
		if err := rows.Scan(&o.ID, &o.ShopID, &o.PhaseID, &o.PhaseDone, &o.LinkStatus, &o.JobID, &o.Outcome); err != nil {
			return nil, fmt.Errorf("bulk batch %d orders: %w", id, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
