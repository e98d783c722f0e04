package shop

import (
	"net/url"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
)

// CredentialKey is one of the credentials a channel's client reads from a shop.
type CredentialKey = channel.CredentialKey

// CredentialKeys are the credentials the channel's client reads, in the order the settings
// page asks for them.
func (c Channel) CredentialKeys() []CredentialKey { return c.Spec().Credentials }

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
		if k.Check != nil {
			if err := k.Check(k.Label, v); err != nil {
				return err
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

// Loopback reports whether host names this machine: localhost, 127.0.0.0/8 or ::1.
func Loopback(host string) bool { return channel.Loopback(host) }

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
