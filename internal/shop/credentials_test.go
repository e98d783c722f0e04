package shop

import (
	"strings"
	"testing"
)

// TestCheckCredentialsPerChannel: each channel's required keys, a readable endpoint and pace,
// and no key the channel does not use.
func TestCheckCredentialsPerChannel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		ch    Channel
		creds Credentials
		want  string // part of the refusal; "" accepts
	}{
		{"rakuten", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l"}, ""},
		{"rakuten on a simulator", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "http://127.0.0.1:8081"}, ""},
		{"rakuten without licenseKey", Rakuten, Credentials{"serviceSecret": "s"}, "「licenseKey」を入力してください"},
		{"an endpoint that is no URL", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "127.0.0.1:8081"}, "http:// または https://"},
		{"au", AuPay, Credentials{"apiKey": "k", "shopId": "1", "callsPerSecond": "0.5"}, ""},
		{"au without shopId", AuPay, Credentials{"apiKey": "k"}, "「店舗ID(shopId)」を入力してください"},
		{"au at no pace", AuPay, Credentials{"apiKey": "k", "shopId": "1", "callsPerSecond": "0"}, "0より大きい数"},
		{"a key of another channel", AuPay, Credentials{"apiKey": "k", "shopId": "1", "licenseKey": "l"}, "「licenseKey」という認証情報は使いません"},
		{"a channel without a client", Yahoo, Credentials{"x": "y"}, "保存できる認証情報がありません"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.ch.CheckCredentials(tc.creds)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want a refusal saying %q", err, tc.want)
			}
		})
	}
}
