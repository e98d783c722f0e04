package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// The rules the settings pages (ユーザー・権限設定) rely on.
func init() {
	conformanceTests["GroupsAndUsersAreEdited"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		admin := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()}))
		viewers := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "閲覧", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.View}}))
		viewers.Name, viewers.Permissions = "出荷担当", map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuHistory: user.View}
		if err := b.st.UpdateGroup(ctx, viewers); err != nil {
			t.Fatal(err)
		}
		got := must[user.Group](t)(b.st.GetGroup(ctx, viewers.ID))
		if got.Name != "出荷担当" || !got.Allows(user.MenuOrders, user.Update) || got.Allows(user.MenuUsers, user.View) {
			t.Fatalf("group read back as %+v", got)
		}
		viewers.Name = "管理者"
		if err := b.st.UpdateGroup(ctx, viewers); !apperror.Is(err, apperror.Conflict) {
			t.Fatalf("renaming a group to another's name: %v, want a conflict", err)
		}
		if err := b.st.UpdateGroup(ctx, user.Group{ID: 999999, Name: "x"}); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an unknown group: %v", err)
		}

		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "taro", Name: "太郎", PasswordHash: "x", GroupID: admin.ID}))
		u.Name, u.Email, u.GroupID = "山田 太郎", "taro@example.jp", viewers.ID
		if err := b.st.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if got := must[user.User](t)(b.st.GetUser(ctx, u.ID)); got.Name != "山田 太郎" || got.Email != "taro@example.jp" || got.GroupID != viewers.ID || got.Login != "taro" {
			t.Fatalf("user read back as %+v", got)
		}
		u.GroupID = 999999
		if err := b.st.UpdateUser(ctx, u); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("a user moved to an unknown group: %v", err)
		}
	}

	conformanceTests["DisablingAUserEndsTheirSessions"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		g := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()}))
		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "hanako", PasswordHash: "x", GroupID: g.ID}))
		other := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "jiro", PasswordHash: "x", GroupID: g.ID}))
		now := base
		for i, id := range []int64{u.ID, u.ID, other.ID} {
			if err := b.st.CreateSession(ctx, user.Session{TokenHash: "h" + string(rune('a'+i)), UserID: id, CSRFToken: "c", CreatedAt: now,
				ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.st.SetUserDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if got := must[user.User](t)(b.st.GetUser(ctx, u.ID)); !got.Disabled {
			t.Fatal("the user is not disabled")
		}
		for _, h := range []string{"ha", "hb"} {
			if _, err := b.st.GetSession(ctx, h, now); !apperror.Is(err, apperror.NotFound) {
				t.Fatalf("session %s of a disabled user lives on: %v", h, err)
			}
		}
		must[user.Session](t)(b.st.GetSession(ctx, "hc", now)) // another user's stays
		if err := b.st.SetUserDisabled(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if got := must[user.User](t)(b.st.GetUser(ctx, u.ID)); got.Disabled {
			t.Fatal("the user is not enabled again")
		}
		if err := b.st.SetUserDisabled(ctx, 999999, true); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an unknown user: %v", err)
		}
	}

	conformanceTests["SettingAPasswordEndsThatUsersSessions"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		g := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()}))
		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "hanako", PasswordHash: "old-hash", GroupID: g.ID}))
		other := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "jiro", PasswordHash: "jiro-hash", GroupID: g.ID}))
		now := base
		for i, id := range []int64{u.ID, u.ID, other.ID} {
			if err := b.st.CreateSession(ctx, user.Session{TokenHash: "h" + string(rune('a'+i)), UserID: id, CSRFToken: "c", CreatedAt: now,
				ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.st.SetPassword(ctx, u.ID, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if got := must[user.User](t)(b.st.GetUser(ctx, u.ID)); got.PasswordHash != "new-hash" || got.Login != "hanako" || got.Disabled {
			t.Fatalf("user read back as %+v", got)
		}
		for _, h := range []string{"ha", "hb"} {
			if _, err := b.st.GetSession(ctx, h, now); !apperror.Is(err, apperror.NotFound) {
				t.Fatalf("session %s lives on after its user's password changed: %v", h, err)
			}
		}
		must[user.Session](t)(b.st.GetSession(ctx, "hc", now)) // another user's stays
		if got := must[user.User](t)(b.st.GetUser(ctx, other.ID)); got.PasswordHash != "jiro-hash" {
			t.Fatalf("another user's password changed: %+v", got)
		}
		if err := b.st.SetPassword(ctx, u.ID, ""); !apperror.Is(err, apperror.Invalid) {
			t.Fatalf("an empty hash: %v", err)
		}
		if err := b.st.SetPassword(ctx, 999999, "x"); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an unknown user: %v", err)
		}
	}

	conformanceTests["OwnPasswordChangeLosesToAResetInBetween"] = func(t *testing.T, b *testBundle) {
		// A user proves the password they know; an administrator resets it before the change is
		// written: the change is refused, and the reset stands.
		ctx := context.Background()
		g := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "出荷", Permissions: user.AdminPermissions()}))
		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "saburo", PasswordHash: "known-hash", GroupID: g.ID}))
		if err := b.st.SetPassword(ctx, u.ID, "reset-hash"); err != nil {
			t.Fatal(err)
		}
		if err := b.st.ChangePassword(ctx, u.ID, "known-hash", "mine-hash"); !apperror.Is(err, apperror.Conflict) {
			t.Fatalf("a change after a reset: %v, want Conflict", err)
		}
		if got := must[user.User](t)(b.st.GetUser(ctx, u.ID)); got.PasswordHash != "reset-hash" {
			t.Fatalf("the reset was undone: %q", got.PasswordHash)
		}
		if err := b.st.CreateSession(ctx, user.Session{TokenHash: "s1", UserID: u.ID, CSRFToken: "c", CreatedAt: base, ExpiresAt: base.Add(time.Hour), LastSeenAt: base}); err != nil {
			t.Fatal(err)
		}
		if err := b.st.ChangePassword(ctx, u.ID, "reset-hash", "mine-hash"); err != nil {
			t.Fatal(err)
		}
		if got := must[user.User](t)(b.st.GetUser(ctx, u.ID)); got.PasswordHash != "mine-hash" {
			t.Fatalf("the change was not written: %q", got.PasswordHash)
		}
		if _, err := b.st.GetSession(ctx, "s1", base); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("the session lives on after the change: %v", err)
		}
		if err := b.st.ChangePassword(ctx, 999999, "a", "b"); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an unknown user: %v", err)
		}
	}
}
