package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/audit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestSavedSearchChangesAreRecorded: saving and deleting a saved search are lines of 操作履歴 with
// who did it, its name and its filter; a refused save (the same name) is none.
func TestSavedSearchChangesAreRecorded(t *testing.T) {
	t.Parallel()
	raw := storetest.SQLite(t)
	st := audit.Wrap(raw, nil)
	ctx := user.WithActor(context.Background(), "hanako")
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	id, err := st.CreateSavedSearch(ctx, store.SavedSearch{Name: "保留の注文", Query: "phase=7", CreatedAt: at, CreatedBy: "hanako"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateSavedSearch(ctx, store.SavedSearch{Name: "保留の注文", Query: "phase=8", CreatedAt: at}); err == nil {
		t.Fatal("the same name was saved twice")
	}
	if err := st.DeleteSavedSearch(ctx, id); err != nil {
		t.Fatal(err)
	}
	events, err := raw.ListAudit(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.Actor+" "+e.Action+" "+e.Target+" "+e.Detail)
	}
	want := []string{"hanako 保存した検索条件を削除 保留の注文 phase=7", "hanako 検索条件を保存 保留の注文 phase=7"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("操作履歴 %q, want %q", got, want)
	}
}
