package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// ShopLogo implements store.Store.
func (s *Store) ShopLogo(ctx context.Context, shopID int64) (shop.Logo, error) {
	r, err := s.reader.GetShopLogo(ctx, shopID)
	if errors.Is(err, sql.ErrNoRows) {
		return shop.Logo{}, apperror.New(apperror.NotFound, "店舗のロゴは登録されていません。")
	}
	if err != nil {
		return shop.Logo{}, fmt.Errorf("read shop %d's logo: %w", shopID, err)
	}
	return shop.Logo{ContentType: r.ContentType, Data: r.Data, UpdatedAt: r.UpdatedAt}, nil
}

// SetShopLogo implements store.Store.
func (s *Store) SetShopLogo(ctx context.Context, shopID int64, l shop.Logo, actor string) error {
	if _, err := s.GetShop(ctx, shopID); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		return t.q.PutShopLogo(ctx, sqlitedb.PutShopLogoParams{ShopID: shopID, ContentType: l.ContentType, Data: l.Data, UpdatedAt: s.now(), UpdatedBy: actor})
	})
}

// DeleteShopLogo implements store.Store.
func (s *Store) DeleteShopLogo(ctx context.Context, shopID int64, actor string) error {
	return s.write(ctx, func(t *tx) error { return t.q.DeleteShopLogo(ctx, shopID) })
}
