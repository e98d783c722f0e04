package channel

import (
	"strings"
	"testing"
)

func TestValidateTracking(t *testing.T) {
	t.Parallel()
	cases := []struct{ carrier, number, want string }{
		{"1001", "444413758703", ""}, // samples that pass the 7DR check
		{"1002", "512547514334", ""},
		{"1003", "405548424886", ""},
		{"1001", "444413758704", "チェックデジット"},
		{"1001", "44441375870", "12桁"},
		{"1001", "4444A3758703", "12桁"},
		{"1001", "", "入力されていません"},
		{"1004", "ABC-123", ""}, // 西濃運輸: no check known
		{"9999", "444413758703", "登録されていません"},
	}
	for _, c := range cases {
		got := ValidateTracking(c.carrier, c.number)
		if (c.want == "" && got != "") || (c.want != "" && !strings.Contains(got, c.want)) {
			t.Errorf("%s %q: %q, want %q", c.carrier, c.number, got, c.want)
		}
	}
}
