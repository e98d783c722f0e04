package api

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestNotifyAddressesAreReadAndReplaced: the notification addresses are saved as the UI saves
// them (cleaned, repeats kept once, a bad one or too many refused with the UI's message and
// nothing changed), read back by a view level, and cleared with an empty list.
func TestNotifyAddressesAreReadAndReplaced(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only(user.MenuShops, user.Update))
		viewer := b.tokenFor(t, only(user.MenuShops, user.View))

		if got := decode[NotifySetting](t, b.do(t, viewer, http.MethodGet, "/settings/notify", nil), http.StatusOK); len(got.Addresses) != 0 || got.SavedAt != nil ||
			!slices.Equal(got.InEffect, []string{startupNotifyTo}) || got.MailEnabled {
			t.Fatalf("before saving: %+v, want --notify-to in effect and no mail server", got)
		}
		saved := decode[NotifySetting](t, b.do(t, token, http.MethodPut, "/settings/notify",
			map[string]any{"addresses": []string{" ops@example.jp ", "Boss@example.jp", "ops@example.jp"}}), http.StatusOK)
		want := []string{"ops@example.jp", "Boss@example.jp"}
		if !slices.Equal(saved.Addresses, want) || saved.SavedAt == nil || saved.SavedBy == "" || !slices.Equal(saved.InEffect, want) {
			t.Fatalf("saved %+v, want %q with when and by whom", saved, want)
		}
		if got := decode[NotifySetting](t, b.do(t, viewer, http.MethodGet, "/settings/notify", nil), http.StatusOK); !slices.Equal(got.Addresses, want) || got.SavedBy != saved.SavedBy {
			t.Fatalf("read back %+v", got)
		}

		tooMany := make([]string, 21)
		for i := range tooMany {
			tooMany[i] = fmt.Sprintf("ops%d@example.jp", i)
		}
		for _, c := range []struct {
			addresses []string
			detail    string
		}{
			{[]string{"new@example.jp", "foo"}, `"foo" はメールアドレスとして正しくありません。ops@example.jp のように、名前や < > を付けずにアドレスだけを入力してください。`},
			{[]string{"運用 <ops@example.jp>"}, `"運用 <ops@example.jp>" はメールアドレスとして正しくありません。ops@example.jp のように、名前や < > を付けずにアドレスだけを入力してください。`},
			{tooMany, "通知先は20件まで登録できます(入力は21件)。受け取る人を絞るか、メーリングリストのアドレスを1つ登録してください。"},
		} {
			if p := problem(t, b.do(t, token, http.MethodPut, "/settings/notify", map[string]any{"addresses": c.addresses}), http.StatusUnprocessableEntity); p.Detail != c.detail {
				t.Errorf("%q: detail %q, want %q", c.addresses, p.Detail, c.detail)
			}
		}
		if got, _ := b.st.NotifyAddresses(t.Context()); !slices.Equal(got.Addresses, want) {
			t.Fatalf("a refused list changed the addresses to %q", got.Addresses)
		}

		cleared := decode[NotifySetting](t, b.do(t, token, http.MethodPut, "/settings/notify", map[string]any{"addresses": []string{}}), http.StatusOK)
		if got, _ := b.st.NotifyAddresses(t.Context()); cleared.Addresses == nil || len(cleared.Addresses) != 0 || len(got.Addresses) != 0 ||
			!slices.Equal(cleared.InEffect, []string{startupNotifyTo}) {
			t.Fatalf("after clearing: answered %+v, stored %q", cleared, got.Addresses)
		}
	})
}

// TestNotifySettingsNameTheAdministrators: GET /settings/notify names the administrators'
// addresses, which get every error e-mail besides in_effect: enabled users of a group that may
// update every menu, with an address.
func TestNotifySettingsNameTheAdministrators(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		viewer := b.tokenFor(t, only(user.MenuShops, user.View))
		g, err := b.st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []user.User{{Login: "boss", Email: "boss@example.jp"}, {Login: "nomail"}} {
			u.PasswordHash, u.GroupID = "unused", g.ID
			if _, err := b.st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		got := decode[NotifySetting](t, b.do(t, viewer, http.MethodGet, "/settings/notify", nil), http.StatusOK)
		if !slices.Contains(got.Administrators, "boss@example.jp") || slices.Contains(got.InEffect, "boss@example.jp") {
			t.Fatalf("administrators %q, in effect %q: want boss@example.jp among the administrators only", got.Administrators, got.InEffect)
		}
	})
}
