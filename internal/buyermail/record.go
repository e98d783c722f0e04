package buyermail

import "time"

// State is where a buyer mail stands in its journal.
type State string

// The states of a mail. A mail is marked Sending, and that is committed, before the SMTP
// transaction; a mail found Sending later was cut off by a crash and counts as Unknown.
const (
	Sending State = "sending"
	Sent    State = "sent"
	// Failed mails surely did not go out (refused before the message was complete): they
	// may be sent again.
	Failed State = "failed"
	// Unknown mails may have reached the buyer: they are never sent again automatically.
	Unknown State = "unknown"
	// Bounced mails were taken by the shop's server and refused later by the buyer's: a
	// delivery status notification came back (ParseDSN). Like Sent, they are not sent again
	// automatically.
	Bounced State = "bounced"
)

// Label returns the state in Japanese.
func (s State) Label() string {
	switch s {
	case Sending:
		return "送信中"
	case Sent:
		return "送信済み"
	case Failed:
		return "送信エラー"
	case Unknown:
		return "結果不明"
	case Bounced:
		return "不達"
	}
	return string(s)
}

// RuleRequest is the request of the mails a メール送信 rule sends: one per order and template.
const RuleRequest = "rule"

// Record is one buyer mail in the journal and in the order's history, with its rendered text.
type Record struct {
	ID           int64
	OrderID      int64
	ShopID       int64
	TemplateID   int64
	TemplateName string
	// Request says who asked: RuleRequest, or "op:<job id>" for an operator's send. One request
	// mails an order once per template.
	Request   string
	State     State
	Recipient string
	Subject   string
	Body      string
	MessageID string
	// Message is what the operator reads of a failure or an unknown outcome.
	Message   string
	Actor     string
	CreatedAt time.Time
	UpdatedAt time.Time
	// AcknowledgedAt is when an operator marked a bounced mail 確認済み (zero if not):
	// it leaves 要対応's count and stays 不達 in the order's history.
	AcknowledgedAt time.Time
	// AcknowledgedBy is that operator's login; AcknowledgedNote what they wrote (電話で連絡済み).
	AcknowledgedBy, AcknowledgedNote string
}

// MaxAcknowledgeNote is the longest note, in characters, an operator writes on a bounce.
const MaxAcknowledgeNote = 200

// Acknowledged says whether an operator marked the bounce 確認済み.
func (r Record) Acknowledged() bool { return !r.AcknowledgedAt.IsZero() }
