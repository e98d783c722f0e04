package buyermail

import (
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// TLSMode is how a connection to the SMTP server is secured.
type TLSMode string

// The TLS modes.
const (
	// StartTLS upgrades a plain connection (port 587, the あんしんメルアド relay's).
	StartTLS TLSMode = "starttls"
	// ImplicitTLS opens TLS at once (port 465).
	ImplicitTLS TLSMode = "tls"
	// NoTLS is for a server on the same machine or in a test only: credentials are refused
	// over it.
	NoTLS TLSMode = "none"
)

// Settings are a shop's SMTP server for buyer mail: for a Rakuten shop the あんしんメルアド relay
// shown in R-Login (sub.fw.rakuten.ne.jp:587, STARTTLS, its SMTP AUTH ID and password), with the
// sender address registered in RMS. The password is encrypted at rest and never shown back,
// printed or logged.
type Settings struct {
	ShopID   int64
	Host     string
	Port     int
	TLS      TLSMode
	Username string
	Password string
	// From is the sender, both envelope and header: for Rakuten an address registered in RMS
	// (店舗連絡先メールアドレス, not the masked one).
	From string
	// ReplyTo is where buyers' replies go ("" : to From).
	ReplyTo string
	// PerSecond is the pace the server allows (0: DefaultPerSecond).
	PerSecond float64
	// InsecureSkipVerify accepts any server certificate: for the demo's and the tests' own
	// servers only.
	InsecureSkipVerify bool
	UpdatedAt          time.Time
}

// DefaultPerSecond is the pace of a server that states none: a shared relay throttles a burst.
const DefaultPerSecond = 5

// Configured reports whether the shop has a server to send through.
func (s Settings) Configured() bool { return s.Host != "" && s.From != "" }

// Contact is the shop's address for buyers' replies: ReplyTo, or From.
func (s Settings) Contact() string {
	if s.ReplyTo != "" {
		return s.ReplyTo
	}
	return s.From
}

// Addr is the server's host:port.
func (s Settings) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Pace is the least time between two mails of the shop.
func (s Settings) Pace() time.Duration {
	ps := s.PerSecond
	if ps <= 0 {
		ps = DefaultPerSecond
	}
	return time.Duration(float64(time.Second) / ps)
}

// Validate checks settings before they are saved.
func (s Settings) Validate() error {
	switch {
	case strings.TrimSpace(s.Host) == "":
		return apperror.New(apperror.Invalid, "SMTPサーバを入力してください(楽天市場の店舗はR-Loginの「メールサーバ設定情報」のSMTPサーバ名)。")
	case s.Port <= 0 || s.Port > 65535:
		return apperror.New(apperror.Invalid, "ポート番号は1〜65535で入力してください(STARTTLSなら通常587)。")
	case s.TLS != StartTLS && s.TLS != ImplicitTLS && s.TLS != NoTLS:
		return apperror.New(apperror.Invalid, "TLSの方式を選んでください。")
	case s.TLS == NoTLS && s.Username != "":
		return apperror.New(apperror.Invalid, "SMTP AUTHのパスワードは暗号化なしでは送れません。TLSの方式に STARTTLS か SSL/TLS を選んでください。")
	case s.PerSecond < 0:
		return apperror.New(apperror.Invalid, "送信の速さは0以上で入力してください。")
	}
	if err := checkAddress(s.From, "送信元メールアドレス"); err != nil {
		return err
	}
	if s.ReplyTo != "" {
		return checkAddress(s.ReplyTo, "返信先メールアドレス")
	}
	return nil
}

func checkAddress(a, what string) error {
	if a == "" {
		return apperror.New(apperror.Invalid, "%sを入力してください。", what)
	}
	if p, err := mail.ParseAddress(a); err != nil || p.Address != a {
		return apperror.New(apperror.Invalid, "%s「%s」は正しいメールアドレスではありません。", what, a)
	}
	return nil
}

// String implements fmt.Stringer without the password.
func (s Settings) String() string {
	return fmt.Sprintf("smtp://%s@%s (%s) from %s", s.Username, s.Addr(), s.TLS, s.From)
}

// LogValue implements slog.LogValuer without the password.
func (s Settings) LogValue() slog.Value { return slog.StringValue(s.String()) }
