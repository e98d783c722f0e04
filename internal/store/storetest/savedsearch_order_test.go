package storetest

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// Saved searches are listed in their positions, a new one last; a move numbers them 1…n again
// (a position past the end is the last); a rename refuses another's name; and a user keeps the
// page size set for them (issue 20 item 3).
func init() {
	conformanceTests["SavedSearchesMoveAndRename"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		var ids []int64
		for _, name := range []string{"う", "あ", "い"} {
			id, err := b.st.CreateSavedSearch(ctx, store.SavedSearch{Name: name, CreatedAt: base, CreatedBy: "hanako"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		order := func() (names string, positions []int) {
			list, err := b.st.ListSavedSearches(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range list {
				names += s.Name
				positions = append(positions, s.Position)
			}
			return names, positions
		}
		if names, pos := order(); names != "うあい" || pos[0] != 1 || pos[2] != 3 {
			t.Fatalf("listed %s %v, want うあい 1 2 3", names, pos)
		}
		if err := b.st.MoveSavedSearch(ctx, ids[2], 1); err != nil {
			t.Fatal(err)
		}
		if names, pos := order(); names != "いうあ" || pos[0] != 1 || pos[1] != 2 || pos[2] != 3 {
			t.Fatalf("after い to 1: %s %v", names, pos)
		}
		if err := b.st.MoveSavedSearch(ctx, ids[2], 99); err != nil {
			t.Fatal(err)
		}
		if names, _ := order(); names != "うあい" {
			t.Fatalf("after い to 99: %s, want it last", names)
		}
		if err := b.st.MoveSavedSearch(ctx, 999999, 1); apperror.CodeOf(err) != apperror.NotFound {
			t.Fatalf("moving an unknown one: %v", err)
		}
		if err := b.st.RenameSavedSearch(ctx, ids[0], "あ"); apperror.CodeOf(err) != apperror.Conflict {
			t.Fatalf("rename to another's name: %v, want a conflict", err)
		}
		if err := b.st.RenameSavedSearch(ctx, ids[0], "う"); err != nil {
			t.Fatalf("rename to its own name: %v", err)
		}
		if err := b.st.RenameSavedSearch(ctx, ids[0], "え"); err != nil {
			t.Fatal(err)
		}
		if names, _ := order(); names != "えあい" {
			t.Fatalf("after the rename: %s", names)
		}
		if err := b.st.RenameSavedSearch(ctx, 999999, "お"); apperror.CodeOf(err) != apperror.NotFound {
			t.Fatalf("renaming an unknown one: %v", err)
		}

		g, err := b.st.CreateGroup(ctx, user.Group{Name: "表示件数", Permissions: map[user.Menu]user.Level{}})
		if err != nil {
			t.Fatal(err)
		}
		u, err := b.st.CreateUser(ctx, user.User{Login: "pagesize", Name: "表示 件数", PasswordHash: "unused", GroupID: g.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.st.SetUserPageSize(ctx, u.ID, 200); err != nil {
			t.Fatal(err)
		}
		if got, err := b.st.GetUser(ctx, u.ID); err != nil || got.PageSize != 200 {
			t.Fatalf("page size %d (%v), want 200", got.PageSize, err)
		}
		if err := b.st.SetUserPageSize(ctx, 999999, 100); apperror.CodeOf(err) != apperror.NotFound {
			t.Fatalf("an unknown user's page size: %v", err)
		}
	}
}
