package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// afterRedirect follows a redirect as the browser would, with the flash the answer left, and
// returns the page's HTML with its entities decoded.
func (s *session) afterRedirect(w *httptest.ResponseRecorder) string {
	r := httptest.NewRequest(http.MethodGet, w.Header().Get("Location"), nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
	for _, c := range w.Result().Cookies() {
		if c.Name == flashCookie && c.MaxAge > 0 {
			r.AddCookie(&http.Cookie{Name: flashCookie, Value: c.Value})
		}
	}
	page := httptest.NewRecorder()
	s.b.h.ServeHTTP(page, r)
	return html.UnescapeString(page.Body.String())
}

// TestPhaseIsDeletedAfterConfirmingAndOnlyWhenUnused: each unused phase has a delete button that
// asks first, one in use says why it cannot go; a phase in use is refused with the store's reasons shown on the phases page; an unused
// one goes, and the order page's history keeps its name. A view-only group gets no button.
func TestPhaseIsDeletedAfterConfirmingAndOnlyWhenUnused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuWorkflow, user.Update))
		hold := b.phases["保留"].ID
		deletePath := "/settings/phases/" + i64toa(hold) + "/delete"
		page := htmlOf(s, phasesPath)
		if !strings.Contains(page, `action="`+deletePath+`"`) || !strings.Contains(page, `hx-confirm="処理フェーズ「保留」を削除します。よろしいですか?"`) {
			t.Fatal("保留 has no delete button that asks first")
		}

		// A phase the rule keeps offers no click that would fail: it says why it cannot be deleted.
		if !strings.Contains(page, `<summary>削除できません</summary><p class="small">処理フェーズ「入金待ち」は削除できません。自動処理「決済審査結果確認」の対象処理フェーズに使われています。`) {
			t.Fatal("入金待ち, a rule's phase, offers a delete button that would be refused")
		}

		if _, err := b.st.MoveOrders(ctx, b.orderID[:3], hold, "tester"); err != nil {
			t.Fatal(err)
		}
		// Orders moved in after the page was drawn: the server still refuses.
		w := s.do(http.MethodPost, deletePath, url.Values{})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != phasesPath {
			t.Fatalf("refusal: %d to %q", w.Code, w.Header().Get("Location"))
		}
		if shown := s.afterRedirect(w); !strings.Contains(shown, `role="alert">処理フェーズ「保留」は削除できません。この処理フェーズには注文が3件あります。注文を別の処理フェーズへ移動してから削除してください。<`) {
			t.Fatal("the phases page does not show the refusal")
		}
		first := "/settings/phases/" + i64toa(b.phases["新規受付"].ID) + "/delete"
		if msg := flash(s.do(http.MethodPost, first, url.Values{})); !strings.Contains(msg, "先頭にあり、取り込んだ注文が入ります") {
			t.Fatalf("the import's phase: %q", msg)
		}
		if msg := flash(s.do(http.MethodPost, "/settings/phases/"+i64toa(b.phases["入金待ち"].ID)+"/delete", url.Values{})); !strings.Contains(msg, "自動処理「決済審査結果確認」の対象処理フェーズに使われています。") {
			t.Fatalf("a rule's phase: %q", msg)
		}

		if _, err := b.st.MoveOrders(ctx, b.orderID[:3], b.phases["完了"].ID, "tester"); err != nil {
			t.Fatal(err)
		}
		w = s.do(http.MethodPost, deletePath, url.Values{})
		if msg := flash(w); msg != "処理フェーズ「保留」を削除しました。注文の履歴には処理フェーズ名が残ります。" {
			t.Fatalf("delete: %q", msg)
		}
		if strings.Contains(s.afterRedirect(w), `data-phase="保留"`) {
			t.Fatal("the deleted phase is still listed")
		}
		orders := b.loginAs(t, only(user.MenuOrders, user.View))
		history := htmlOf(orders, idPath(b.orderID[0]))
		if !strings.Contains(history, "処理フェーズ: 新規受付 → 保留") || !strings.Contains(history, "処理フェーズ: 保留 → 完了") {
			t.Fatal("the order's history lost the deleted phase's name")
		}

		viewer := b.loginAs(t, only(user.MenuWorkflow, user.View))
		if strings.Contains(htmlOf(viewer, phasesPath), "/delete\"") {
			t.Fatal("a view-only group is offered the delete button")
		}
	})
}
