package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestTokenCreateStoresOnlyTheHash: the printed token finds its user through its hash, the
// token itself is stored nowhere, and unknown or disabled users get none.
func TestTokenCreateStoresOnlyTheHash(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	g, err := st.CreateGroup(ctx, user.Group{Name: "出荷担当", Permissions: user.AdminPermissions()})
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, user.User{Login: "ship", Name: "出荷", PasswordHash: "x", GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, user.User{Login: "gone", PasswordHash: "x", GroupID: g.ID, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	token, created, err := createToken(ctx, st, "ship", "出荷CSV", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, user.APITokenPrefix) || len(token) < 40 {
		t.Fatalf("token %q", token)
	}
	got, err := st.GetAPIToken(ctx, user.HashAPIToken(token))
	if err != nil || got.ID != created.ID || got.UserID != u.ID || got.TokenHash == token {
		t.Fatalf("token read back as %+v, %v", got, err)
	}
	lines, err := listTokens(ctx, st, "ship")
	if err != nil || len(lines) != 1 || strings.Contains(lines[0], token) || !strings.Contains(lines[0], "出荷CSV") {
		t.Fatalf("list: %q, %v", lines, err)
	}
	if _, _, err := createToken(ctx, st, "nobody", "", time.Now()); !apperror.Is(err, apperror.Invalid) {
		t.Errorf("unknown user: %v", err)
	}
	if _, _, err := createToken(ctx, st, "gone", "", time.Now()); !apperror.Is(err, apperror.Invalid) {
		t.Errorf("disabled user: %v", err)
	}
}
