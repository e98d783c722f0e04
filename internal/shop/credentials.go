package shop

import (
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	// Destination marks a key that says where the credentials are sent (the endpoint):
	// changing it needs every Secret key entered again (CheckDestinationChange).
	Destination bool
	Help        string
}

// CredentialKeys are the credentials the channel's client reads, in the order the settings
// page asks for them.
func (c Channel) CredentialKeys() []CredentialKey {
	endpoint := CredentialKey{Name: "endpoint", Label: "接続先URL", Destination: true,
		Help: "空欄なら本番のAPIに接続します。シミュレーター(ichigen sim)で試すときだけ、その URL を入力します(https://、またはこのサーバー上なら http://127.0.0.1:…)。変えるときは秘密の値もすべて入力し直してください。"}
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
// channel is set, an endpoint is an https URL (or http to this machine), and a pace is a positive number.
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
			if err := checkEndpoint(k.Label, v); err != nil {
				return err
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

// CheckDestinationChange refuses a change of where a shop's credentials are sent (a key marked
// Destination: the endpoint, set, replaced or cleared) unless every secret key of the channel
// was entered in the same change (entered names the keys given a value). The stored secrets
// are never shown back, so whoever may edit the settings could otherwise point them at a
// server of their own and read them from the Authorization header it receives.
func (c Channel) CheckDestinationChange(old, next Credentials, entered []string) error {
	keys := c.CredentialKeys()
	var moved []string
	for _, k := range keys {
		if k.Destination && old.Plain()[k.Name] != next.Plain()[k.Name] {
			moved = append(moved, "「"+k.Label+"」")
		}
	}
	if len(moved) == 0 {
		return nil
	}
	var again []string
	for _, k := range keys {
		if k.Secret && !slices.Contains(entered, k.Name) {
			again = append(again, k.Label)
		}
	}
	if len(again) == 0 {
		return nil
	}
	return apperror.New(apperror.Invalid,
		"%sを変えるときは、%s も入力し直してください。保存済みの秘密の値を、新しい接続先へそのまま送らないためです。",
		strings.Join(moved, ""), strings.Join(again, "、"))
}

// checkEndpoint accepts an https URL, or a plain http one only to this machine (a simulator
// run beside ichigen): anything else would carry the credentials in the clear.
func checkEndpoint(label, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return apperror.New(apperror.Invalid, "「%s」は https:// で始まるURLで入力してください(http:// はこのサーバー自身で動くシミュレーターにだけ使えます)。", label)
	}
	if u.User != nil {
		return apperror.New(apperror.Invalid, "「%s」にユーザー名やパスワードを含めないでください。認証情報は各項目に入力します。", label)
	}
	if u.Scheme == "http" && !Loopback(u.Hostname()) {
		return apperror.New(apperror.Invalid,
			"「%s」の「%s」には暗号化されない http:// で接続できません。https:// で始まるURLで入力してください(http:// はこのサーバー自身(127.0.0.1、::1、localhost)のシミュレーターにだけ使えます)。",
			label, u.Host)
	}
	return nil
}

// Loopback reports whether host names this machine: localhost, 127.0.0.0/8 or ::1.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// EndpointHost is where an endpoint sends credentials, for the audit log: its host, never a
// path, query or user; "" is the marketplace's production address.
func EndpointHost(endpoint string) string {
	if endpoint == "" {
		return "本番"
	}
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return "(読めないURL)"
}
