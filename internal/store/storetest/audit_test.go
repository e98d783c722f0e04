package storetest

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// 操作履歴, added to the conformance suite.
func init() {
	conformanceTests["AuditEventsAreListedNewestFirstByPage"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		if got := must[[]store.AuditEvent](t)(b.st.ListAudit(ctx, 1, 10)); len(got) != 0 {
			t.Fatalf("a new store has %d audit events", len(got))
		}
		for _, action := range []string{"店舗を追加", "処理フェーズを追加", "処理フェーズを削除"} {
			if err := b.st.RecordAudit(ctx, store.AuditEvent{Actor: "hanako", Action: action, Target: "tea / 保留", Detail: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		first := must[[]store.AuditEvent](t)(b.st.ListAudit(ctx, 1, 2))
		if len(first) != 2 || first[0].Action != "処理フェーズを削除" || first[1].Action != "処理フェーズを追加" ||
			first[0].Actor != "hanako" || first[0].Target != "tea / 保留" || first[0].At.IsZero() || first[0].ID == 0 {
			t.Fatalf("first page %+v", first)
		}
		second := must[[]store.AuditEvent](t)(b.st.ListAudit(ctx, 2, 2))
		if len(second) != 1 || second[0].Action != "店舗を追加" {
			t.Fatalf("second page %+v", second)
		}
	}
}
