package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAuditPageShowsWhoChangedWhat: a phase renamed in the UI is a line of 操作履歴 naming the
// operator; a group that may view users reads it, one that may not is refused.
func TestAuditPageShowsWhoChangedWhat(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		editor := b.loginAs(t, only(user.MenuWorkflow, user.Update))
		w := editor.do(http.MethodPost, "/settings/phases/"+i64toa(b.phases["保留"].ID)+"/rename", url.Values{"name": {"取り置き"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("rename: %d", w.Code)
		}
		admin := b.loginAs(t, only(user.MenuUsers, user.View))
		page := htmlOf(admin, "/settings/audit")
		for _, want := range []string{`data-audit-action="処理フェーズ名を変更"`, "<td>" + editor.login + "</td>", "<td>保留</td>", "新しい名前: 取り置き"} {
			if !strings.Contains(page, want) {
				t.Errorf("操作履歴 lacks %q", want)
			}
		}
		if w := editor.do(http.MethodGet, "/settings/audit", nil); w.Code != http.StatusForbidden {
			t.Errorf("a group without ユーザー・権限設定 reads 操作履歴: %d", w.Code)
		}
	})
}
