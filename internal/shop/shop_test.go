package shop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

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

// TestCredentialCountdownCountsPartDaysWhole: the days left round up, so that "あと1日" shows
// until the very end, and an expiry passed counts zero or less; an unknown expiry is not known.
func TestCredentialCountdownCountsPartDaysWhole(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   time.Duration
		want int
	}{{14 * 24 * time.Hour, 14}, {13*24*time.Hour + time.Minute, 14}, {time.Hour, 1}, {0, 0}, {-25 * time.Hour, -1}} {
		sh := Shop{CredentialsExpireAt: now.Add(c.in)}
		if got, known := sh.CredentialsDaysLeft(now); got != c.want || !known {
			t.Errorf("expiring in %v: %d days (known %v), want %d", c.in, got, known, c.want)
		}
	}
	if _, known := (Shop{}).CredentialsDaysLeft(now); known {
		t.Error("an unknown expiry counts days")
	}
}

// TestMissingCredentialsAreTheRequiredOnesUnset: a shop lacks the required keys it has no value
// for; optional keys and channels without credentials lack nothing.
func TestMissingCredentialsAreTheRequiredOnesUnset(t *testing.T) {
	t.Parallel()
	sh := Shop{Channel: Rakuten, Credentials: Credentials{"serviceSecret": "SP-1", "licenseKey": ""}}
	if got := sh.MissingCredentials(); len(got) != 1 || got[0].Name != "licenseKey" {
		t.Fatalf("missing %+v, want licenseKey", got)
	}
	sh.Credentials["licenseKey"] = "SL-1"
	if got := sh.MissingCredentials(); len(got) != 0 {
		t.Fatalf("missing %+v with every required key set", got)
	}
	if got := (Shop{Channel: CSVShop}).MissingCredentials(); len(got) != 0 {
		t.Fatalf("a CSV shop misses %+v", got)
	}
}

// TestCallsPerSecondIsTheMarketplacesPace: RMS allows one call a second; au PAY one unless the
// shop's callsPerSecond says the pace agreed with au; a channel ichigen does not call has none.
func TestCallsPerSecondIsTheMarketplacesPace(t *testing.T) {
	for _, c := range []struct {
		shop Shop
		want float64
	}{
		{Shop{Channel: Rakuten, Credentials: Credentials{"callsPerSecond": "5"}}, RakutenCallsPerSecond},
		{Shop{Channel: AuPay}, AuPayCallsPerSecond},
		{Shop{Channel: AuPay, Credentials: Credentials{"callsPerSecond": "2.5"}}, 2.5},
		{Shop{Channel: AuPay, Credentials: Credentials{"callsPerSecond": "-1"}}, AuPayCallsPerSecond},
		{Shop{Channel: CSVShop}, 0},
	} {
		if got := c.shop.CallsPerSecond(); got != c.want {
			t.Errorf("%s %v: %v, want %v", c.shop.Channel, c.shop.Credentials.Plain(), got, c.want)
		}
	}
}
