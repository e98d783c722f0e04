package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestFirstUserIsAdmin: the first user added gets the admin group 管理者 with update on every
// menu; a later one must name a group that exists.
func TestFirstUserIsAdmin(t *testing.T) {
	user.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	st := storetest.SQLite(t)
	u, g, err := addUser(ctx, st, user.User{Login: "admin", Name: "管理者"}, "", "first password!")
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != adminGroupName || !g.Allows(user.MenuUsers, user.Update) || !g.Allows(user.MenuOrders, user.Update) {
		t.Fatalf("first user's group %+v", g)
	}
	if !user.CheckPassword(u.PasswordHash, "first password!") {
		t.Fatal("the password does not check")
	}
	if _, _, err := addUser(ctx, st, user.User{Login: "second"}, "", "second password"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "--group") {
		t.Fatalf("a second user without a group: %v", err)
	}
	if _, _, err := addUser(ctx, st, user.User{Login: "second"}, "出荷担当", "second password"); !apperror.Is(err, apperror.Invalid) {
		t.Fatalf("an unknown group: %v", err)
	}
	if _, g, err := addUser(ctx, st, user.User{Login: "second"}, adminGroupName, "second password"); err != nil || g.Name != adminGroupName {
		t.Fatalf("a second admin: %v", err)
	}
	if _, _, err := addUser(ctx, st, user.User{Login: "third"}, adminGroupName, "short"); !apperror.Is(err, apperror.Invalid) {
		t.Fatalf("a short password: %v", err)
	}
}

// TestPasswdLetsALockedOutAdminBackIn: `user passwd` sets a new password without the old one
// and ends the user's web sessions; an unknown login or a short password changes nothing.
func TestPasswdLetsALockedOutAdminBackIn(t *testing.T) {
	user.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	st := storetest.SQLite(t)
	admin, _, err := addUser(ctx, st, user.User{Login: "admin"}, "", "forgotten password")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.CreateSession(ctx, user.Session{TokenHash: "admin-session", UserID: admin.ID, CSRFToken: "c", CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := setPassword(ctx, st, "nobody", "a new password"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("an unknown login: %v", err)
	}
	if _, err := setPassword(ctx, st, "admin", "short"); !apperror.Is(err, apperror.Invalid) {
		t.Errorf("a short password: %v", err)
	}
	if _, err := st.GetSession(ctx, "admin-session", now); err != nil {
		t.Fatalf("a refused password ended the session: %v", err)
	}
	u, err := setPassword(ctx, st, "admin", "a new password")
	if err != nil || u.ID != admin.ID {
		t.Fatalf("passwd: %+v, %v", u, err)
	}
	stored, err := st.GetUserByLogin(ctx, "admin")
	if err != nil || !user.CheckPassword(stored.PasswordHash, "a new password") || user.CheckPassword(stored.PasswordHash, "forgotten password") {
		t.Fatalf("the stored password is not the new one (%v)", err)
	}
	if _, err := st.GetSession(ctx, "admin-session", now); !apperror.Is(err, apperror.NotFound) {
		t.Errorf("the admin's web session lives on: %v", err)
	}
}

func TestReadPasswordDropsTheNewline(t *testing.T) {
	for in, want := range map[string]string{"secret pass\n": "secret pass", "secret pass\r\n": "secret pass", "no newline": "no newline"} {
		if got, err := readPassword(strings.NewReader(in)); err != nil || got != want {
			t.Errorf("readPassword(%q) = %q, %v", in, got, err)
		}
	}
}

// The demo's operator is created on the first run, logs in with the printed password, and a
// second run leaves it alone.
func TestDemoLoginOnce(t *testing.T) {
	user.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	st := storetest.SQLite(t)
	for range 2 {
		if err := demoLogin(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	u, err := st.GetUserByLogin(ctx, demoLoginID)
	if err != nil || !user.CheckPassword(u.PasswordHash, demoPassword) {
		t.Fatalf("demo login: %v", err)
	}
	if users, _ := st.ListUsers(ctx); len(users) != 1 {
		t.Fatalf("%d users after two runs", len(users))
	}
}
