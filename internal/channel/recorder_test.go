package channel

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTruncateKeepsTheHistoryValidText: a long Japanese answer is cut between characters, and
// an answer in another encoding is kept with U+FFFD for its bad bytes, so PostgreSQL takes the
// history row either way.
func TestTruncateKeepsTheHistoryValidText(t *testing.T) {
	t.Parallel()
	long := "xy" + strings.Repeat("山", MaxRecordedBody/3+10) // 3 bytes a character, cut mid-character
	for name, in := range map[string]string{"long Japanese": long, "Shift_JIS bytes": "\x8eR\x93c \x89\xd4\x8eq"} {
		got := Truncate(in)
		if !utf8.ValidString(got) {
			t.Errorf("%s: the history would get invalid UTF-8", name)
		}
	}
	if got := Truncate(long); !strings.HasSuffix(got, "…(truncated)") || len(got) > MaxRecordedBody+len("\n…(truncated)") {
		t.Errorf("long body: %d bytes", len(got))
	}
}
