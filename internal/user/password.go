package user

import (
	"errors"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// PasswordCost is bcrypt's work factor; tests lower it to keep fast.
var PasswordCost = 12

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// maxPasswordBytes is bcrypt's limit: it ignores anything past 72 bytes, so a longer password is
// refused instead of silently cut.
const maxPasswordBytes = 72

// HashPassword checks a new password and returns its bcrypt hash.
func HashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "", apperror.New(apperror.Invalid, "パスワードは%d文字以上にしてください。", MinPasswordLength)
	}
	if len(password) > maxPasswordBytes {
		return "", apperror.New(apperror.Invalid, "パスワードが長すぎます。半角72文字(全角24文字)以内にしてください。")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), PasswordCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// HashNewPassword checks a new password typed twice, as the forms ask for it, and returns its
// bcrypt hash.
func HashNewPassword(password, confirmation string) (string, error) {
	if password != confirmation {
		return "", apperror.New(apperror.Invalid, "パスワードと確認用のパスワードが一致しません。もう一度入力してください。")
	}
	return HashPassword(password)
}

// ChangePassword checks a change of one's own password and returns the new password's hash.
// The current password must match hash before anything else is said about the new one, so the
// form tells nothing to someone who does not know it.
func ChangePassword(hash, current, password, confirmation string) (string, error) {
	if !CheckPassword(hash, current) {
		return "", apperror.New(apperror.Invalid, "現在のパスワードが違います。入力し直してください。")
	}
	if password == current {
		return "", apperror.New(apperror.Invalid, "新しいパスワードが現在のパスワードと同じです。別のパスワードを入力してください。")
	}
	return HashNewPassword(password, confirmation)
}

// CheckPassword reports whether password matches the hash.
func CheckPassword(hash, password string) bool {
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	return err == nil
}

// dummyHash is compared against when the login is unknown, so that an unknown login takes as
// long to refuse as a wrong password and logins cannot be guessed by timing.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("ichigen-no-such-user"), PasswordCost)
	return h
})

// CheckNoUser spends the time of one password check; call it when the login is unknown.
func CheckNoUser(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
}

// ErrBadLogin is the one answer to a wrong login or password: it does not say which.
var ErrBadLogin = errors.New("bad login")
