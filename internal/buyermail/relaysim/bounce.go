package relaysim

import (
	"errors"
	"fmt"
	"net/smtp"
)

// The relay can play the buyers' servers that refuse a mail after the relay took it: Rules.Bounce
// picks the messages, and each one picked becomes a failure report (DSN) held until
// FlushBounces delivers it to the bounce listener, as the shop's sender mailbox would forward
// it. Holding them keeps a report from overtaking the sender's own record that the mail went
// out, as a real report, minutes later, never does.

// BounceStatus and BounceDiagnostic are what the refusing server says in the relay's reports.
const (
	BounceStatus     = "5.1.1"
	BounceDiagnostic = "550 5.1.1 Recipient address rejected: User unknown in virtual mailbox table"
)

// holdBounce keeps the report of a message Rules.Bounce picked; the caller holds r.mu.
func (r *Relay) holdBounce(m Message) {
	if r.rules.Bounce != nil && r.rules.Bounce(m) {
		r.bounces = append(r.bounces, DSN(m, BounceStatus, BounceDiagnostic))
	}
}

// FlushBounces delivers the reports held so far to the bounce listener at addr (host:port),
// addressed to rcpt (the shop's bounce address), and returns how many it delivered. A report
// the listener did not take is kept for the next flush.
func (r *Relay) FlushBounces(addr, rcpt string) (int, error) {
	r.mu.Lock()
	held := r.bounces
	r.bounces = nil
	r.mu.Unlock()
	var errs []error
	var kept [][]byte
	sent := 0
	for _, report := range held {
		if err := smtp.SendMail(addr, nil, "", []string{rcpt}, report); err != nil {
			errs = append(errs, err)
			kept = append(kept, report)
			continue
		}
		sent++
	}
	if len(kept) > 0 {
		r.mu.Lock()
		r.bounces = append(kept, r.bounces...)
		r.mu.Unlock()
		return sent, fmt.Errorf("forward %d bounce reports to %s: %w", len(kept), addr, errors.Join(errs...))
	}
	return sent, nil
}
