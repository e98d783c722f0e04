// Package userops holds the rules for changing users and permission groups that need the store:
// the web UI and the REST API both call these, so each rule is checked in one place. The rules
// that need no store are in package user (CheckEmail, CheckDisable, CheckAdministratorRemains).
package userops

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// CheckUser checks a user about to be saved: a login of a sane length, a readable e-mail, and a
// group that exists.
func CheckUser(ctx context.Context, st store.Store, u user.User) error {
	if err := user.CheckLoginLength(u.Login); err != nil {
		return err
	}
	if err := user.CheckEmail(u.Email); err != nil {
		return err
	}
	if u.GroupID <= 0 {
		return apperror.New(apperror.Invalid, "権限グループを選んでください。")
	}
	_, err := st.GetGroup(ctx, u.GroupID)
	return err
}

// CheckRegroup refuses moving a user into another group when it would leave no enabled user
// who may change users and groups.
func CheckRegroup(ctx context.Context, st store.Store, userID, groupID int64) error {
	return keepAnAdministrator(ctx, st, func(users []user.User, groups []user.Group) ([]user.User, []user.Group) {
		for i := range users {
			if users[i].ID == userID {
				users[i].GroupID = groupID
			}
		}
		return users, groups
	})
}

// CheckDisable refuses disabling oneself, and disabling the last enabled user who may change
// users and groups.
func CheckDisable(ctx context.Context, st store.Store, actorID, userID int64) error {
	if err := user.CheckDisable(actorID, userID); err != nil {
		return err
	}
	return keepAnAdministrator(ctx, st, func(users []user.User, groups []user.Group) ([]user.User, []user.Group) {
		for i := range users {
			if users[i].ID == userID {
				users[i].Disabled = true
			}
		}
		return users, groups
	})
}

// CheckGroupChange refuses saving a group's levels when it would leave no enabled user who may
// change users and groups.
func CheckGroupChange(ctx context.Context, st store.Store, g user.Group) error {
	return keepAnAdministrator(ctx, st, func(users []user.User, groups []user.Group) ([]user.User, []user.Group) {
		for i := range groups {
			if groups[i].ID == g.ID {
				groups[i] = g
			}
		}
		return users, groups
	})
}

// keepAnAdministrator refuses a change after which no enabled user may change users and
// groups: nobody could undo it.
func keepAnAdministrator(ctx context.Context, st store.Store, change func([]user.User, []user.Group) ([]user.User, []user.Group)) error {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	groups, err := st.ListGroups(ctx)
	if err != nil {
		return err
	}
	return user.CheckAdministratorRemains(change(users, groups))
}

// AdminAddresses are the e-mail addresses of the administrators (user.AdminAddresses), who get
// every error e-mail besides the notification addresses.
func AdminAddresses(ctx context.Context, st store.Store) ([]string, error) {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := st.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	return user.AdminAddresses(users, groups), nil
}
