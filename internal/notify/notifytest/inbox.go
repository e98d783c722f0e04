// Package notifytest starts a real SMTP server on loopback for tests: e-mail is tested over
// SMTP, not through a fake function.
package notifytest

import (
	"encoding/base64"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Inbox is a real SMTP server on loopback that keeps what it receives.
type Inbox struct {
	Addr     string
	mu       sync.Mutex
	messages []Received
	arrived  chan struct{} // closed, and replaced, when a message arrives
}

// Received is one delivered message.
type Received struct {
	From    string
	To      []string
	Subject string
	Body    string
}

type session struct {
	inbox *Inbox
	msg   Received
}

func (s *session) Reset()                                      { s.msg = Received{} }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.msg.From = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = append(s.msg.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	s.msg.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	raw, _ := io.ReadAll(m.Body)
	body, err := decodeBase64Lines(string(raw))
	if err != nil {
		return err
	}
	s.msg.Body = body
	s.inbox.mu.Lock()
	s.inbox.messages = append(s.inbox.messages, s.msg)
	close(s.inbox.arrived)
	s.inbox.arrived = make(chan struct{})
	s.inbox.mu.Unlock()
	return nil
}

// StartInbox starts an SMTP server for the test.
func StartInbox(t testing.TB) *Inbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := &Inbox{Addr: ln.Addr().String(), arrived: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{inbox: in}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return in
}

// Messages returns what has arrived.
func (in *Inbox) Messages() []Received {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Received(nil), in.messages...)
}

func decodeBase64Lines(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(s))
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}

// Wait returns the messages once at least one has arrived, or none after within.
func (in *Inbox) Wait(within time.Duration) []Received {
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		in.mu.Lock()
		n, arrived := len(in.messages), in.arrived
		in.mu.Unlock()
		if n > 0 {
			return in.Messages()
		}
		select {
		case <-arrived:
		case <-timeout.C:
			return in.Messages()
		}
	}
}
