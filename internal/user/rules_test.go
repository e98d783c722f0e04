package user

import (
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// TestLoginLengthIsBounded: a login of MaxLoginLength characters (not bytes) is fine, one more
// is refused as invalid, so no user can be made that the login form would refuse.
func TestLoginLengthIsBounded(t *testing.T) {
	t.Parallel()
	for login, ok := range map[string]bool{
		"":                                    true,
		strings.Repeat("あ", MaxLoginLength):   true,
		strings.Repeat("a", MaxLoginLength+1): false,
		strings.Repeat("あ", MaxLoginLength+1): false,
	} {
		err := CheckLoginLength(login)
		if ok != (err == nil) || (err != nil && !apperror.Is(err, apperror.Invalid)) {
			t.Errorf("a login of %d characters: %v", len([]rune(login)), err)
		}
	}
}
