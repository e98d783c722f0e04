package channel

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// CredentialKey is one of the credentials a channel's client reads from a shop.
type CredentialKey struct {
	Name     string // the key in a shop's credentials: serviceSecret, licenseKey, …
	Label    string // what the settings page calls it
	Required bool
	Secret   bool // typed into a password field; never shown back either way
	// Expiring marks the key whose replacement makes the stored expiry unknown (Rakuten's
	// licenseKey lives 90 days).
	Expiring bool
	// Destination marks a key that says where the credentials are sent (the endpoint):
	// changing it needs every Secret key entered again.
	Destination bool
	Help        string
	// Check refuses a value that cannot work, with the operator's message; nil takes any.
	Check func(label, value string) error
}

// EndpointKey is the credential that points a shop's client at a simulator instead of the
// marketplace: every connected channel has it.
func EndpointKey() CredentialKey {
	return CredentialKey{Name: "endpoint", Label: "接続先URL", Destination: true, Check: CheckEndpoint,
		Help: "空欄なら本番のAPIに接続します。シミュレーター(ichigen sim)で試すときだけ、その URL を入力します(https://、またはこのサーバー上なら http://127.0.0.1:…)。変えるときは秘密の値もすべて入力し直してください。"}
}

// CheckPace accepts a pace in calls a second: a number above 0 and at most 100.
func CheckPace(label, v string) error {
	if f, err := strconv.ParseFloat(v, 64); err != nil || f <= 0 || f > 100 {
		return apperror.New(apperror.Invalid, "「%s」は0より大きい数(例: 0.95)で入力してください。", label)
	}
	return nil
}

// CheckEndpoint accepts an https URL, or a plain http one only to this machine (a simulator
// run beside ichigen): anything else would carry the credentials in the clear.
func CheckEndpoint(label, v string) error {
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
