package api

import (
	"net/http"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAuditListsChangesMadeThroughTheAPI: a shop saved with a token is a line of 操作履歴
// naming the token's user; reading it needs users:view.
func TestAuditListsChangesMadeThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		editor := b.tokenFor(t, only(user.MenuShops, user.Update))
		decode[Shop](t, b.do(t, editor, http.MethodPut, "/shops/"+i64(b.shop.ID), map[string]any{"name": "茶の店", "code": "cha", "overwrite_same_order": true}), http.StatusOK)
		me := decode[Me](t, b.do(t, editor, http.MethodGet, "/me", nil), http.StatusOK)

		got := decode[struct{ Events []AuditEvent }](t, b.do(t, b.tokenFor(t, only(user.MenuUsers, user.View)), http.MethodGet, "/audit", nil), http.StatusOK)
		if len(got.Events) == 0 {
			t.Fatal("操作履歴 is empty after a change")
		}
		e := got.Events[0]
		if e.Action != "店舗設定を保存" || e.Target != "茶の店" || e.Actor != me.Login || e.Detail != "旧名 tea、店舗ID(モール) cha、同一注文の上書き: する" {
			t.Errorf("the newest line %+v, want the shop saved by %s", e, me.Login)
		}
		problem(t, b.do(t, editor, http.MethodGet, "/audit", nil), http.StatusForbidden)
	})
}
