package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// SaveChannelToken implements store.Store.
func (s *Store) SaveChannelToken(ctx context.Context, shopID int64, token string, expiresAt time.Time) error {
	if token == "" {
		return s.write(ctx, func(t *tx) error { return t.q.DeleteChannelToken(ctx, shopID) })
	}
	sealed := s.cfg.Box.Seal([]byte(token))
	err := s.write(ctx, func(t *tx) error {
		return t.q.SaveChannelToken(ctx, sqlitedb.SaveChannelTokenParams{ShopID: shopID, Token: sealed, ExpiresAt: ts(expiresAt), Now: s.now()})
	})
	if err != nil {
		return fmt.Errorf("save access token of shop %d: %w", shopID, err)
	}
	return nil
}

// ChannelToken implements store.Store.
func (s *Store) ChannelToken(ctx context.Context, shopID int64) (string, time.Time, error) {
	r, err := s.reader.GetChannelToken(ctx, shopID)
	if err != nil {
		return "", time.Time{}, notFound(err, "アクセストークン")
	}
	plain, err := s.cfg.Box.Open(r.Token)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("access token of shop %d: %w", shopID, err)
	}
	return string(plain), r.ExpiresAt, nil
}
