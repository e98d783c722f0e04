package buyermail

import (
	"context"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// Bounces that arrive after the shop's server took a mail (the buyer's server refused it later)
// come back as delivery status notifications to the mail's return path: the shop's sender
// address, or for Rakuten the registered sender behind あんしんメルアド. A shop has that mailbox
// forward what it receives (a server-side alias or forward rule) to ichigen's bounce listener,
// an SMTP server that takes mail for no one else and relays nothing. Each report is matched to the
// mail by the Message-ID ichigen gave it, returned in the report's copy of the original headers;
// so the envelope sender stays the shop's registered one, as the relays demand (a VERP address
// would be refused by あんしんメルアド), and a report for a mail ichigen did not send is dropped.

// BounceHandler records one bounce; it reports whether the Message-ID is one of ichigen's.
type BounceHandler func(ctx context.Context, b Bounce) (known bool, err error)

// BounceListener is a running bounce listener.
type BounceListener struct {
	// Addr is where it listens.
	Addr net.Addr
	srv  *smtp.Server
}

// ListenBounces starts the bounce listener on addr (host:port; :2525, or 127.0.0.1:0 in tests).
// A message that is not a failure report, or that names no mail of ichigen's, is accepted and
// dropped (an auto-reply, a delay notice), so the forwarding server does not bounce it again; a
// message larger than MaxDSNSize is refused.
func ListenBounces(addr string, handle BounceHandler, log *slog.Logger) (*BounceListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &bounceSession{handle: handle, log: log}, nil
	}))
	srv.Domain = "ichigen-bounces"
	srv.MaxMessageBytes = MaxDSNSize
	srv.MaxRecipients = 10
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	return &BounceListener{Addr: ln.Addr(), srv: srv}, nil
}

// Close stops the listener.
func (l *BounceListener) Close() error { return l.srv.Close() }

type bounceSession struct {
	handle BounceHandler
	log    *slog.Logger
	// shopID is the shop whose bounce address (ShopBounceAddress) the message was sent to.
	shopID int64
}

func (s *bounceSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *bounceSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if id := ShopOfBounceAddress(to); id != 0 {
		s.shopID = id
	}
	return nil
}

func (s *bounceSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, MaxDSNSize+1))
	if err != nil {
		return err
	}
	if len(raw) > MaxDSNSize {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "report too large"}
	}
	b, err := ParseDSN(raw)
	if err != nil {
		s.log.Info("bounce listener: message dropped", "reason", err)
		return nil
	}
	b.ShopID = s.shopID
	if b.MessageID == "" && b.ShopID == 0 {
		s.log.Info("bounce listener: report without Message-ID to no shop's bounce address dropped")
		return nil
	}
	known, err := s.handle(context.Background(), b)
	if err != nil {
		// The store failed: 4xx, so the forwarding server tries again later.
		s.log.Error("bounce listener: record bounce", "message_id", b.MessageID, "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	if !known {
		s.log.Info("bounce listener: report for an unknown mail dropped", "message_id", b.MessageID)
	}
	return nil
}

func (s *bounceSession) Reset() { s.shopID = 0 }

func (s *bounceSession) Logout() error { return nil }
