package user

import (
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// TestChangePasswordAsksForTheCurrentOneFirst: a change of one's own password is refused with
// one message per rule, the wrong current password before anything about the new one.
func TestChangePasswordAsksForTheCurrentOneFirst(t *testing.T) {
	t.Parallel()
	h, err := bcrypt.GenerateFromPassword([]byte("current password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	hash := string(h)
	for _, c := range []struct {
		name, current, password, confirmation, want string
	}{
		{"wrong current", "guess guess", "short", "other", "現在のパスワードが違います。入力し直してください。"},
		{"same as current", "current password", "current password", "current password", "新しいパスワードが現在のパスワードと同じです。別のパスワードを入力してください。"},
		{"mismatch", "current password", "new password 1", "new password 2", "パスワードと確認用のパスワードが一致しません。もう一度入力してください。"},
		{"too short", "current password", "short", "short", "パスワードは10文字以上にしてください。"},
		{"accepted", "current password", "new password 1", "new password 1", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := ChangePassword(hash, c.current, c.password, c.confirmation)
			if c.want == "" {
				if err != nil || !CheckPassword(got, c.password) {
					t.Fatalf("accepted change: %q, %v", got, err)
				}
				return
			}
			if !apperror.Is(err, apperror.Invalid) || apperror.MessageOf(err) != c.want || got != "" {
				t.Fatalf("got %q, %v; want the message %q", got, err, c.want)
			}
		})
	}
}
