package shop

import (
	"net/url"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// CredentialKey is one of the credentials a channel's client reads from a shop.
type CredentialKey struct {
	Name     string // the key in Credentials: serviceSecret, licenseKey, …
	Label    string // what the settings page calls it
	Required bool
	Secret   bool // typed into a password field; never shown back either way
	// Expiring marks the key whose replacement makes the stored expiry unknown (Rakuten's
	// licenseKey lives 90 days).
	Expiring bool
	Help     string
}

// CredentialKeys are the credentials the channel's client reads, in the order the settings
// page asks for them.
func (c Channel) CredentialKeys() []CredentialKey {
	endpoint := CredentialKey{Name: "endpoint", Label: "接続先URL",
		Help: "空欄なら本番のAPIに接続します。シミュレーター(ichigen sim)で試すときだけ、その URL を入力します。"}
	switch c {
	case Rakuten:
		return []CredentialKey{
			{Name: "serviceSecret", Label: "serviceSecret", Required: true, Secret: true, Help: "RMSの「WEB APIサービス」で確認できます。"},
			{Name: "licenseKey", Label: "licenseKey", Required: true, Secret: true, Expiring: true,
				Help: "有効期限は発行から90日です。期限の14日前から警告を表示し、メールでお知らせします。発行直後は有効になるまで10〜30分かかることがあります。"},
			endpoint,
		}
	case AuPay:
		return []CredentialKey{
			{Name: "apiKey", Label: "APIキー", Required: true, Secret: true, Expiring: true, Help: "Wow!manager の「各種お申し込み」→「API利用申請」で発行します(有効期限90日)。"},
			{Name: "shopId", Label: "店舗ID(shopId)", Required: true},
			endpoint,
			{Name: "callsPerSecond", Label: "1秒あたりの呼び出し回数",
				Help: "au と1秒あたりの呼び出し回数の上限を別に合意している場合だけ、その上限を入力します(空欄なら1秒に1回)。ichigen は少し余裕を持たせて呼び出します。"},
		}
	}
	return nil
}

// CheckCredentials checks credentials before they are saved: every required key of the
// channel is set, an endpoint is an http(s) URL, and a pace is a positive number.
func (c Channel) CheckCredentials(creds Credentials) error {
	keys := c.CredentialKeys()
	if len(keys) == 0 {
		return apperror.New(apperror.Invalid, "%sの店舗には保存できる認証情報がありません。", c.Label())
	}
	plain := creds.Plain()
	for _, k := range keys {
		v, ok := plain[k.Name]
		if k.Required && (!ok || v == "") {
			return apperror.New(apperror.Invalid, "「%s」を入力してください。", k.Label)
		}
		if v == "" {
			continue
		}
		switch k.Name {
		case "endpoint":
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return apperror.New(apperror.Invalid, "「%s」は http:// または https:// で始まるURLで入力してください。", k.Label)
			}
		case "callsPerSecond":
			if f, err := strconv.ParseFloat(v, 64); err != nil || f <= 0 || f > 100 {
				return apperror.New(apperror.Invalid, "「%s」は0より大きい数(例: 0.95)で入力してください。", k.Label)
			}
		}
	}
	for name := range plain {
		known := false
		for _, k := range keys {
			known = known || k.Name == name
		}
		if !known {
			return apperror.New(apperror.Invalid, "%sの店舗では「%s」という認証情報は使いません。", c.Label(), name)
		}
	}
	return nil
}

// MissingCredentials are the required credentials of the shop's channel that are not set: the
// shop's rules cannot call the marketplace until they are saved.
func (s Shop) MissingCredentials() []CredentialKey {
	var out []CredentialKey
	for _, k := range s.Channel.CredentialKeys() {
		if k.Required && s.Credentials.Plain()[k.Name] == "" {
			out = append(out, k)
		}
	}
	return out
}
