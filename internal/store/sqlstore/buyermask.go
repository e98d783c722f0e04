package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// MaskBuyerData implements store.Store. The orders are masked in one transaction; what the
// rows held is never logged or put in an error.
func (s *Store) MaskBuyerData(ctx context.Context, shopID int64, before time.Time, limit int, actor string) (masked int, err error) {
	err = s.write(ctx, func(t *tx) error {
		rows, err := t.q.ListBuyerDataToMask(ctx, sqlitedb.ListBuyerDataToMaskParams{ShopID: shopID, Before: nullTime(before), Lim: int64(limit)})
		if err != nil {
			return fmt.Errorf("mask buyer data of shop %d: %w", shopID, err)
		}
		now := t.s.now()
		for _, r := range rows {
			packages, err := maskPackages(r.Packages)
			if err != nil {
				return fmt.Errorf("mask buyer data of order %d: packages unreadable", r.ID)
			}
			n, err := t.q.MaskOrderBuyer(ctx, sqlitedb.MaskOrderBuyerParams{ID: r.ID, BuyerName: store.MaskedName, Packages: packages, Now: nullTime(now)})
			if err != nil {
				return fmt.Errorf("mask buyer data of order %d: %w", r.ID, err)
			}
			if n == 0 {
				continue
			}
			if err := t.q.MaskOrderMails(ctx, r.ID); err != nil {
				return fmt.Errorf("mask the mails of order %d: %w", r.ID, err)
			}
			if err := t.event(ctx, r.ID, order.EventBuyerMasked, actor, 0, 0, "保持期間が過ぎたため、購入者・お届け先の個人情報を削除しました", now); err != nil {
				return err
			}
			masked++
		}
		return nil
	})
	return masked, err
}

// maskPackages empties the recipient of every package, keeping the keys and delivery wishes
// the lines and shipments name.
func maskPackages(raw string) (string, error) {
	var ps []order.Package
	if err := json.Unmarshal([]byte(raw), &ps); err != nil {
		return "", err
	}
	for i := range ps {
		ps[i].ShipTo = order.Person{Name: store.MaskedName}
	}
	out, err := json.Marshal(ps)
	return string(out), err
}
