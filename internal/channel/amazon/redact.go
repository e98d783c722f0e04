package amazon

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// redacting records calls with what must never reach the history taken out: the LWA secrets
// and tokens, Restricted Data Tokens, and every buyer's personal data (names, addresses, phone
// numbers, e-mail addresses), which Amazon allows to be kept only as long as a shipment needs.
type redacting struct{ inner channel.Recorder }

// RecordCall implements channel.Recorder.
func (r redacting) RecordCall(ctx context.Context, c channel.Call) (int64, error) {
	if r.inner == nil {
		return 0, nil
	}
	c.Request, c.Response = redact(c.Request), redact(c.Response)
	return r.inner.RecordCall(ctx, c)
}

// hidden are the JSON keys whose values are never recorded.
var hidden = map[string]bool{
	"access_token": true, "refresh_token": true, "client_secret": true, "restrictedDataToken": true,
	"ShippingAddress": true, "BuyerInfo": true, "BuyerEmail": true, "BuyerName": true, "BuyerCompanyName": true,
	"Name": true, "AddressLine1": true, "AddressLine2": true, "AddressLine3": true, "Phone": true, "DefaultShipFromLocationAddress": true,
}

// withheld replaces a body that cannot be read as whole JSON (cut short for the history, or no
// JSON at all) and may hold what hidden names.
const withheld = "(個人情報や認証情報を含むおそれがあるため、この内容は連携履歴に記録していません)"

// redact returns body with the hidden keys' values replaced; a body that is not JSON is kept
// only when it is plainly free of them.
func redact(body string) string {
	if body == "" {
		return body
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		if !mayHold(body) {
			return body // "GET /orders/v0/orders?…", an error page
		}
		return withheld
	}
	out, err := json.Marshal(scrub(v))
	if err != nil {
		return withheld
	}
	return string(out)
}

func mayHold(s string) bool {
	for k := range hidden {
		if containsFold(s, k) {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func scrub(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if hidden[k] {
				t[k] = "(記録しません)"
				continue
			}
			t[k] = scrub(x)
		}
	case []any:
		for i, x := range t {
			t[i] = scrub(x)
		}
	}
	return v
}
