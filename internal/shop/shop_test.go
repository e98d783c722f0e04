package shop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/workflow"
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

func TestChannelsOfferTheirOwnJobKinds(t *testing.T) {
	t.Parallel()
	if err := Rakuten.CheckJobKind(workflow.JobShipReport); err != nil {
		t.Fatal(err)
	}
	err := Rakuten.CheckJobKind(workflow.JobComplete)
	if !apperror.Is(err, apperror.Invalid) || !strings.Contains(apperror.MessageOf(err), "「受注完了ステータス反映」の自動処理は使えません") {
		t.Fatalf("complete on Rakuten: %v", err)
	}
	if err := AuPay.CheckJobKind(workflow.JobComplete); err != nil {
		t.Fatal(err)
	}
	if err := CSVShop.CheckJobKind(workflow.JobImport); err == nil {
		t.Fatal("a CSV shop has no import API yet")
	}
}
