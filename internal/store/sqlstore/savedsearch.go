package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The saved searches are written in plain SQL through the where helper's placeholders, like the
// bulk batches. Their filter is kept as the JSON of the store query.

// CreateSavedSearch implements store.Store.
func (s *Store) CreateSavedSearch(ctx context.Context, ss store.SavedSearch) (int64, error) {
	if err := checkSavedSearchName(ss.Name); err != nil {
		return 0, err
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
		// A new one goes last: the side bar keeps the order the operators gave it.
		insert := fmt.Sprintf("INSERT INTO saved_searches (name, query, filter, created_at, created_by, position) "+
			"VALUES (%s, %s, %s, %s, %s, (SELECT coalesce(max(position), 0) + 1 FROM saved_searches)) RETURNING id",
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

// checkSavedSearchName refuses an empty name and a long one.
func checkSavedSearchName(name string) error {
	if name == "" {
		return apperror.New(apperror.Invalid, "検索条件の名前を入れてください(例: 「楽天 発送待ち」)。")
	}
	if n := utf8.RuneCountInString(name); n > store.MaxSavedSearchName {
		return apperror.New(apperror.Invalid, "検索条件の名前は%d文字までです(いまは%d文字)。短くしてください。", store.MaxSavedSearchName, n)
	}
	return nil
}

// errSameName refuses a second saved search of a name.
func errSameName(name string) error {
	return apperror.New(apperror.Conflict, "検索条件「%s」はもうあります。別の名前を付けるか、前の検索条件を削除してから保存してください。", name)
}

const savedSearchColumns = "SELECT id, name, query, filter, created_at, created_by, position FROM saved_searches"

func scanSavedSearch(row interface{ Scan(...any) error }) (store.SavedSearch, error) {
	var ss store.SavedSearch
	var filter string
	if err := row.Scan(&ss.ID, &ss.Name, &ss.Query, &filter, &ss.CreatedAt, &ss.CreatedBy, &ss.Position); err != nil {
		return ss, err
	}
	if err := json.Unmarshal([]byte(filter), &ss.Filter); err != nil {
		return ss, fmt.Errorf("saved search %d filter: %w", ss.ID, err)
	}
	return ss, nil
}

// ListSavedSearches implements store.Store.
func (s *Store) ListSavedSearches(ctx context.Context) ([]store.SavedSearch, error) {
	rows, err := s.cfg.Reader.QueryContext(ctx, savedSearchColumns+" ORDER BY position, name, id")
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

// RenameSavedSearch implements store.Store.
func (s *Store) RenameSavedSearch(ctx context.Context, id int64, name string) error {
	if err := checkSavedSearchName(name); err != nil {
		return err
	}
	pg := s.cfg.Engine == store.EnginePostgres
	err := s.write(ctx, func(t *tx) error {
		w := &where{postgres: pg}
		var same int64
		if err := t.sqlTx.QueryRowContext(ctx, "SELECT count(*) FROM saved_searches WHERE name = "+w.arg(name)+" AND id <> "+w.arg(id), w.args...).Scan(&same); err != nil {
			return err
		}
		if same > 0 {
			return errSameName(name)
		}
		w = &where{postgres: pg}
		res, err := t.sqlTx.ExecContext(ctx, "UPDATE saved_searches SET name = "+w.arg(name)+" WHERE id = "+w.arg(id), w.args...)
		if err != nil && IsUniqueViolationText(err) {
			return errSameName(name)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(errNoSavedSearch(), err)
		}
		return nil
	})
	if err != nil && (apperror.CodeOf(err) == "" || apperror.CodeOf(err) == apperror.Internal) {
		return fmt.Errorf("rename saved search %d: %w", id, err)
	}
	return err
}

// MoveSavedSearch implements store.Store: it reads the ids in their order, moves one, and writes
// the positions 1…n back, so two moves at once leave a whole numbering either way.
func (s *Store) MoveSavedSearch(ctx context.Context, id int64, position int) error {
	pg := s.cfg.Engine == store.EnginePostgres
	err := s.write(ctx, func(t *tx) error {
		rows, err := t.sqlTx.QueryContext(ctx, "SELECT id FROM saved_searches ORDER BY position, name, id")
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		at := slices.Index(ids, id)
		if at < 0 {
			return errNoSavedSearch()
		}
		ids = slices.Delete(ids, at, at+1)
		to := min(max(position, 1), len(ids)+1) - 1
		ids = slices.Insert(ids, to, id)
		for i, n := range ids {
			w := &where{postgres: pg}
			if _, err := t.sqlTx.ExecContext(ctx, "UPDATE saved_searches SET position = "+w.arg(int64(i+1))+" WHERE id = "+w.arg(n), w.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && (apperror.CodeOf(err) == "" || apperror.CodeOf(err) == apperror.Internal) {
		return fmt.Errorf("move saved search %d: %w", id, err)
	}
	return err
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
