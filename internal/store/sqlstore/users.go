package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// CreateGroup implements store.Store.
func (s *Store) CreateGroup(ctx context.Context, g user.Group) (user.Group, error) {
	if g.Name == "" {
		return g, apperror.New(apperror.Invalid, "権限グループ名を入力してください。")
	}
	perms, err := json.Marshal(g.Permissions)
	if err != nil {
		return g, err
	}
	err = s.write(ctx, func(t *tx) error {
		g.ID, err = t.q.CreateGroup(ctx, sqlitedb.CreateGroupParams{Name: g.Name, Permissions: string(perms)})
		return s.conflictIfUnique(err, fmt.Sprintf("権限グループ「%s」は既にあります。別の名前を入力してください。", g.Name))
	})
	return g, err
}

// GetGroup implements store.Store.
func (s *Store) GetGroup(ctx context.Context, id int64) (user.Group, error) {
	row, err := s.reader.GetGroup(ctx, id)
	if err != nil {
		return user.Group{}, notFound(err, "権限グループ")
	}
	return groupFromRow(row)
}

// ListGroups implements store.Store.
func (s *Store) ListGroups(ctx context.Context) ([]user.Group, error) {
	rows, err := s.reader.ListGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	out := make([]user.Group, 0, len(rows))
	for _, r := range rows {
		g, err := groupFromRow(r)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func groupFromRow(r sqlitedb.PermissionGroup) (user.Group, error) {
	g := user.Group{ID: r.ID, Name: r.Name}
	if err := json.Unmarshal([]byte(r.Permissions), &g.Permissions); err != nil {
		return g, fmt.Errorf("group %d permissions: %w", r.ID, err)
	}
	return g, nil
}

// CreateUser implements store.Store. The caller hashes the password.
func (s *Store) CreateUser(ctx context.Context, u user.User) (user.User, error) {
	if u.Login == "" || u.PasswordHash == "" {
		return u, apperror.New(apperror.Invalid, "ログインIDとパスワードを入力してください。")
	}
	u.CreatedAt = s.now()
	err := s.write(ctx, func(t *tx) error {
		var err error
		u.ID, err = t.q.CreateUser(ctx, sqlitedb.CreateUserParams{Login: u.Login, Name: u.Name, Email: u.Email,
			PasswordHash: u.PasswordHash, GroupID: u.GroupID, Disabled: u.Disabled, CreatedAt: u.CreatedAt})
		return s.conflictIfUnique(err, fmt.Sprintf("ログインID「%s」は既に使われています。別のログインIDを入力してください。", u.Login))
	})
	return u, err
}

// GetUser implements store.Store.
func (s *Store) GetUser(ctx context.Context, id int64) (user.User, error) {
	row, err := s.reader.GetUser(ctx, id)
	if err != nil {
		return user.User{}, notFound(err, "ユーザー")
	}
	return user.User(row), nil
}

// GetUserByLogin implements store.Store.
func (s *Store) GetUserByLogin(ctx context.Context, login string) (user.User, error) {
	row, err := s.reader.GetUserByLogin(ctx, login)
	if err != nil {
		return user.User{}, notFound(err, "ユーザー")
	}
	return user.User(row), nil
}

// ListUsers implements store.Store.
func (s *Store) ListUsers(ctx context.Context) ([]user.User, error) {
	rows, err := s.reader.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]user.User, len(rows))
	for i, r := range rows {
		out[i] = user.User(r)
	}
	return out, nil
}

// RecordCall implements store.Store.
func (s *Store) RecordCall(ctx context.Context, c channel.Call) (int64, error) {
	if c.At.IsZero() {
		c.At = s.cfg.Now()
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		id, err = t.q.InsertAPICall(ctx, sqlitedb.InsertAPICallParams{
			At: ts(c.At), ShopID: c.ShopID, OrderID: nullID(c.OrderID), JobKind: c.JobKind, Operation: c.Operation,
			Outcome: string(c.Outcome), HttpStatus: int64(c.HTTPStatus), ErrorCode: c.ErrorCode, ErrorMessage: c.ErrorMessage,
			DurationMs: c.Duration.Milliseconds(), Request: c.Request, Response: c.Response,
		})
		if err != nil || c.OrderID != 0 {
			return err
		}
		return linkCallOrders(ctx, t, id, channel.OrdersFrom(ctx))
	})
	if err != nil {
		return 0, fmt.Errorf("record call %s: %w", c.Operation, err)
	}
	return id, nil
}

// linkCallOrders links a batched call to each order it carried (channel.WithOrders); stand-in
// ids of orders not stored yet (0 or less) are skipped.
func linkCallOrders(ctx context.Context, t *tx, callID int64, orderIDs []int64) error {
	ids := slices.Compact(slices.Sorted(slices.Values(orderIDs)))
	for _, id := range ids {
		if id <= 0 {
			continue
		}
		if err := t.q.InsertCallOrder(ctx, sqlitedb.InsertCallOrderParams{OrderID: id, CallID: callID}); err != nil {
			return err
		}
	}
	return nil
}

// ListCalls implements store.Store.
func (s *Store) ListCalls(ctx context.Context, q store.CallQuery) ([]channel.Call, error) {
	_, size, offset := store.Normalise(q.Page, q.PageSize)
	rows, err := s.reader.ListAPICalls(ctx, sqlitedb.ListAPICallsParams{
		ShopID: nullID(q.ShopID), OrderID: nullID(q.OrderID), JobKind: nullString(q.JobKind), Outcome: nullString(q.Outcome),
		FromAt: nullTime(q.From), ToAt: nullTime(q.To), PageOffset: int64(offset), PageSize: int64(size),
	})
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	out := make([]channel.Call, len(rows))
	for i, r := range rows {
		out[i] = callFromRow(r)
	}
	return out, nil
}

// CallStats implements store.Store.
func (s *Store) CallStats(ctx context.Context, shopID int64, since time.Time) (store.CallStats, error) {
	r, err := s.reader.CallStats(ctx, sqlitedb.CallStatsParams{ShopID: shopID, Since: ts(since)})
	if err != nil {
		return store.CallStats{}, fmt.Errorf("call stats of shop %d: %w", shopID, err)
	}
	return store.CallStats(r), nil
}

// GetCall implements store.Store.
func (s *Store) GetCall(ctx context.Context, id int64) (channel.Call, error) {
	r, err := s.reader.GetAPICall(ctx, id)
	if err != nil {
		return channel.Call{}, notFound(err, "連携履歴")
	}
	return callFromRow(r), nil
}

func callFromRow(r sqlitedb.ApiCall) channel.Call {
	return channel.Call{ID: r.ID, At: r.At, ShopID: r.ShopID, OrderID: r.OrderID.Int64, JobKind: r.JobKind, Operation: r.Operation,
		Outcome: channel.Outcome(r.Outcome), HTTPStatus: int(r.HttpStatus), ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage,
		Duration: time.Duration(r.DurationMs) * time.Millisecond, Request: r.Request, Response: r.Response}
}

// pruneBatch is how many history rows one transaction deletes, so that a large prune never
// holds SQLite's writer for long.
const pruneBatch = 5000

// PruneCalls implements store.Store.
func (s *Store) PruneCalls(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.write(ctx, func(t *tx) error {
			var err error
			n, err = t.q.DeleteAPICallsBefore(ctx, sqlitedb.DeleteAPICallsBeforeParams{Before: ts(before), Batch: pruneBatch})
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune call history: %w", err)
		}
		total += n
		if n < pruneBatch {
			return total, nil
		}
	}
}

// SetUserPageSize implements store.Store.
func (s *Store) SetUserPageSize(ctx context.Context, userID int64, size int) error {
	return s.write(ctx, func(t *tx) error {
		w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
		res, err := t.sqlTx.ExecContext(ctx, "UPDATE users SET page_size = "+w.arg(int64(size))+" WHERE id = "+w.arg(userID), w.args...)
		if err != nil {
			return fmt.Errorf("set page size of user %d: %w", userID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(apperror.New(apperror.NotFound, "ユーザーが見つかりません。"), err)
		}
		return nil
	})
}
