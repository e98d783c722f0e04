// Package notify sends ichigen's e-mails over SMTP: one per job run that had errors, listing each
// failed order with what to do, and one at once when a marketplace refuses a shop's credentials.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"mime"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Mailer sends e-mail through one SMTP server.
type Mailer struct {
	Addr     string // host:port; empty turns e-mail off
	From     string
	Username string // with Password: SMTP AUTH PLAIN, after STARTTLS
	Password string
	Timeout  time.Duration
}

// Enabled reports whether e-mail is configured.
func (m *Mailer) Enabled() bool { return m != nil && m.Addr != "" }

// Send delivers one message to its recipients.
func (m *Mailer) Send(ctx context.Context, to []string, subject, body string) error {
	if !m.Enabled() {
		return fmt.Errorf("e-mail is not configured (set ICHIGEN_SMTP_ADDR)")
	}
	timeout := m.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	conn, err := (&net.Dialer{Timeout: timeout}).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("connect to SMTP server %s: %w", m.Addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	c := smtp.NewClient(conn)
	if m.Username != "" {
		// Credentials only travel encrypted.
		host, _, _ := net.SplitHostPort(m.Addr)
		if c, err = smtp.NewClientStartTLS(conn, &tls.Config{ServerName: host}); err != nil {
			conn.Close()
			return fmt.Errorf("SMTP STARTTLS with %s: %w", m.Addr, err)
		}
	}
	defer c.Close()
	if m.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", m.Username, m.Password)); err != nil {
			return fmt.Errorf("SMTP authentication as %s: %w", m.Username, err)
		}
	}
	msg := Message(m.From, to, subject, body, time.Now())
	if err := c.SendMail(m.From, to, bytes.NewReader(msg)); err != nil {
		return fmt.Errorf("send e-mail %q: %w", subject, err)
	}
	_ = c.Quit() // the server has accepted the message: a failed goodbye must not send it again
	return nil
}

// Message formats an RFC 5322 message: UTF-8 text, the subject MIME-encoded for Japanese.
func Message(from string, to []string, subject, body string, date time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.BEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return []byte(b.String())
}

// ErrorSubject is the subject of a job run's error e-mail, in the seed's pattern:
// (ichigen) au PAY自動出荷情報反映結果のお知らせ(エラー情報).
func ErrorSubject(channel, job string) string {
	return fmt.Sprintf("(ichigen) %s自動%s結果のお知らせ(エラー情報)", channel, job)
}

// Failure is one failed order in an error e-mail.
type Failure struct {
	OrderNumber string
	Message     string
}

// ErrorBody lists a run's failed orders with what to do.
func ErrorBody(shopName, job string, at time.Time, failures []Failure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ichigen の自動処理でエラーになった注文があります。\n\n店舗: %s\n自動処理: %s\n日時: %s\nエラー件数: %d件\n\n",
		shopName, job, at.In(order.JST).Format("2006/01/02 15:04:05"), len(failures))
	for _, f := range failures {
		fmt.Fprintf(&b, "注文番号: %s\n  %s\n\n", f.OrderNumber, f.Message)
	}
	b.WriteString("エラーの注文はエラー用の処理フェーズに移動しています。内容を直したら、連携ステータスを戻して対象の処理フェーズに移動すると、もう一度処理されます。\n各注文の連携履歴で、楽天・モールとのやり取りを確認できます。\n")
	return b.String()
}
