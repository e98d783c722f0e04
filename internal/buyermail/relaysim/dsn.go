package relaysim

import (
	"fmt"
	"strings"
)

// DSN is the failure report (RFC 3464) a shop's server sends back to the sender later, when the
// buyer's server refuses a message the relay took: status is the enhanced code (5.1.1) and
// diagnostic the buyer's server's answer. The report carries the message's headers, its
// Message-ID among them, as Postfix's and Exim's do.
func DSN(m Message, status, diagnostic string) []byte {
	var headers strings.Builder
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-ID"} {
		if v := m.Header.Get(k); v != "" {
			fmt.Fprintf(&headers, "%s: %s\r\n", k, v)
		}
	}
	var blocks strings.Builder
	for _, to := range m.To {
		fmt.Fprintf(&blocks, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\nDiagnostic-Code: smtp; %s\r\n", to, status, diagnostic)
	}
	return []byte("From: MAILER-DAEMON@relay.invalid (Mail Delivery System)\r\nTo: " + m.Sender + "\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"relaysim-dsn\"\r\n\r\n" +
		"--relaysim-dsn\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message could not be delivered.\r\n" +
		"--relaysim-dsn\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.invalid\r\n" + blocks.String() +
		"\r\n--relaysim-dsn\r\nContent-Type: text/rfc822-headers\r\n\r\n" + headers.String() + "\r\n--relaysim-dsn--\r\n")
}
