// Package relaysim is an SMTP server that plays a mall's mail relay (Rakuten's あんしんメルアド)
// for the tests, the benchmark and the demo: STARTTLS, SMTP AUTH, only the shop's registered
// sender, only the mall's masked recipients, and on request a connection dropped after the
// message arrived, its answer lost. It keeps every message it accepted, decoded, so a test can
// count them per recipient.
package relaysim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// MaskedRecipient matches the addresses Rakuten gives buyers: …@pc.fw.rakuten.ne.jp.
var MaskedRecipient = regexp.MustCompile(`@([a-z0-9-]+\.)?fw\.rakuten\.ne\.jp$`)

// Rules are what the relay enforces.
type Rules struct {
	// Username and Password are the SMTP AUTH ID and password; empty accepts mail without AUTH.
	Username, Password string
	// Senders are the registered sender addresses; empty accepts any.
	Senders []string
	// MaskedOnly refuses a recipient that is not a masked address.
	MaskedOnly bool
	// Drop, when set, is asked after each accepted message whether to close the connection
	// without answering: the message is kept, the client learns nothing.
	Drop func() bool
	// Bounce, when set, picks the taken messages whose recipient's server refuses them later:
	// their failure reports wait for FlushBounces.
	Bounce func(Message) bool
}

// Relay is a running relay.
type Relay struct {
	// Host and Port are where it listens (loopback).
	Host string
	Port int

	rules    Rules
	srv      *smtp.Server
	mu       sync.Mutex
	messages []Message
	dropped  int
	bounces  [][]byte
}

// Start starts a relay on loopback; Close stops it.
func Start(rules Rules) (*Relay, error) {
	cert, err := selfSigned()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Relay{rules: rules, Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	r.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{relay: r, conn: c}, nil }))
	r.srv.Domain = "relay.invalid"
	r.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	r.srv.ReadTimeout, r.srv.WriteTimeout = time.Minute, time.Minute
	go r.srv.Serve(ln) //nolint:errcheck // ends with Close
	return r, nil
}

// Close stops the relay.
func (r *Relay) Close() error { return r.srv.Close() }

// Messages returns the messages accepted so far.
func (r *Relay) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.messages)
}

// Dropped counts the connections closed after a message instead of answering.
func (r *Relay) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dropped
}

func (r *Relay) keep(m Message) (drop bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.messages = append(r.messages, m)
	r.holdBounce(m)
	if r.rules.Drop != nil && r.rules.Drop() {
		r.dropped++
		return true
	}
	return false
}

type session struct {
	relay  *Relay
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.relay.rules.Username || pass != s.relay.rules.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.relay.rules.Username != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	if len(s.relay.rules.Senders) > 0 && !slices.Contains(s.relay.rules.Senders, from) {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 2, 0}, Message: fmt.Sprintf("<%s> sender rejected", from)}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.relay.rules.MaskedOnly && !MaskedRecipient.MatchString(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: fmt.Sprintf("<%s> recipient rejected", to)}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Decode(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	m.Sender, m.To = s.from, slices.Clone(s.to)
	if s.relay.keep(m) {
		s.conn.Conn().Close() // the message is taken; its answer is lost
		return errors.New("connection dropped")
	}
	return nil
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }

// selfSigned makes the relay's certificate; clients connect with InsecureSkipVerify.
func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.invalid"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * 365 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
