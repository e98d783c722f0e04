package order

import (
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// JST is Japan time, in which operators enter and read dates.
var JST = time.FixedZone("Asia/Tokyo", 9*60*60)

// FormatMinute writes a time as operators read it, in Japan time to the minute (2026/11/01
// 09:30): the order list, the order page and the CSV. "" for the zero time.
func FormatMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(JST).Format("2006/01/02 15:04")
}

// ParseDay reads a day an operator entered, 2026-11-01 or 2026/11/01, as its start in Japan
// time; empty is the zero time. what names the field in the refusal.
func ParseDay(s, what string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, strings.ReplaceAll(s, "/", "-"), JST)
	if err != nil {
		return time.Time{}, apperror.New(apperror.Invalid, "%s「%s」が読めません。2026-11-01 の形で入力してください。", what, s)
	}
	return t, nil
}
