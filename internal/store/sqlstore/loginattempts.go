package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// CountLoginAttempt implements store.Store. The prune is a transaction of its own that skips
// rows another instance holds, so it never waits and never deadlocks with a count. Then the
// key's ended window goes and the upsert counts the try, in one transaction: two instances
// counting the same key at once land in the same window (PostgreSQL's upsert waits for the
// other's row and adds to it).
func (s *Store) CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (store.LoginAttempts, error) {
	if err := s.write(ctx, func(t *tx) error {
		_, err := t.q.PruneLoginAttempts(ctx, ts(now))
		return err
	}); err != nil {
		return store.LoginAttempts{}, fmt.Errorf("prune login attempts: %w", err)
	}
	var out store.LoginAttempts
	err := s.write(ctx, func(t *tx) error {
		if err := t.q.EndLoginAttemptWindow(ctx, sqlitedb.EndLoginAttemptWindowParams{KeyHash: key, Now: ts(now)}); err != nil {
			return err
		}
		r, err := t.q.CountLoginAttempt(ctx, sqlitedb.CountLoginAttemptParams{KeyHash: key, ExpiresAt: ts(now.Add(window))})
		if err != nil {
			return err
		}
		out = store.LoginAttempts{Count: r.Attempts, Until: r.ExpiresAt}
		return nil
	})
	if err != nil {
		return store.LoginAttempts{}, fmt.Errorf("count login attempt: %w", err)
	}
	return out, nil
}

// UncountLoginAttempt implements store.Store.
func (s *Store) UncountLoginAttempt(ctx context.Context, key string) error {
	return s.write(ctx, func(t *tx) error { return t.q.UncountLoginAttempt(ctx, key) })
}

// ForgetLoginAttempts implements store.Store.
func (s *Store) ForgetLoginAttempts(ctx context.Context, key string) error {
	return s.write(ctx, func(t *tx) error { return t.q.DeleteLoginAttempts(ctx, key) })
}
