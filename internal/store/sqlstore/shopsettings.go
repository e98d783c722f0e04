package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// shopSetting reads a shop's setting into v, and says whether one is saved.
func (s *Store) shopSetting(ctx context.Context, shopID int64, name string, v any) (bool, error) {
	raw, err := s.reader.GetShopSetting(ctx, sqlitedb.GetShopSettingParams{ShopID: shopID, Name: name})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read shop %d's %s: %w", shopID, name, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("read shop %d's %s: %w", shopID, name, err)
	}
	return true, nil
}

// putShopSetting saves a shop's setting, replacing the one saved.
func (s *Store) putShopSetting(ctx context.Context, shopID int64, name string, v any, actor string) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode shop %d's %s: %w", shopID, name, err)
	}
	if _, err := s.GetShop(ctx, shopID); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		return t.q.PutShopSetting(ctx, sqlitedb.PutShopSettingParams{ShopID: shopID, Name: name, Value: string(raw), UpdatedAt: s.now(), UpdatedBy: actor})
	})
}

// ShopSender implements store.Store.
func (s *Store) ShopSender(ctx context.Context, shopID int64) (shop.Sender, error) {
	var v shop.Sender
	_, err := s.shopSetting(ctx, shopID, "sender", &v)
	return v, err
}

// SetShopSender implements store.Store.
func (s *Store) SetShopSender(ctx context.Context, shopID int64, v shop.Sender, actor string) error {
	return s.putShopSetting(ctx, shopID, "sender", v, actor)
}

// ShopSetting implements store.Store.
func (s *Store) ShopSetting(ctx context.Context, shopID int64, name string, v any) (bool, error) {
	return s.shopSetting(ctx, shopID, name, v)
}

// SetShopSetting implements store.Store.
func (s *Store) SetShopSetting(ctx context.Context, shopID int64, name string, v any, actor string) error {
	return s.putShopSetting(ctx, shopID, name, v, actor)
}
