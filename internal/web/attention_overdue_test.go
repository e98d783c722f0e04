package web

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestOverdueImportShowsOnTheStartPage: a started import whose last success is older than three
// intervals shows on 要対応 with when it last succeeded and where to look; a new success clears it.
func TestOverdueImportShowsOnTheStartPage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		rule, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobImport, Interval: 5 * time.Minute, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		last := time.Now().Add(-20 * time.Minute)
		if err := b.st.MarkRuleSucceeded(ctx, rule.ID, last); err != nil {
			t.Fatal(err)
		}
		page := htmlOf(b.loginAs(t, user.AdminPermissions()), "/attention")
		for _, want := range []string{"自動処理「受注取込」が" + when(last) + "から成功していないため、新しい注文を取り込めていません。",
			`data-overdue-rule="` + i64toa(rule.ID) + `"`, "連携履歴で失敗した呼び出しを確認してください。",
			`href="` + historyPath(b.shop.ID) + `">連携履歴へ`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, "対応が必要なものはありません。") {
			t.Error("the page says nothing needs attention")
		}
		if err := b.st.MarkRuleSucceeded(ctx, rule.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if page := htmlOf(b.loginAs(t, user.AdminPermissions()), "/attention"); strings.Contains(page, "data-overdue-rule") {
			t.Error("the import is still shown overdue after it succeeded")
		}
	})
}
