package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// CreateAPIToken implements store.Store.
func (s *Store) CreateAPIToken(ctx context.Context, t user.APIToken) (user.APIToken, error) {
	if t.TokenHash == "" || t.UserID == 0 {
		return t, apperror.New(apperror.Invalid, "APIトークンの利用者を指定してください。")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now()
	}
	t.CreatedAt = ts(t.CreatedAt)
	err := s.write(ctx, func(tx *tx) error {
		var err error
		t.ID, err = tx.q.CreateAPIToken(ctx, sqlitedb.CreateAPITokenParams{TokenHash: t.TokenHash, UserID: t.UserID, Name: t.Name, CreatedAt: t.CreatedAt})
		return err
	})
	if err != nil {
		return t, fmt.Errorf("create api token: %w", err)
	}
	return t, nil
}

// GetAPIToken implements store.Store.
func (s *Store) GetAPIToken(ctx context.Context, tokenHash string) (user.APIToken, error) {
	r, err := s.reader.GetAPITokenByHash(ctx, tokenHash)
	if err != nil {
		return user.APIToken{}, notFound(err, "APIトークン")
	}
	return tokenFromRow(r), nil
}

// ListAPITokens implements store.Store.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]user.APIToken, error) {
	rows, err := s.reader.ListAPITokens(ctx, nullID(userID))
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	out := make([]user.APIToken, len(rows))
	for i, r := range rows {
		out[i] = tokenFromRow(r)
	}
	return out, nil
}

// TouchAPIToken implements store.Store.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.TouchAPIToken(ctx, sqlitedb.TouchAPITokenParams{ID: id, Now: nullTime(now)})
		return mustAffect(n, err, "APIトークン")
	})
}

// DeleteAPIToken implements store.Store.
func (s *Store) DeleteAPIToken(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.DeleteAPIToken(ctx, id)
		return mustAffect(n, err, "APIトークン")
	})
}

func tokenFromRow(r sqlitedb.ApiToken) user.APIToken {
	return user.APIToken{ID: r.ID, TokenHash: r.TokenHash, UserID: r.UserID, Name: r.Name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt.Time}
}
