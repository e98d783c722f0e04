package audit

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// CreateSavedSearch implements store.Store: a saved search is the company's, seen by every user,
// so who saved which filter is a line of 操作履歴.
func (s *Store) CreateSavedSearch(ctx context.Context, ss store.SavedSearch) (int64, error) {
	id, err := s.Store.CreateSavedSearch(ctx, ss)
	s.record(ctx, err, "検索条件を保存", ss.Name, ss.Query)
	return id, err
}

// DeleteSavedSearch implements store.Store.
func (s *Store) DeleteSavedSearch(ctx context.Context, id int64) error {
	ss, _ := s.Store.GetSavedSearch(ctx, id)
	err := s.Store.DeleteSavedSearch(ctx, id)
	s.record(ctx, err, "保存した検索条件を削除", ss.Name, ss.Query)
	return err
}

// RenameSavedSearch implements store.Store: the side bar every user sees changes.
func (s *Store) RenameSavedSearch(ctx context.Context, id int64, name string) error {
	ss, _ := s.Store.GetSavedSearch(ctx, id)
	err := s.Store.RenameSavedSearch(ctx, id, name)
	s.record(ctx, err, "保存した検索条件の名前を変更", ss.Name+" → "+name, ss.Query)
	return err
}
