package channel

import (
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// Retention is how long a channel's orders keep personal data after shipment: Days, or the
// whole days a shop enters in its credential named Key (CheckRetentionDays).
type Retention struct {
	Days int
	Key  string
}

// DaysOf is the retention of a shop with these credentials.
func (r Retention) DaysOf(creds map[string]string) int {
	if d, err := strconv.Atoi(strings.TrimSpace(creds[r.Key])); r.Key != "" && err == nil && d > 0 {
		return d
	}
	return r.Days
}

// CheckRetentionDays accepts whole days from 1 to 3650.
func CheckRetentionDays(label, v string) error {
	if d, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || d < 1 || d > 3650 {
		return apperror.New(apperror.Invalid, "「%s」は1から3650までの日数(例: 30)で入力してください。", label)
	}
	return nil
}
