package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// MarkPaid implements store.OrderWriter.
func (s *Store) MarkPaid(ctx context.Context, orderIDs []int64, paidOn, actor string) (paid []int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		paid, err = t.MarkPaid(ctx, orderIDs, paidOn, actor)
		return err
	})
	return paid, err
}

// MarkPaid implements store.OrderWriter: the orders still unpaid become 入金済み on paidOn, each
// with a line in its history; the others are left as they are.
func (t *tx) MarkPaid(ctx context.Context, orderIDs []int64, paidOn, actor string) ([]int64, error) {
	now := t.s.now()
	paid := make([]int64, 0, len(orderIDs))
	for _, ids := range chunks(orderIDs, idsPerStatement) {
		got, err := t.q.MarkOrdersPaid(ctx, sqlitedb.MarkOrdersPaidParams{PaidOn: sql.NullString{String: paidOn, Valid: true}, Now: now, Ids: ids})
		if err != nil {
			return nil, fmt.Errorf("mark paid: %w", err)
		}
		for _, id := range got {
			if err := t.event(ctx, id, order.EventPaid, actor, 0, 0, "入金確認: 入金日 "+paidOn, now); err != nil {
				return nil, fmt.Errorf("mark paid: event of order %d: %w", id, err)
			}
		}
		paid = append(paid, got...)
	}
	return paid, nil
}
