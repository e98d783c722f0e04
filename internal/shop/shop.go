// Package shop is a shop (店舗): one storefront on one channel, with its marketplace credentials.
// Types and rules only; the store encrypts credentials at rest.
package shop

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Channel is the marketplace or cart a shop sells on.
type Channel string

// The channels.
const (
	Rakuten Channel = "rakuten"
	AuPay   Channel = "aupay"
	Yahoo   Channel = "yahoo"
	Amazon  Channel = "amazon"
	OwnShop Channel = "ownshop"
	CSVShop Channel = "csvshop"
)

// Channels lists every channel in display order.
var Channels = []Channel{Rakuten, AuPay, Yahoo, Amazon, OwnShop, CSVShop}

// Connected are the channels ichigen talks to, those a shop can be created on: the ones with
// credentials to enter.
func Connected() []Channel {
	var out []Channel
	for _, c := range Channels {
		if len(c.CredentialKeys()) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// Label returns the channel's Japanese name.
func (c Channel) Label() string {
	switch c {
	case Rakuten:
		return "楽天市場"
	case AuPay:
		return "au PAY マーケット"
	case Yahoo:
		return "Yahoo!ショッピング"
	case Amazon:
		return "Amazon"
	case OwnShop:
		return "自社カート"
	case CSVShop:
		return "CSV店舗"
	}
	return string(c)
}

// JobKinds are the automation the channel offers: what its marketplace's API can do.
func (c Channel) JobKinds() []workflow.JobKind {
	switch c {
	case Rakuten: // RMS has no completion status to set; card sales are captured by 楽天ペイ itself
		return []workflow.JobKind{workflow.JobImport, workflow.JobConfirm, workflow.JobPaymentReview, workflow.JobShipReport}
	case AuPay:
		return []workflow.JobKind{workflow.JobImport, workflow.JobStatusFetch, workflow.JobShipReport, workflow.JobComplete}
	}
	return nil
}

// LinkStatuses are the link statuses the channel's orders can have, in the order the UI lists
// them; 空欄(未処理) first.
func (c Channel) LinkStatuses() []workflow.LinkStatus {
	var out []workflow.LinkStatus
	switch c {
	case Rakuten:
		out = []workflow.LinkStatus{workflow.LinkNone, workflow.LinkConfirmed, workflow.LinkConfirmError, workflow.LinkPaymentReviewed,
			workflow.LinkPaymentReviewNG, workflow.LinkShipReporting, workflow.LinkShipReported, workflow.LinkShipReportError}
	case AuPay:
		out = []workflow.LinkStatus{workflow.LinkNone, workflow.LinkAuStatusFetchError, workflow.LinkAuShipReported,
			workflow.LinkAuShipReportError, workflow.LinkAuCompleted, workflow.LinkAuCompleteError}
	default:
		return []workflow.LinkStatus{workflow.LinkNone}
	}
	// A run whose whole call was refused marks its orders with its rule's own error.
	for _, k := range c.JobKinds() {
		if k.NeedsTargetPhase() {
			out = append(out, workflow.RuleError(k))
		}
	}
	return out
}

// ManualLinkStatuses are the link statuses an operator may set by hand: with a phase move, the
// retry path after an error. au PAY allows exactly 空欄(未処理), 出荷情報反映済み and
// 受注完了ステータス反映済み (seed 000 §6). On Rakuten, 空欄 sends an order again, and 注文確認済み
// and 発送完了報告済み record what was done in RMS by hand.
func (c Channel) ManualLinkStatuses() []workflow.LinkStatus {
	switch c {
	case Rakuten:
		return []workflow.LinkStatus{workflow.LinkNone, workflow.LinkConfirmed, workflow.LinkShipReported}
	case AuPay:
		return []workflow.LinkStatus{workflow.LinkNone, workflow.LinkAuShipReported, workflow.LinkAuCompleted}
	}
	return nil
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
func (c Channel) Short() string {
	switch c {
	case Rakuten:
		return "楽天"
	case AuPay:
		return "au PAY"
	case Yahoo:
		return "Yahoo!"
	}
	return c.Label()
}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
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

// The paces the marketplaces allow one credential, in calls a second. RMS allows about one
// request a second per license key. au PAY publishes no limit: one call a second is the pace its
// users report as safe, and a shop's "callsPerSecond" setting replaces it with the pace agreed
// with au.
const (
	RakutenCallsPerSecond = 1.0
	AuPayCallsPerSecond   = 1.0
)

// CallsPerSecond is the pace the shop's marketplace allows its credential: the quota ichigen
// keeps to, and against which the call history's counts are shown. 0 for a channel ichigen does
// not call.
func (s Shop) CallsPerSecond() float64 {
	switch s.Channel {
	case Rakuten:
		return RakutenCallsPerSecond
	case AuPay:
		if v, err := strconv.ParseFloat(s.Credentials.Plain()["callsPerSecond"], 64); err == nil && v > 0 {
			return v
		}
		return AuPayCallsPerSecond
	}
	return 0
}
