package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// The rules the REST API's tokens rely on, added to the conformance suite.
func init() {
	conformanceTests["APITokenIsFoundByItsHashOnlyUntilRevoked"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		g := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "API", Permissions: user.AdminPermissions()}))
		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "script", Name: "連携スクリプト", PasswordHash: "x", GroupID: g.ID}))
		other := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "other", Name: "他", PasswordHash: "x", GroupID: g.ID}))
		token, hash := user.NewAPIToken()
		if token == hash {
			t.Fatal("the stored hash must not be the token")
		}
		created := must[user.APIToken](t)(b.st.CreateAPIToken(ctx, user.APIToken{TokenHash: hash, UserID: u.ID, Name: "出荷CSV連携", CreatedAt: base}))
		must[user.APIToken](t)(b.st.CreateAPIToken(ctx, user.APIToken{TokenHash: user.HashAPIToken("another"), UserID: other.ID, CreatedAt: base}))

		got := must[user.APIToken](t)(b.st.GetAPIToken(ctx, user.HashAPIToken(token)))
		if got.ID != created.ID || got.UserID != u.ID || got.Name != "出荷CSV連携" || !got.CreatedAt.Equal(base) || !got.LastUsedAt.IsZero() {
			t.Fatalf("token read back as %+v", got)
		}
		if _, err := b.st.GetAPIToken(ctx, token); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("the token itself, not its hash, must find nothing; got %v", err)
		}
		if err := b.st.TouchAPIToken(ctx, got.ID, base.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got = must[user.APIToken](t)(b.st.GetAPIToken(ctx, hash)); !got.LastUsedAt.Equal(base.Add(time.Minute)) {
			t.Fatalf("last used at %v", got.LastUsedAt)
		}
		if mine := must[[]user.APIToken](t)(b.st.ListAPITokens(ctx, u.ID)); len(mine) != 1 || mine[0].ID != created.ID {
			t.Fatalf("the user's tokens: %+v", mine)
		}
		if all := must[[]user.APIToken](t)(b.st.ListAPITokens(ctx, 0)); len(all) != 2 {
			t.Fatalf("every token: %d, want 2", len(all))
		}
		if err := b.st.DeleteAPIToken(ctx, created.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.GetAPIToken(ctx, hash); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("a revoked token must not be found, got %v", err)
		}
		if err := b.st.DeleteAPIToken(ctx, created.ID); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("revoking an unknown token: %v, want not found", err)
		}
	}
}
