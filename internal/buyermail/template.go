package buyermail

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// Template is a buyer mail's subject and body with placeholders ({{注文番号}}). ShopID 0 is a
// template shared by every shop.
type Template struct {
	ID      int64
	ShopID  int64
	Name    string
	Subject string
	Body    string
	// Charset is how the mail is encoded: UTF-8 (the default) or ISO-2022-JP, for a shop whose
	// buyers' older mail clients read only that.
	Charset   Charset
	UpdatedAt time.Time
}

// Charset is a mail's character encoding.
type Charset string

// The encodings a template may choose.
const (
	UTF8      Charset = "UTF-8"
	ISO2022JP Charset = "ISO-2022-JP"
)

// Valid reports whether c is a known encoding.
func (c Charset) Valid() bool { return c == UTF8 || c == ISO2022JP }

// MaxSubject and MaxBody bound a template, in characters.
const (
	MaxSubject = 200
	MaxBody    = 20_000
)

// placeholderPattern finds a placeholder: a name between double braces.
var placeholderPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// Validate checks a template before it is saved: a name, a subject, a body within bounds, only
// known placeholders (an unknown one is named in the refusal), and for ISO-2022-JP only
// characters that encoding has (never turned into ? on the buyer's screen).
func (t Template) Validate() error {
	switch {
	case strings.TrimSpace(t.Name) == "":
		return apperror.New(apperror.Invalid, "テンプレート名を入力してください。")
	case strings.TrimSpace(t.Subject) == "":
		return apperror.New(apperror.Invalid, "件名を入力してください。")
	case strings.TrimSpace(t.Body) == "":
		return apperror.New(apperror.Invalid, "本文を入力してください。")
	case strings.ContainsAny(t.Subject, "\r\n"):
		return apperror.New(apperror.Invalid, "件名は1行で入力してください。")
	case len([]rune(t.Subject)) > MaxSubject:
		return apperror.New(apperror.Invalid, "件名は%d文字以内で入力してください。", MaxSubject)
	case len([]rune(t.Body)) > MaxBody:
		return apperror.New(apperror.Invalid, "本文は%d文字以内で入力してください。", MaxBody)
	case strings.ContainsFunc(t.Subject+t.Body, control):
		return apperror.New(apperror.Invalid, "件名と本文に制御文字は使えません(改行とタブを除く)。貼り付けた文字を入力し直してください。")
	case !t.charset().Valid():
		return apperror.New(apperror.Invalid, "文字コード「%s」には対応していません。UTF-8 か ISO-2022-JP を選んでください。", t.Charset)
	}
	if unknown := UnknownPlaceholders(t.Subject + "\n" + t.Body); len(unknown) > 0 {
		return apperror.New(apperror.Invalid, "差し込み項目%sはありません。使える差し込み項目は設定画面の一覧を見てください。", quoteAll(unknown))
	}
	if t.charset() == ISO2022JP {
		if bad := unencodable(t.Subject + t.Body); len(bad) > 0 {
			return apperror.New(apperror.Invalid, "ISO-2022-JP で送れない文字%sがあります。別の文字に置き換えるか、文字コードを UTF-8 にしてください。", quoteAll(bad))
		}
	}
	return nil
}

// control reports a control character other than a line break or a tab: ESC would end an
// ISO-2022-JP sequence, and none of them reads as text in a mail client.
func control(r rune) bool {
	return r != '\n' && r != '\r' && r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0))
}

func (t Template) charset() Charset {
	if t.Charset == "" {
		return UTF8
	}
	return t.Charset
}

// UnknownPlaceholders lists the placeholders of text that are not in Placeholders, each once, in
// the order they appear.
func UnknownPlaceholders(text string) []string {
	var out []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		if _, ok := placeholderByName(m[1]); !ok && !slices.Contains(out, m[0]) {
			out = append(out, m[0])
		}
	}
	return out
}

// unencodable lists the characters of text that ISO-2022-JP cannot carry, each once.
func unencodable(text string) []string {
	var out []string
	for _, r := range text {
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if !inISO2022JP(r) && !slices.Contains(out, string(r)) {
			out = append(out, string(r))
		}
	}
	return out
}

// inISO2022JP reports whether r is in ISO-2022-JP as RFC 1468 has it: ASCII, JIS X 0201 Roman
// and the JIS X 0208 rows 1–8 and 16–84. The encoder of x/text also writes JIS X 0212 and the
// NEC special characters of row 13 (①, ㈱), which many mail clients show as nothing or garbage.
func inISO2022JP(r rune) bool {
	b, err := japanese.ISO2022JP.NewEncoder().String(string(r))
	switch {
	case err != nil || strings.Contains(b, "\x1b$(D"):
		return false
	case strings.HasPrefix(b, "\x1b$B") && len(b) >= 5:
		row := int(b[3]) - 0x20
		return (row >= 1 && row <= 8) || (row >= 16 && row <= 84)
	}
	return true
}

func quoteAll(items []string) string {
	var b strings.Builder
	for _, s := range items {
		b.WriteString("「" + s + "」")
	}
	return b.String()
}
