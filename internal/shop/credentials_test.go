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
		{"an endpoint that is no URL", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "127.0.0.1:8081"}, "https://"},
		{"https anywhere", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "https://sim.example.jp/es/2.0"}, ""},
		{"plain http to localhost", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "http://localhost:8081"}, ""},
		{"plain http to ::1", AuPay, Credentials{"apiKey": "k", "shopId": "1", "endpoint": "http://[::1]:8082"}, ""},
		{"plain http to another host", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "http://attacker.example:8081"},
			"http:// はこのサーバー自身(127.0.0.1、::1、localhost)の"},
		{"plain http to a LAN address", AuPay, Credentials{"apiKey": "k", "shopId": "1", "endpoint": "http://192.168.1.10/"}, "https:// で始まるURL"},
		{"a URL with a user and password", Rakuten, Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "https://u:p@sim.example.jp/"}, "ユーザー名やパスワード"},
		{"au", AuPay, Credentials{"apiKey": "k", "shopId": "1", "callsPerSecond": "0.5"}, ""},
		{"au without shopId", AuPay, Credentials{"apiKey": "k"}, "「店舗ID(shopId)」を入力してください"},
		{"au at no pace", AuPay, Credentials{"apiKey": "k", "shopId": "1", "callsPerSecond": "0"}, "0より大きい数"},
		{"a key of another channel", AuPay, Credentials{"apiKey": "k", "shopId": "1", "licenseKey": "l"}, "「licenseKey」という認証情報は使いません"},
		{"a channel without a client", CSVShop, Credentials{"x": "y"}, "保存できる認証情報がありません"},
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

// TestChangingWhereCredentialsAreSentNeedsEverySecretAgain: a new endpoint (or clearing it) is
// refused unless every secret key of the channel is entered in the same change, and the refusal
// names them; the other keys change freely.
func TestChangingWhereCredentialsAreSentNeedsEverySecretAgain(t *testing.T) {
	t.Parallel()
	stored := Credentials{"serviceSecret": "s", "licenseKey": "l", "endpoint": "http://127.0.0.1:8081"}
	with := func(kv ...string) Credentials {
		out := Credentials{}
		for k, v := range stored {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(out, kv[i])
			} else {
				out[kv[i]] = kv[i+1]
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		ch      Channel
		old     Credentials
		next    Credentials
		entered []string
		want    string // part of the refusal; "" accepts
	}{
		{"a new endpoint alone", Rakuten, stored, with("endpoint", "https://evil.example/"), []string{"endpoint"},
			"「接続先URL」を変えるときは、serviceSecret、licenseKey も入力し直してください"},
		{"a new endpoint with one secret", Rakuten, stored, with("endpoint", "https://evil.example/", "licenseKey", "l2"), []string{"endpoint", "licenseKey"},
			"serviceSecret も入力し直してください"},
		{"a cleared endpoint alone", Rakuten, stored, with("endpoint", ""), nil, "serviceSecret、licenseKey も入力し直してください"},
		{"a new endpoint with every secret", Rakuten, stored, with("endpoint", "https://sim.example/", "serviceSecret", "s", "licenseKey", "l"),
			[]string{"endpoint", "licenseKey", "serviceSecret"}, ""},
		{"the same endpoint entered again", Rakuten, stored, stored, []string{"endpoint"}, ""},
		{"a new secret alone", Rakuten, stored, with("licenseKey", "l2"), []string{"licenseKey"}, ""},
		{"a first endpoint on a new shop", AuPay, Credentials{}, Credentials{"apiKey": "k", "shopId": "1", "endpoint": "http://127.0.0.1:9"},
			[]string{"apiKey", "endpoint", "shopId"}, ""},
		{"au: a new endpoint without the APIキー", AuPay, Credentials{"apiKey": "k", "shopId": "1"},
			Credentials{"apiKey": "k", "shopId": "1", "endpoint": "https://x.example"}, []string{"endpoint"}, "APIキー も入力し直してください"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.ch.CheckDestinationChange(tc.old, tc.next, tc.entered)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want a refusal saying %q", err, tc.want)
			}
		})
	}
}
