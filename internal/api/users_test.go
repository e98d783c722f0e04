package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestSetPasswordEndsTheUsersSessions: PUT /users/{id}/password needs users:update, refuses a
// password the UI would refuse with the same message, saves only the hash, never answers the
// password or its hash, and ends every web session of the user while their API tokens stay.
func TestSetPasswordEndsTheUsersSessions(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		const next = "set through the API"
		g, err := b.st.CreateGroup(ctx, user.Group{Name: "出荷担当", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update}})
		if err != nil {
			t.Fatal(err)
		}
		sato, err := b.st.CreateUser(ctx, user.User{Login: "sato", Name: "佐藤", PasswordHash: "old-hash", GroupID: g.ID})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if err := b.st.CreateSession(ctx, user.Session{TokenHash: "sato-session", UserID: sato.ID, CSRFToken: "c", CreatedAt: now,
			ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
			t.Fatal(err)
		}
		path := "/users/" + i64(sato.ID) + "/password"

		if w := b.do(t, b.tokenFor(t, only(user.MenuUsers, user.View)), http.MethodPut, path, map[string]any{"password": next}); w.Code != http.StatusForbidden {
			t.Errorf("at view level: %d, want 403", w.Code)
		}
		token := b.admin(t)
		tooLong := strings.Repeat("あ", 25)
		for password, detail := range map[string]string{
			"short": "パスワードは10文字以上にしてください。",
			tooLong: "パスワードが長すぎます。半角72文字(全角24文字)以内にしてください。",
		} {
			w := b.do(t, token, http.MethodPut, path, map[string]any{"password": password})
			if p := problem(t, w, http.StatusUnprocessableEntity); p.Detail != detail {
				t.Errorf("detail %q, want %q", p.Detail, detail)
			}
			if strings.Contains(w.Body.String(), password) {
				t.Errorf("a refusal quotes the password back: %s", w.Body.String())
			}
		}
		if _, err := b.st.GetSession(ctx, "sato-session", now); err != nil {
			t.Fatalf("a refused password ended the session: %v", err)
		}

		w := b.do(t, token, http.MethodPut, path, map[string]any{"password": next})
		got := decode[User](t, w, http.StatusOK)
		if got.ID != sato.ID || got.Login != "sato" || got.Group != "出荷担当" {
			t.Errorf("answered %+v", got)
		}
		stored, err := b.st.GetUser(ctx, sato.ID)
		if err != nil || !user.CheckPassword(stored.PasswordHash, next) {
			t.Fatalf("the stored password does not check (%v)", err)
		}
		if body := w.Body.String(); strings.Contains(body, next) || strings.Contains(body, stored.PasswordHash) || strings.Contains(strings.ToLower(body), "hash") {
			t.Errorf("the answer shows the password or its hash: %s", body)
		}
		if _, err := b.st.GetSession(ctx, "sato-session", now); !apperror.Is(err, apperror.NotFound) {
			t.Errorf("the user's web session lives on after the reset: %v", err)
		}
		if w := b.do(t, token, http.MethodGet, "/me", nil); w.Code != http.StatusOK {
			t.Errorf("the admin's token stopped working: %d", w.Code)
		}
		if w := b.do(t, token, http.MethodPut, "/users/999999/password", map[string]any{"password": next}); w.Code != http.StatusNotFound {
			t.Errorf("an unknown user: %d, want 404", w.Code)
		}
	})
}
