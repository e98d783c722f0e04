package sqlstore

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// RecordAudit implements store.Store.
func (s *Store) RecordAudit(ctx context.Context, e store.AuditEvent) error {
	return s.write(ctx, func(t *tx) error {
		if err := t.q.InsertAuditEvent(ctx, sqlitedb.InsertAuditEventParams{At: s.now(), Actor: e.Actor, Action: e.Action,
			Target: e.Target, Detail: e.Detail}); err != nil {
			return fmt.Errorf("record audit event %q: %w", e.Action, err)
		}
		return nil
	})
}

// ListAudit implements store.Store.
func (s *Store) ListAudit(ctx context.Context, page, size int) ([]store.AuditEvent, error) {
	_, size, offset := store.Normalise(page, size)
	rows, err := s.reader.ListAuditEvents(ctx, sqlitedb.ListAuditEventsParams{PageSize: int64(size), PageOffset: int64(offset)})
	if err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	out := make([]store.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = store.AuditEvent(r)
		out[i].At = ts(r.At)
	}
	return out, nil
}
