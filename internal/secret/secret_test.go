package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealedSecretOpensOnlyWithItsKey(t *testing.T) {
	t.Parallel()
	box, _ := NewBox(NewKey())
	other, _ := NewBox(NewKey())
	plain := []byte(`{"licenseKey":"SL123"}`)
	sealed := box.Seal(plain)
	if bytes.Contains(sealed, []byte("SL123")) {
		t.Fatal("sealed text contains the secret")
	}
	if bytes.Equal(sealed, box.Seal(plain)) {
		t.Fatal("two seals of one secret must differ (fresh nonce)")
	}
	got, err := box.Open(sealed)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := other.Open(sealed); err == nil || !strings.Contains(err.Error(), "ICHIGEN_SECRET_KEY") {
		t.Fatalf("another key must fail with a hint, got %v", err)
	}
	if _, err := box.Open(sealed[:5]); err == nil {
		t.Fatal("a truncated secret must not open")
	}
}

func TestKeyFileIsCreatedOnceAndPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadOrCreateKeyFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKeyFile(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load returned another key: %v", err)
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v", info.Mode(), err)
	}
}

func TestParseKeyExplainsABadKey(t *testing.T) {
	t.Parallel()
	if _, err := ParseKey("c2hvcnQ="); err == nil || !strings.Contains(err.Error(), "openssl rand -base64 32") {
		t.Fatalf("short key: %v", err)
	}
	if _, err := ParseKey("  Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI=  "); err != nil {
		t.Fatalf("valid key with spaces: %v", err)
	}
}
