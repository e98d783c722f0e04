package sqlstore

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// NotifyAddresses implements store.Store.
func (s *Store) NotifyAddresses(ctx context.Context) (store.NotifySetting, error) {
	rows, err := s.reader.ListNotifyAddresses(ctx)
	if err != nil {
		return store.NotifySetting{}, fmt.Errorf("read the notification addresses: %w", err)
	}
	return notifySettingOf(rows), nil
}

// SetNotifyAddresses implements store.Store: the addresses are replaced in one transaction, so
// an e-mail queued meanwhile goes to the old list or the new one, never to a part of either.
func (s *Store) SetNotifyAddresses(ctx context.Context, addrs []string, actor string) (store.NotifySetting, error) {
	addrs, err := notify.Recipients(addrs)
	if err != nil {
		return store.NotifySetting{}, err
	}
	now := s.now()
	var saved []sqlitedb.NotifyAddress
	err = s.write(ctx, func(t *tx) error {
		if err := t.q.DeleteNotifyAddresses(ctx); err != nil {
			return err
		}
		for i, a := range addrs {
			row := sqlitedb.AddNotifyAddressParams{Position: int64(i + 1), Address: a, SavedAt: now, SavedBy: actor}
			if err := t.q.AddNotifyAddress(ctx, row); err != nil {
				return err
			}
			saved = append(saved, sqlitedb.NotifyAddress(row))
		}
		return nil
	})
	if err != nil {
		return store.NotifySetting{}, fmt.Errorf("save the notification addresses: %w", err)
	}
	return notifySettingOf(saved), nil
}

func notifySettingOf(rows []sqlitedb.NotifyAddress) store.NotifySetting {
	var out store.NotifySetting
	for _, r := range rows {
		out.Addresses = append(out.Addresses, r.Address)
		out.SavedAt, out.SavedBy = r.SavedAt, r.SavedBy
	}
	return out
}
