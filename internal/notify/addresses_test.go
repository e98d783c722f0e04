package notify

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// TestRecipientsTakeOnlyBareAddresses: the notification addresses are cleaned (blanks out, a
// repeat kept once in its first spelling, order kept) and anything an SMTP server would refuse
// as a recipient is refused with a message that names it and says what to write instead.
func TestRecipientsTakeOnlyBareAddresses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		in   []string
		want []string
		bad  string // part of the refusal, "" for none
	}{
		{"none", nil, []string{}, ""},
		{"cleaned", []string{" ops@example.jp ", "", "Boss@Example.jp", "ops@example.jp", "boss@example.jp"}, []string{"ops@example.jp", "Boss@Example.jp"}, ""},
		{"japanese local part", []string{"運用@example.jp"}, []string{"運用@example.jp"}, ""},
		{"not an address", []string{"ops@example.jp", "foo"}, nil, `"foo" はメールアドレスとして正しくありません。ops@example.jp のように`},
		{"display name", []string{"運用 <ops@example.jp>"}, nil, `"運用 <ops@example.jp>" はメールアドレスとして正しくありません`},
		{"angle brackets", []string{"<ops@example.jp>"}, nil, `"<ops@example.jp>" は`},
		{"two in one", []string{"a@example.jp b@example.jp"}, nil, `"a@example.jp b@example.jp" は`},
		{"every bad one named", []string{"foo", "ops@example.jp", "bar@"}, nil, `"foo"、"bar@" は`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := Recipients(c.in)
			if c.bad == "" {
				if err != nil || !slices.Equal(got, c.want) {
					t.Fatalf("Recipients(%q) = %q, %v; want %q", c.in, got, err, c.want)
				}
				return
			}
			if !apperror.Is(err, apperror.Invalid) || !strings.Contains(apperror.MessageOf(err), c.bad) {
				t.Fatalf("Recipients(%q): %v; want a refusal with %q", c.in, err, c.bad)
			}
		})
	}
}

// TestRecipientsAreBounded: MaxRecipients addresses are taken, one more is refused with the
// bound and the count.
func TestRecipientsAreBounded(t *testing.T) {
	t.Parallel()
	var addrs []string
	for i := range MaxRecipients + 1 {
		addrs = append(addrs, fmt.Sprintf("ops%d@example.jp", i))
	}
	if got, err := Recipients(addrs[:MaxRecipients]); err != nil || len(got) != MaxRecipients {
		t.Fatalf("%d addresses: %d, %v", MaxRecipients, len(got), err)
	}
	_, err := Recipients(addrs)
	if !apperror.Is(err, apperror.Invalid) || !strings.Contains(apperror.MessageOf(err), fmt.Sprintf("%d件まで登録できます(入力は%d件)", MaxRecipients, MaxRecipients+1)) {
		t.Fatalf("%d addresses: %v", MaxRecipients+1, err)
	}
	// Repeats do not count against the bound.
	if _, err := Recipients(append(addrs[:MaxRecipients:MaxRecipients], addrs[0], strings.ToUpper(addrs[1]))); err != nil {
		t.Fatalf("repeats counted: %v", err)
	}
}

// TestSplitAddressesTakesLinesAndCommas: the settings page's text (one a line, any line end)
// and --notify-to (comma-separated) split alike.
func TestSplitAddressesTakesLinesAndCommas(t *testing.T) {
	t.Parallel()
	got := SplitAddresses(" a@example.jp\r\n\r\nb@example.jp, c@example.jp ,\n d@example.jp \n")
	if want := []string{"a@example.jp", "b@example.jp", "c@example.jp", "d@example.jp"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := SplitAddresses(" \n, "); len(got) != 0 {
		t.Fatalf("blank text gives %q", got)
	}
}

// FuzzRecipients: whatever an operator types, what is taken is bare addresses, none repeated,
// at most MaxRecipients, and anything else is a refusal, never a panic.
func FuzzRecipients(f *testing.F) {
	f.Add("ops@example.jp\nboss@example.jp")
	f.Add("運用 <ops@example.jp>, foo")
	f.Add("\"a b\"@example.jp\r\n@\n<>")
	f.Fuzz(func(t *testing.T, text string) {
		got, err := Recipients(SplitAddresses(text))
		if err != nil {
			if !apperror.Is(err, apperror.Invalid) {
				t.Fatalf("%q: %v is not a refusal", text, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range got {
			if !IsAddress(a) || seen[strings.ToLower(a)] {
				t.Fatalf("%q: took %q", text, got)
			}
			seen[strings.ToLower(a)] = true
		}
		if len(got) > MaxRecipients {
			t.Fatalf("%q: took %d addresses", text, len(got))
		}
	})
}
