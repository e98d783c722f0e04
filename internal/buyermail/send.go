package buyermail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Stage is how far an SMTP transaction got.
type Stage string

// The stages of a delivery, in order.
const (
	StageConnect Stage = "connect"
	StageAuth    Stage = "auth"
	StageSender  Stage = "sender"    // MAIL FROM
	StageRcpt    Stage = "recipient" // RCPT TO
	StageData    Stage = "data"      // the message, up to its final dot
	StageAnswer  Stage = "answer"    // the server's answer to the message
)

// SendError is a delivery that failed, with how far it got.
type SendError struct {
	Stage Stage
	// Code is the server's reply code, 0 when it did not answer.
	Code int
	// Unknown is a delivery whose answer was lost after the whole message was sent: the buyer
	// may have it. Anything else surely did not go out.
	Unknown bool
	Err     error
}

func (e *SendError) Error() string { return fmt.Sprintf("SMTP %s: %v", e.Stage, e.Err) }
func (e *SendError) Unwrap() error { return e.Err }

// Permanent reports whether the server refused for good (a 5xx reply): sending again as it is
// fails again.
func (e *SendError) Permanent() bool { return e.Code >= 500 }

// Shared reports whether the refusal is the shop's setting, not one order's: every mail of the
// shop would fail alike (authentication, the sender, a server that cannot be reached).
func (e *SendError) Shared() bool {
	return e.Stage == StageConnect || e.Stage == StageAuth || e.Stage == StageSender
}

// Advice is what the operator reads of a failed delivery: what happened and what to do.
func Advice(err error) string {
	var e *SendError
	if !errors.As(err, &e) {
		return "メールを送れませんでした: " + err.Error()
	}
	reply := ""
	if e.Code != 0 {
		reply = fmt.Sprintf("(サーバの応答: %v)", e.Err)
	}
	switch {
	case e.Unknown:
		return "メールの送信結果が不明です(サーバの応答が届く前に接続が切れました)。購入者に届いている可能性があるため自動では再送しません。届いていないことを確かめてから、注文画面からもう一度送信してください。"
	case e.Stage == StageConnect:
		return fmt.Sprintf("SMTPサーバに接続できませんでした(%v)。メール送信設定のSMTPサーバ・ポート・TLSの方式を確認してください。", e.Err)
	case e.Stage == StageAuth:
		return "SMTPサーバの認証に失敗しました" + reply + "。メール送信設定のSMTP AUTH IDとパスワードを確認してください(楽天市場はR-Loginのあんしんメルアドサービスメニュー「メールサーバ設定情報」。パスワードを更新した場合は新しいものを保存してください)。"
	case e.Stage == StageSender:
		return "送信元メールアドレスが受け付けられませんでした" + reply + "。楽天市場では、RMSに登録した店舗連絡先メールアドレス(マスクされていないもの)を送信元にしてください。"
	case e.Stage == StageRcpt:
		return "購入者のメールアドレスが受け付けられませんでした" + reply + "。注文のメールアドレスを確認してください。楽天市場のマスクされたアドレスは、あんしんメルアドのサーバからしか送れません。"
	}
	return "メールの本文が受け付けられませんでした" + reply + "。テンプレートの内容と文字コードを確認してください。"
}

// Send delivers one message through the shop's server in one SMTP transaction. The error is a
// *SendError saying how far it got; a delivery whose answer was lost is Unknown.
func Send(ctx context.Context, s Settings, to string, msg []byte) error {
	c, err := dial(ctx, s)
	if err != nil {
		return &SendError{Stage: StageConnect, Err: err}
	}
	defer c.Close()
	if s.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			return refusal(StageAuth, err)
		}
	}
	if err := c.Mail(s.From, nil); err != nil {
		return refusal(StageSender, err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		return refusal(StageRcpt, err)
	}
	w, err := c.Data()
	if err != nil {
		return refusal(StageData, err)
	}
	if _, err := w.Write(msg); err != nil {
		// The final dot was not sent: the server cannot have taken the message.
		return &SendError{Stage: StageData, Err: err}
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			return refusal(StageAnswer, err)
		}
		return &SendError{Stage: StageAnswer, Unknown: true, Err: err}
	}
	_ = c.Quit() // accepted: a failed goodbye must not count as a failure
	return nil
}

// refusal classifies an error at a stage before the message was complete: whatever it is, the
// message was not taken.
func refusal(stage Stage, err error) *SendError {
	e := &SendError{Stage: stage, Err: err}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		e.Code = se.Code
	}
	return e
}

// Timeout bounds one delivery.
const Timeout = 30 * time.Second

func dial(ctx context.Context, s Settings) (*smtp.Client, error) {
	tlsConfig := &tls.Config{ServerName: s.Host, InsecureSkipVerify: s.InsecureSkipVerify} //nolint:gosec // the demo's own server only
	d := &net.Dialer{Timeout: Timeout}
	var conn net.Conn
	var err error
	if s.TLS == ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConfig}).DialContext(ctx, "tcp", s.Addr())
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.Addr())
	}
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(Timeout))
	if s.TLS == StartTLS {
		c, err := smtp.NewClientStartTLS(conn, tlsConfig)
		if err != nil {
			conn.Close()
			return nil, err
		}
		return c, nil
	}
	c := smtp.NewClient(conn)
	if err := c.Hello("localhost"); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}
