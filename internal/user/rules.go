package user

import (
	"net/mail"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// The settings rules the web UI and the REST API both keep when users and groups change.

// MaxLoginLength is the most characters a login (ログインID) may have. The login form refuses a
// longer one before looking anything up.
const MaxLoginLength = 100

// CheckLoginLength refuses a login longer than MaxLoginLength.
func CheckLoginLength(login string) error {
	if n := utf8.RuneCountInString(login); n > MaxLoginLength {
		return apperror.New(apperror.Invalid, "ログインIDが長すぎます(%d文字)。%d文字以内にしてください。", n, MaxLoginLength)
	}
	return nil
}

// CheckEmail refuses an e-mail address that does not read; "" (none) is allowed.
func CheckEmail(email string) error {
	if email == "" {
		return nil
	}
	if _, err := mail.ParseAddress(email); err != nil {
		return apperror.New(apperror.Invalid, "メールアドレス「%s」が読めません。", email)
	}
	return nil
}

// CheckDisable refuses disabling oneself: actorID is who asks, userID whom they would disable.
func CheckDisable(actorID, userID int64) error {
	if actorID == userID {
		return apperror.New(apperror.Invalid, "自分自身を無効にすることはできません。別の管理者に依頼してください。")
	}
	return nil
}

// CheckAdministratorRemains refuses users and groups, as a change would leave them, in which no
// enabled user may change users and groups: nobody could undo it.
func CheckAdministratorRemains(users []User, groups []Group) error {
	byID := make(map[int64]Group, len(groups))
	for _, g := range groups {
		byID[g.ID] = g
	}
	for _, u := range users {
		if !u.Disabled && byID[u.GroupID].Allows(MenuUsers, Update) {
			return nil
		}
	}
	return apperror.New(apperror.Conflict, "この変更をすると、ユーザー・権限設定を更新できる有効なユーザーがいなくなります。先に別のユーザーに更新権限を与えてください。")
}

// AdminAddresses are the e-mail addresses of the administrators, who get the error e-mails
// besides the notification addresses: the enabled users of a group that Administers, with an
// address, bare as an SMTP server takes it (a@example.jp of 「名前 <a@example.jp>」), in the
// users' order.
func AdminAddresses(users []User, groups []Group) []string {
	admin := make(map[int64]bool, len(groups))
	for _, g := range groups {
		admin[g.ID] = g.Administers()
	}
	var out []string
	for _, u := range users {
		if u.Disabled || !admin[u.GroupID] || u.Email == "" {
			continue
		}
		if a, err := mail.ParseAddress(u.Email); err == nil {
			out = append(out, a.Address)
		}
	}
	return out
}
