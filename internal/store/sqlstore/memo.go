package sqlstore

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// SetOrderMemo implements store.OrderWriter.
func (s *Store) SetOrderMemo(ctx context.Context, orderID, version int64, memo, actor string) (changed bool, err error) {
	err = s.write(ctx, func(t *tx) error {
		changed, err = t.SetOrderMemo(ctx, orderID, version, memo, actor)
		return err
	})
	return changed, err
}

// SetOrderMemo implements store.OrderWriter: the memo and a line in the order's history, unless
// the memo is the one stored already.
func (t *tx) SetOrderMemo(ctx context.Context, orderID, version int64, memo, actor string) (bool, error) {
	o, err := t.q.GetOrder(ctx, orderID)
	if err != nil {
		return false, notFound(err, "注文")
	}
	if version != 0 && o.Version != version {
		return false, errStale
	}
	if o.Memo == memo {
		return false, nil
	}
	now := t.s.now()
	n, err := t.q.SetOrderMemo(ctx, sqlitedb.SetOrderMemoParams{Memo: memo, Now: now, ID: orderID, Version: o.Version})
	if err != nil {
		return false, fmt.Errorf("set memo of order %d: %w", orderID, err)
	}
	if n == 0 {
		return false, errStale
	}
	if err := t.event(ctx, orderID, order.EventMemo, actor, 0, 0, order.MemoEventText(memo), now); err != nil {
		return false, fmt.Errorf("set memo of order %d: event: %w", orderID, err)
	}
	return true, nil
}
