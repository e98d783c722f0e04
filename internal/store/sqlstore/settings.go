package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// UpdateGroup implements store.Store: a group's name and its level per menu.
func (s *Store) UpdateGroup(ctx context.Context, g user.Group) error {
	if g.Name == "" {
		return apperror.New(apperror.Invalid, "権限グループ名を入力してください。")
	}
	perms, err := json.Marshal(g.Permissions)
	if err != nil {
		return fmt.Errorf("encode permissions: %w", err)
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.UpdateGroup(ctx, sqlitedb.UpdateGroupParams{ID: g.ID, Name: g.Name, Permissions: string(perms)})
		if err != nil {
			return s.conflictIfUnique(err, fmt.Sprintf("権限グループ「%s」は既にあります。別の名前を入力してください。", g.Name))
		}
		return mustAffect(n, nil, "権限グループ")
	})
}

// UpdateUser implements store.Store: name, e-mail and group. The login, the password and
// whether the user is disabled have their own ways.
func (s *Store) UpdateUser(ctx context.Context, u user.User) error {
	return s.write(ctx, func(t *tx) error {
		if _, err := t.q.GetGroup(ctx, u.GroupID); err != nil {
			return notFound(err, "権限グループ")
		}
		n, err := t.q.UpdateUser(ctx, sqlitedb.UpdateUserParams{ID: u.ID, Name: u.Name, Email: u.Email, GroupID: u.GroupID})
		return mustAffect(n, err, "ユーザー")
	})
}

// SetUserDisabled implements store.Store. Disabling a user also ends their sessions, in the
// same transaction, so an open browser is logged out at its next request.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetUserDisabled(ctx, sqlitedb.SetUserDisabledParams{ID: userID, Disabled: disabled})
		if err := mustAffect(n, err, "ユーザー"); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		return endSessions(ctx, t, userID)
	})
}

// SetPassword implements store.Store. The caller hashes the password; the user's sessions end
// in the same transaction, so a browser that knew the old password is logged out at its next
// request.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	if hash == "" {
		return apperror.New(apperror.Invalid, "パスワードを入力してください。")
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetUserPassword(ctx, sqlitedb.SetUserPasswordParams{ID: userID, PasswordHash: hash})
		if err := mustAffect(n, err, "ユーザー"); err != nil {
			return err
		}
		return endSessions(ctx, t, userID)
	})
}

// ChangePassword implements store.Store.
func (s *Store) ChangePassword(ctx context.Context, userID int64, oldHash, newHash string) error {
	if newHash == "" {
		return apperror.New(apperror.Invalid, "パスワードを入力してください。")
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.ReplaceUserPassword(ctx, sqlitedb.ReplaceUserPasswordParams{ID: userID, OldHash: oldHash, NewHash: newHash})
		if err != nil {
			return fmt.Errorf("change the password of user %d: %w", userID, err)
		}
		if n == 0 {
			if _, err := t.q.GetUser(ctx, userID); err != nil {
				return notFound(err, "ユーザー")
			}
			return apperror.New(apperror.Conflict, "パスワードは、この間に管理者によって再設定されました。新しいパスワードを管理者に確認し、ログインし直してください。")
		}
		return endSessions(ctx, t, userID)
	})
}

// endSessions deletes every session of a user, within the caller's transaction.
func endSessions(ctx context.Context, t *tx, userID int64) error {
	if err := t.q.DeleteUserWebSessions(ctx, userID); err != nil {
		return fmt.Errorf("end the sessions of user %d: %w", userID, err)
	}
	return nil
}
