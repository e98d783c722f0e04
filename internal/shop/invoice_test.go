package shop

import (
	"strings"
	"testing"
)

// TestInvoiceNumberChecksItsCheckDigit: a registration number is "T" and 13 digits whose first
// digit checks the other twelve (the ministry's worked example 7123456789012, a listed company's
// 4011001098993); what an operator types is normalised (full-width, hyphens, spaces, a small t),
// and a wrong check digit, a missing T or a wrong length is refused with what to enter.
func TestInvoiceNumberChecksItsCheckDigit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want, msg string }{
		{in: "T7123456789012", want: "T7123456789012"},
		{in: "T4011001098993", want: "T4011001098993"},
		{in: "Ｔ４０１１００１０９８９９３", want: "T4011001098993"},
		{in: " t4-0110-0109-8993 ", want: "T4011001098993"},
		{in: "", want: ""},
		{in: "T4011001098994", msg: "確かめ"},
		{in: "T1123456789012", msg: "確かめ"},
		{in: "4011001098993", msg: "「T」"},
		{in: "T401100109899", msg: "13桁"},
		{in: "T40110010989931", msg: "13桁"},
		{in: "T40110010989A3", msg: "13桁"},
		{in: "T0123456789012", msg: "確かめ"},
	} {
		got, err := InvoiceNumber(c.in)
		if c.msg == "" {
			if err != nil || got != c.want {
				t.Errorf("%q: %q, %v; want %q", c.in, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "登録番号") {
			t.Errorf("%q: %q, %v; want a refusal saying %q", c.in, got, err, c.msg)
		}
	}
}
