package shop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestCredentialsNeverPrintTheirValues(t *testing.T) {
	t.Parallel()
	sh := Shop{Name: "tea", Credentials: Credentials{"licenseKey": "SL-secret-123"}}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("shop", "credentials", sh.Credentials)
	asJSON, _ := json.Marshal(sh)
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", sh), "%+v": fmt.Sprintf("%+v", sh), "%#v": fmt.Sprintf("%#v", sh.Credentials),
		"slog": logged.String(), "json": string(asJSON),
	} {
		if strings.Contains(out, "SL-secret-123") || !strings.Contains(out, "licenseKey") {
			t.Errorf("%s shows the secret or hides the name: %s", name, out)
		}
	}
	if sh.Credentials.Plain()["licenseKey"] != "SL-secret-123" {
		t.Error("Plain lost the value")
	}
}
