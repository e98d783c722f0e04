package notify

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// MaxRecipients bounds the notification addresses (通知先): an error e-mail is for the few
// who act on it; a team is better reached through one mailing-list address.
const MaxRecipients = 20

// IsAddress reports whether a is one bare e-mail address (ops@example.jp), the form an SMTP
// server takes a recipient in. A display name or angle brackets ("運用 <ops@example.jp>")
// would go to the server as written and be refused there, when an error is already being
// reported, so they are refused here instead.
func IsAddress(a string) bool {
	p, err := mail.ParseAddress(a)
	return err == nil && p.Name == "" && p.Address == a
}

// SplitAddresses splits addresses written one a line or separated by commas, as the settings
// page and --notify-to take them, trimmed and without blanks.
func SplitAddresses(s string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Recipients checks notification addresses as an operator entered them and returns them
// cleaned: trimmed, blanks left out, a repeated address (in any case) kept once, the order
// kept. Any address that is not one (IsAddress), or more than MaxRecipients, is refused with
// apperror.Invalid saying what to fix.
func Recipients(addrs []string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	var bad []string
	for _, a := range addrs {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
		case !IsAddress(a):
			bad = append(bad, fmt.Sprintf("%q", a))
		case !seen[strings.ToLower(a)]:
			seen[strings.ToLower(a)] = true
			out = append(out, a)
		}
	}
	if len(bad) > 0 {
		return nil, apperror.New(apperror.Invalid,
			"%s はメールアドレスとして正しくありません。ops@example.jp のように、名前や < > を付けずにアドレスだけを入力してください。",
			strings.Join(bad, "、"))
	}
	if len(out) > MaxRecipients {
		return nil, apperror.New(apperror.Invalid,
			"通知先は%d件まで登録できます(入力は%d件)。受け取る人を絞るか、メーリングリストのアドレスを1つ登録してください。",
			MaxRecipients, len(out))
	}
	return out, nil
}

// Union joins lists of addresses into one, each address (in any case) once, in the order first
// met.
func Union(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, a := range l {
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	return out
}
