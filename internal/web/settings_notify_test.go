package web

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestNotifyAddressesAreSavedOnTheSettingsPage: 通知先 shows the --notify-to addresses while
// none are saved and says e-mail is off without a mail server; the update level saves
// addresses one a line (repeats kept once), a bad one is refused with what to fix and the text
// kept as entered, and saving none goes back to --notify-to. A view level sees no form, and a
// write without the session's token changes nothing.
func TestNotifyAddressesAreSavedOnTheSettingsPage(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuShops, user.Update))
		saved := func() []string {
			t.Helper()
			got, err := b.st.NotifyAddresses(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return got.Addresses
		}

		page := htmlOf(s, "/settings/notify")
		for _, want := range []string{"ops@example.jp", "起動時の設定(--notify-to)の宛先に送ります", "メールの送信サーバーが設定されていない", `<textarea name="addresses"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the page before saving does not show %q", want)
			}
		}

		entered := "foo\nsales@example.jp"
		w := s.do(http.MethodPost, "/settings/notify", url.Values{"addresses": {entered}})
		body := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `"foo" はメールアドレスとして正しくありません。ops@example.jp のように`) {
			t.Fatalf("a bad address: %d, without its message", w.Code)
		}
		if !strings.Contains(body, ">"+entered+"</textarea>") {
			t.Fatal("the refused form does not keep the text as entered")
		}
		if got := saved(); len(got) != 0 {
			t.Fatalf("a refused list saved %q", got)
		}

		w = s.do(http.MethodPost, "/settings/notify", url.Values{"addresses": {"sales@example.jp\r\n\r\nboss@example.jp\r\nsales@example.jp\r\n"}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "通知先を保存しました(2件)") || !strings.Contains(flash(w), "今はメールは送られません") {
			t.Fatalf("save without a mail server: %d %q", w.Code, flash(w))
		}
		if got := saved(); !slices.Equal(got, []string{"sales@example.jp", "boss@example.jp"}) {
			t.Fatalf("saved %q", got)
		}
		page = htmlOf(s, "/settings/notify")
		if !strings.Contains(page, ">sales@example.jp\nboss@example.jp</textarea>") || !strings.Contains(page, "この画面で保存した宛先に送ります") ||
			!strings.Contains(page, "最終更新") || !strings.Contains(page, s.login) {
			t.Fatal("the page after saving does not show the saved addresses, that they apply, and who saved them")
		}

		viewer := b.loginAs(t, only(user.MenuShops, user.View))
		if got := htmlOf(viewer, "/settings/notify"); !strings.Contains(got, "boss@example.jp") || strings.Contains(got, `action="/settings/notify"`) {
			t.Fatal("a view level does not see the addresses, or is offered the form")
		}
		noToken := &session{b: b, token: s.token}
		if w := noToken.do(http.MethodPost, "/settings/notify", url.Values{"addresses": {""}}); w.Code != http.StatusForbidden || len(saved()) != 2 {
			t.Fatalf("a write without the CSRF token: %d, saved %q", w.Code, saved())
		}

		w = s.do(http.MethodPost, "/settings/notify", url.Values{"addresses": {" \n"}})
		if !strings.Contains(flash(w), "起動時の設定(--notify-to)の宛先に送ります") || len(saved()) != 0 {
			t.Fatalf("saving none: %q, saved %q", flash(w), saved())
		}
	})
}

// TestNotifyPageShowsTheAdministratorsToo: 通知先 lists the administrators' addresses beside
// the notification addresses, since every error e-mail goes to them as well.
func TestNotifyPageShowsTheAdministratorsToo(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuShops, user.View))
		if page := htmlOf(s, "/settings/notify"); strings.Contains(page, "data-admins") {
			t.Fatal("with no administrator's address the page lists administrators")
		}
		g, err := b.st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.CreateUser(ctx, user.User{Login: "boss", Email: "boss@example.jp", PasswordHash: "unused", GroupID: g.ID}); err != nil {
			t.Fatal(err)
		}
		page := htmlOf(s, "/settings/notify")
		if !strings.Contains(page, "管理者(すべてのメニューを更新できる権限グループの、メールアドレスのある有効なユーザー)にも送ります。") ||
			!strings.Contains(page, `<li class="mono">boss@example.jp</li>`) {
			t.Fatal("the page does not list the administrator's address as a recipient")
		}
	})
}
