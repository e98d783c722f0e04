package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// SetOrderMembers implements store.Store, in plain SQL through the where helper's placeholders.
func (s *Store) SetOrderMembers(ctx context.Context, shopID int64, members map[int64]string) error {
	if len(members) == 0 {
		return nil
	}
	pg := s.cfg.Engine == store.EnginePostgres
	return s.write(ctx, func(t *tx) error {
		for _, id := range slices.Sorted(maps.Keys(members)) {
			w := &where{postgres: pg}
			var q string
			if m := members[id]; m == "" {
				q = "DELETE FROM cart_members WHERE order_id = " + w.arg(id)
			} else {
				q = fmt.Sprintf("INSERT INTO cart_members (order_id, shop_id, member_id) VALUES (%s, %s, %s) ON CONFLICT (order_id) DO UPDATE SET member_id = excluded.member_id, shop_id = excluded.shop_id",
					w.arg(id), w.arg(shopID), w.arg(m))
			}
			if _, err := t.sqlTx.ExecContext(ctx, q, w.args...); err != nil {
				return fmt.Errorf("set member of order %d: %w", id, err)
			}
		}
		return nil
	})
}

// MemberOrders implements store.Store.
func (s *Store) MemberOrders(ctx context.Context, shopID int64, memberID string, limit int) ([]int64, error) {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
	q := fmt.Sprintf("SELECT order_id FROM cart_members WHERE shop_id = %s AND member_id = %s ORDER BY order_id DESC LIMIT %s", w.arg(shopID), w.arg(memberID), w.arg(limit))
	rows, err := s.cfg.Reader.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("member orders: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("member orders: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
