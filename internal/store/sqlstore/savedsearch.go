package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The saved searches are written in plain SQL through the where helper's placeholders, like the
// bulk batches. Their filter is kept as the JSON of the store query.

// CreateSavedSearch implements store.Store.
func (s *Store) CreateSavedSearch(ctx context.Context, ss store.SavedSearch) (int64, error) {
	if ss.Name == "" {
		return 0, apperror.New(apperror.Invalid, "検索条件の名前を入れてください(例: 「楽天 発送待ち」)。")
	}
	if n := utf8.RuneCountInString(ss.Name); n > store.MaxSavedSearchName {
		return 0, apperror.New(apperror.Invalid, "検索条件の名前は%d文字までです(いまは%d文字)。短くしてください。", store.MaxSavedSearchName, n)
	}
	filter, err := json.Marshal(ss.Filter)
	if err != nil {
		return 0, fmt.Errorf("saved search filter: %w", err)
	}
	pg := s.cfg.Engine == store.EnginePostgres
	var id int64
	err = s.write(ctx, func(t *tx) error {
		var n, same int64
		w := &where{postgres: pg}
		if err := t.sqlTx.QueryRowContext(ctx, "SELECT count(*), count(CASE WHEN name = "+w.arg(ss.Name)+" THEN 1 END) FROM saved_searches", w.args...).Scan(&n, &same); err != nil {
			return err
		}
		if same > 0 {
			return errSameName(ss.Name)
		}
		if n >= store.MaxSavedSearches {
			return apperror.New(apperror.Invalid, "保存できる検索条件は%d件までです。使わなくなった検索条件を削除してから保存してください。", store.MaxSavedSearches)
		}
		w = &where{postgres: pg}
		insert := fmt.Sprintf("INSERT INTO saved_searches (name, query, filter, created_at, created_by) VALUES (%s, %s, %s, %s, %s) RETURNING id",
			w.arg(ss.Name), w.arg(ss.Query), w.arg(string(filter)), w.arg(ts(ss.CreatedAt)), w.arg(ss.CreatedBy))
		err := t.sqlTx.QueryRowContext(ctx, insert, w.args...).Scan(&id)
		if err != nil && IsUniqueViolationText(err) { // saved at the same time by someone else
			return errSameName(ss.Name)
		}
		return err
	})
	if err != nil {
		if apperror.CodeOf(err) != "" && apperror.CodeOf(err) != apperror.Internal {
			return 0, err
		}
		return 0, fmt.Errorf("create saved search: %w", err)
	}
	return id, nil
}

// errSameName refuses a second saved search of a name.
func errSameName(name string) error {
	return apperror.New(apperror.Conflict, "検索条件「%s」はもうあります。別の名前を付けるか、前の検索条件を削除してから保存してください。", name)
}

const savedSearchColumns = "SELECT id, name, query, filter, created_at, created_by FROM saved_searches"

func scanSavedSearch(row interface{ Scan(...any) error }) (store.SavedSearch, error) {
	var ss store.SavedSearch
	var filter string
	if err := row.Scan(&ss.ID, &ss.Name, &ss.Query, &filter, &ss.CreatedAt, &ss.CreatedBy); err != nil {
		return ss, err
	}
	if err := json.Unmarshal([]byte(filter), &ss.Filter); err != nil {
		return ss, fmt.Errorf("saved search %d filter: %w", ss.ID, err)
	}
	return ss, nil
}

// ListSavedSearches implements store.Store.
func (s *Store) ListSavedSearches(ctx context.Context) ([]store.SavedSearch, error) {
	rows, err := s.cfg.Reader.QueryContext(ctx, savedSearchColumns+" ORDER BY name, id")
	if err != nil {
		return nil, fmt.Errorf("list saved searches: %w", err)
	}
	defer rows.Close()
	out := []store.SavedSearch{}
	for rows.Next() {
		ss, err := scanSavedSearch(rows)
		if err != nil {
			return nil, fmt.Errorf("list saved searches: %w", err)
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// errNoSavedSearch is what an unknown saved search says.
func errNoSavedSearch() error {
	return apperror.New(apperror.NotFound, "この検索条件は見つかりません(削除されたのかもしれません)。一覧の「保存した検索条件」から選び直してください。")
}

// GetSavedSearch implements store.Store.
func (s *Store) GetSavedSearch(ctx context.Context, id int64) (store.SavedSearch, error) {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
	ss, err := scanSavedSearch(s.cfg.Reader.QueryRowContext(ctx, savedSearchColumns+" WHERE id = "+w.arg(id), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return ss, errNoSavedSearch()
	}
	if err != nil {
		return ss, fmt.Errorf("get saved search %d: %w", id, err)
	}
	return ss, nil
}

// DeleteSavedSearch implements store.Store.
func (s *Store) DeleteSavedSearch(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *tx) error {
		w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
		res, err := t.sqlTx.ExecContext(ctx, "DELETE FROM saved_searches WHERE id = "+w.arg(id), w.args...)
		if err != nil {
			return fmt.Errorf("delete saved search %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(errNoSavedSearch(), err)
		}
		return nil
	})
}

// CountOrders implements store.Store: the list's own bounded count.
func (s *Store) CountOrders(ctx context.Context, q store.OrderQuery) (int64, error) {
	count, args := s.countQuery(q, keywordBranches(q.Keyword, s.cfg.Engine == store.EnginePostgres))
	var n int64
	if err := s.cfg.Reader.QueryRowContext(ctx, count, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count orders: %w", err)
	}
	return min(n, store.CountCap+1), nil
}
