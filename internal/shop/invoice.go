package shop

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// InvoiceNumber reads a 適格請求書発行事業者登録番号 as an operator types it (full-width, with
// hyphens or spaces, a lower-case t) and returns it as printed: "T" and 13 digits. The 13 digits
// are a 法人番号 (or, for a sole proprietor, a number of the same shape that never overlaps one;
// 国税庁 適格請求書発行事業者公表サイト「登録番号とは」), whose first digit is the check digit of
// the other twelve (法人番号の指定等に関する省令 第二条): 9 − (Σ Pn × Qn mod 9), Pn the n-th digit
// counted from the lowest, Qn 1 for odd n and 2 for even n. A mistyped digit is refused here,
// before it is printed on every slip. An empty string is no number (the shop issues no
// qualified invoices).
func InvoiceNumber(raw string) (string, error) {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-‐−ー―", r) {
			return -1
		}
		return r
	}, width.Fold.String(strings.TrimSpace(raw)))
	if s == "" {
		return "", nil
	}
	if s[0] != 'T' && s[0] != 't' {
		return "", apperror.New(apperror.Invalid, "登録番号は「T」に続けて13桁の数字で入力してください(例: T1234567890123)。")
	}
	digits := s[1:]
	if len(digits) != 13 || strings.Trim(digits, "0123456789") != "" {
		return "", apperror.New(apperror.Invalid, "登録番号「%s」は「T」の後が13桁の数字ではありません。適格請求書発行事業者の登録通知書のとおりに入力してください。", raw)
	}
	if checkDigit(digits[1:]) != digits[0]-'0' {
		return "", apperror.New(apperror.Invalid, "登録番号「%s」の数字に誤りがあります(検査用数字が合いません)。登録通知書または国税庁の公表サイトで番号を確かめてから入力してください。", raw)
	}
	return "T" + digits, nil
}

// checkDigit is the check digit of a 法人番号's 12-digit base number.
func checkDigit(base string) byte {
	sum := 0
	for n := 1; n <= len(base); n++ {
		p := int(base[len(base)-n] - '0')
		if n%2 == 0 {
			p *= 2
		}
		sum += p
	}
	return byte(9 - sum%9)
}
