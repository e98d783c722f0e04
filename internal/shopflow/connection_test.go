package shopflow

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// TestConnectionCheckSaysWhatIsWrong: 接続テスト against the simulators. Good credentials pass;
// a wrong licenseKey (RMS 401) and a wrong au PAY API key are auth errors that name the keys to
// check; an endpoint where nothing listens is a connection error that names 接続先URL; a host
// that does not resolve is a DNS error.
func TestConnectionCheckSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	rk := rakutensim.New(rakutensim.Config{})
	rkURL := httptest.NewServer(rk.Handler())
	t.Cleanup(rkURL.Close)
	secret, key := rk.Credentials()
	au := aupaysim.New(aupaysim.Config{})
	auURL := httptest.NewServer(au.Handler())
	t.Cleanup(auURL.Close)
	auKey, auShop := au.Credentials()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // nothing listens there any more

	for name, c := range map[string]struct {
		channel string
		creds   map[string]string
		ok      bool
		want    string
	}{
		"rakuten good":          {rakuten.Name, map[string]string{"serviceSecret": secret, "licenseKey": key, "endpoint": rkURL.URL}, true, "接続できました。楽天市場が認証情報を受け付けました"},
		"rakuten wrong key":     {rakuten.Name, map[string]string{"serviceSecret": secret, "licenseKey": "SL-wrong", "endpoint": rkURL.URL}, false, "認証エラー: 楽天市場が認証情報を受け付けませんでした(HTTP 401)。「serviceSecret」と「licenseKey」を確かめて"},
		"aupay good":            {"aupay", map[string]string{"apiKey": auKey, "shopId": auShop, "endpoint": auURL.URL}, true, "接続できました。"},
		"aupay wrong key":       {"aupay", map[string]string{"apiKey": "wrong", "shopId": auShop, "endpoint": auURL.URL}, false, "認証エラー: au PAY マーケットが認証情報を受け付けませんでした"},
		"rakuten dead endpoint": {rakuten.Name, map[string]string{"serviceSecret": secret, "licenseKey": key, "endpoint": dead.URL}, false, "楽天市場に接続できませんでした。接続先URL(ホスト名とポート)を確かめてください。"},
		"rakuten unknown host":  {rakuten.Name, map[string]string{"serviceSecret": secret, "licenseKey": key, "endpoint": "http://rms.invalid/"}, false, "接続先が見つかりません(DNS: rms.invalid)"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sh := shop.Shop{ID: 1, Channel: shop.Channel(c.channel), Name: "テスト店"}
			spec, _ := channel.Lookup(c.channel)
			client, err := spec.NewClient(channel.Account{ShopID: 1, ShopName: sh.Name, Credentials: c.creds, BaseURL: c.creds["endpoint"],
				HTTP: &http.Client{Timeout: 5 * time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			v := CheckConnection(t.Context(), client, sh, time.Now())
			if v.OK != c.ok || !strings.Contains(v.Message, c.want) {
				t.Fatalf("verdict %v %q, want %v %q", v.OK, v.Message, c.ok, c.want)
			}
		})
	}
}
