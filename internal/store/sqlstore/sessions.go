package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// CreateSession implements store.Store.
func (s *Store) CreateSession(ctx context.Context, sess user.Session) error {
	return s.write(ctx, func(t *tx) error {
		if err := t.q.CreateWebSession(ctx, sqlitedb.CreateWebSessionParams{TokenHash: sess.TokenHash, UserID: sess.UserID,
			CsrfToken: sess.CSRFToken, CreatedAt: ts(sess.CreatedAt), ExpiresAt: ts(sess.ExpiresAt), LastSeenAt: ts(sess.LastSeenAt)}); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// GetSession implements store.Store.
func (s *Store) GetSession(ctx context.Context, tokenHash string, now time.Time) (user.Session, error) {
	r, err := s.reader.GetWebSession(ctx, sqlitedb.GetWebSessionParams{TokenHash: tokenHash, Now: ts(now)})
	if err != nil {
		return user.Session{}, notFound(err, "ログインセッション")
	}
	return user.Session{TokenHash: r.TokenHash, UserID: r.UserID, CSRFToken: r.CsrfToken, CreatedAt: r.CreatedAt,
		ExpiresAt: r.ExpiresAt, LastSeenAt: r.LastSeenAt}, nil
}

// TouchSession implements store.Store.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, now, expiresAt time.Time) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.TouchWebSession(ctx, sqlitedb.TouchWebSessionParams{TokenHash: tokenHash, Now: ts(now), ExpiresAt: ts(expiresAt)})
		return mustAffect(n, err, "ログインセッション")
	})
}

// DeleteSession implements store.Store.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.write(ctx, func(t *tx) error { return t.q.DeleteWebSession(ctx, tokenHash) })
}

// PruneSessions implements store.Store.
func (s *Store) PruneSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		n, err = t.q.DeleteExpiredWebSessions(ctx, ts(now))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune sessions: %w", err)
	}
	return n, nil
}
