// Package shop is a shop (店舗): one storefront on one channel, with its marketplace credentials.
// Types and rules only; the store encrypts credentials at rest.
package shop

import (
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Channel is the marketplace or cart a shop sells on: the name of a channel registered in
// internal/channel (see internal/channels). Its methods read the channel's registration.
type Channel string

// Channels lists every registered channel in display order.
func Channels() []Channel {
	var out []Channel
	for _, s := range channel.All() {
		out = append(out, Channel(s.Name))
	}
	return out
}

// Connected are the channels ichigen talks to, those a shop can be created on.
func Connected() []Channel {
	var out []Channel
	for _, s := range channel.All() {
		if !s.Planned {
			out = append(out, Channel(s.Name))
		}
	}
	return out
}

// Spec returns the channel's registration; an unknown channel has an empty one, named as it is.
func (c Channel) Spec() *channel.Spec {
	if s, ok := channel.Lookup(string(c)); ok {
		return s
	}
	return &channel.Spec{Name: string(c), Label: string(c), Short: string(c), Planned: true}
}

// Label returns the channel's Japanese name.
func (c Channel) Label() string { return c.Spec().Label }

// LabelEN returns the channel's English name.
func (c Channel) LabelEN() string { return c.Spec().LabelEN }

// JobKinds are the automation the channel offers: what its marketplace's API can do, then the
// kinds every connected channel has (workflow.CommonJobKinds: buyer mail).
func (c Channel) JobKinds() []workflow.JobKind {
	spec := c.Spec()
	if spec.Planned {
		return spec.JobKinds
	}
	return append(slices.Clip(spec.JobKinds), workflow.CommonJobKinds...)
}

// LinkStatuses are the link statuses the channel's orders can have, in the order the UI lists
// them; 空欄(未処理) first, then the channel's own, then the errors of a run whose whole call was
// refused, which marks its orders with its rule's own error.
func (c Channel) LinkStatuses() []workflow.LinkStatus {
	out := []workflow.LinkStatus{workflow.LinkNone}
	for _, l := range c.Spec().LinkStatuses {
		out = append(out, l.Status)
	}
	for _, k := range c.JobKinds() {
		if k.NeedsTargetPhase() {
			out = append(out, workflow.RuleError(k))
		}
	}
	return out
}

// ManualLinkStatuses are the link statuses an operator may set by hand: with a phase move, the
// retry path after an error. 空欄(未処理) sends an order again, on every connected channel.
func (c Channel) ManualLinkStatuses() []workflow.LinkStatus {
	spec := c.Spec()
	if spec.Planned {
		return nil
	}
	out := []workflow.LinkStatus{workflow.LinkNone}
	for _, l := range spec.LinkStatuses {
		if l.Manual {
			out = append(out, l.Status)
		}
	}
	return out
}

// Splittable reports whether an order of the channel in link status l may still be split (分割)
// or its split undone: 空欄, or a status the channel says holds nothing a split contradicts.
func (c Channel) Splittable(l workflow.LinkStatus) bool {
	if l == workflow.LinkNone {
		return true
	}
	for _, s := range c.Spec().LinkStatuses {
		if s.Status == l {
			return s.Splittable
		}
	}
	return false
}

// Bundlable reports whether an order of the channel in link status l may still be bundled (同梱)
// or its bundle undone: 空欄, or a status the channel says holds nothing a bundle contradicts
// (seed 003: confirm, then bundle).
func (c Channel) Bundlable(l workflow.LinkStatus) bool {
	if l == workflow.LinkNone {
		return true
	}
	for _, s := range c.Spec().LinkStatuses {
		if s.Status == l {
			return s.Bundlable
		}
	}
	return false
}

// CheckManualLinkStatus refuses a link status an operator may not set on the channel's orders.
func (c Channel) CheckManualLinkStatus(l workflow.LinkStatus) error {
	allowed := c.ManualLinkStatuses()
	if slices.Contains(allowed, l) {
		return nil
	}
	if len(allowed) == 0 {
		return apperror.New(apperror.Invalid, "%sの注文の連携ステータスは手動で変更できません。", c.Label())
	}
	labels := make([]string, len(allowed))
	for i, a := range allowed {
		labels[i] = "「" + a.Label() + "」"
	}
	return apperror.New(apperror.Invalid, "%sの注文の連携ステータスを「%s」に変更することはできません。手動で変更できるのは%sです。",
		c.Label(), l.Label(), strings.Join(labels, ""))
}

// CheckJobKind refuses a rule of a kind the channel does not offer.
func (c Channel) CheckJobKind(k workflow.JobKind) error {
	if slices.Contains(c.JobKinds(), k) {
		return nil
	}
	return apperror.New(apperror.Invalid, "%sの店舗では「%s」の自動処理は使えません。使えるのは%sです。", c.Label(), k.Label(), kindLabels(c.JobKinds()))
}

func kindLabels(kinds []workflow.JobKind) string {
	if len(kinds) == 0 {
		return "(まだありません)"
	}
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = "「" + k.Label() + "」"
	}
	return strings.Join(labels, "")
}

// Short returns the channel's name as e-mail subjects use it: 楽天, au PAY, ….
func (c Channel) Short() string { return cmp.Or(c.Spec().Short, c.Label()) }

// SplitWarning is what the operator is told before splitting an order of the channel, empty
// when there is nothing to warn of.
func (c Channel) SplitWarning() string { return c.Spec().SplitWarning }

// UnconfirmedCancelAfter is how long the channel's marketplace keeps an order left unconfirmed
// (注文確認待ち) before cancelling it, counted from the order; 0 when the marketplace does not.
func (c Channel) UnconfirmedCancelAfter() time.Duration { return c.Spec().UnconfirmedCancelAfter }

// UnpaidCancelAfter is how long the channel's marketplace waits for the payment of an order it
// settles before cancelling it, counted from the order; 0 when it does not.
func (c Channel) UnpaidCancelAfter() time.Duration { return c.Spec().UnpaidCancelAfter }

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	_, ok := channel.Lookup(string(c))
	return ok
}

// Status is whether the shop's jobs may run.
type Status string

// The shop statuses.
const (
	Active    Status = "active"
	AuthError Status = "auth_error" // the marketplace refused the credentials; jobs are stopped
)

// Credentials are a shop's marketplace secrets by name (serviceSecret, licenseKey, apiKey, …).
// They are encrypted at rest and never shown back or logged: printing, logging or encoding them
// as JSON shows only the names. Plain hands the values to the store and the channel clients.
type Credentials map[string]string

// redacted lists the names with their values hidden.
func (c Credentials) redacted() map[string]string {
	out := make(map[string]string, len(c))
	for k := range c {
		out[k] = "xxxxx"
	}
	return out
}

// String implements fmt.Stringer, for %v and %+v.
func (c Credentials) String() string { return fmt.Sprint(c.redacted()) }

// GoString implements fmt.GoStringer, for %#v.
func (c Credentials) GoString() string { return fmt.Sprintf("shop.Credentials(%v)", c.redacted()) }

// LogValue implements slog.LogValuer.
func (c Credentials) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// MarshalJSON implements json.Marshaler: API answers and dumps never carry the values.
func (c Credentials) MarshalJSON() ([]byte, error) { return json.Marshal(c.redacted()) }

// Plain returns the values, for sealing and for the channel clients only.
func (c Credentials) Plain() map[string]string { return map[string]string(c) }

// Shop is one storefront on one channel.
type Shop struct {
	ID      int64
	Channel Channel
	Name    string
	Code    string // the marketplace's shop id (Rakuten shop URL, au PAY shopId, …)

	Credentials         Credentials
	CredentialsExpireAt time.Time // zero when unknown

	Status        Status
	StatusMessage string

	// OverwriteSameOrder is 同一注文を上書きする: an import overwrites an order already stored.
	// Off by default; marketplace status and payment status refresh either way.
	OverwriteSameOrder bool

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks a shop before it is saved.
func (s Shop) Validate() error {
	if !s.Channel.Valid() {
		return apperror.New(apperror.Invalid, "チャネル「%s」には対応していません。", s.Channel)
	}
	if s.Name == "" {
		return apperror.New(apperror.Invalid, "店舗名を入力してください。")
	}
	return nil
}

// CredentialWarningPeriod is how long before expiry the UI and e-mails warn about a credential.
const CredentialWarningPeriod = 14 * 24 * time.Hour

// CredentialsExpireSoon reports whether the credentials expire within the warning period.
func (s Shop) CredentialsExpireSoon(now time.Time) bool {
	return !s.CredentialsExpireAt.IsZero() && s.CredentialsExpireAt.Sub(now) <= CredentialWarningPeriod
}

// CredentialsDaysLeft counts the days until the credentials expire, a part of a day as a whole
// one (0 or less: expired), and says whether the expiry is known.
func (s Shop) CredentialsDaysLeft(now time.Time) (int, bool) {
	if s.CredentialsExpireAt.IsZero() {
		return 0, false
	}
	return int(math.Ceil(s.CredentialsExpireAt.Sub(now).Hours() / 24)), true
}

// CallsPerSecond is the pace the shop's marketplace allows its credential: the quota ichigen
// keeps to, and against which the call history's counts are shown; a shop's own agreed pace
// (the channel's Quota.OverrideKey) replaces the channel's. 0 for a channel ichigen does not call.
func (s Shop) CallsPerSecond() float64 {
	spec := s.Channel.Spec()
	if spec.Planned {
		return 0
	}
	if key := spec.Quota.OverrideKey; key != "" {
		if v, err := strconv.ParseFloat(s.Credentials.Plain()[key], 64); err == nil && v > 0 {
			return v
		}
	}
	return spec.Quota.PerSecond
}
