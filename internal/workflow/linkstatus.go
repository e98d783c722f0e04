package workflow

import (
	"strings"
	"sync"
)

// LinkStatus is an order's state towards its marketplace (連携ステータス); "" is 空欄(未処理).
// Each channel has its own set; the labels are what operators see.
type LinkStatus string

// LinkNone is 空欄(未処理), every channel's status of an order not yet sent. Each channel names
// its own link statuses in its package and registers their labels.
const LinkNone LinkStatus = ""

// LinkMailError marks an order whose buyer mail failed or whose outcome is unknown, on every
// channel: the relay refused it (a sender, a recipient, the authentication) or the connection
// was lost after the message was sent. The link message says which and what to do.
const LinkMailError = LinkStatus(string(JobMail) + ruleErrorSuffix)

// linkLabels holds the labels of every channel's link statuses, registered with the channel
// (RegisterLinkStatus); 空欄(未処理) is every channel's.
var (
	linkLabelsMu sync.RWMutex
	linkLabels   = map[LinkStatus]string{LinkNone: "空欄(未処理)", LinkMailError: "メール送信エラー"}
)

// RegisterLinkStatus names a channel's link status; channel.Register calls it for each of a
// channel's statuses.
func RegisterLinkStatus(l LinkStatus, label string) {
	linkLabelsMu.Lock()
	defer linkLabelsMu.Unlock()
	linkLabels[l] = label
}

// Label returns the status in Japanese.
func (l LinkStatus) Label() string {
	linkLabelsMu.RLock()
	s, ok := linkLabels[l]
	linkLabelsMu.RUnlock()
	if ok {
		return s
	}
	if k, ok := strings.CutSuffix(string(l), ruleErrorSuffix); ok && JobKind(k).Valid() {
		return JobKind(k).Label() + "エラー(一括)"
	}
	return string(l)
}

// ruleErrorSuffix ends the status RuleError gives.
const ruleErrorSuffix = "_error"

// RuleError is the link status of the orders of a run whose whole call the marketplace refused,
// for no one order's reason (a bad request, a setting): "<job kind>_error", 「出荷情報反映エラー(一括)」.
func RuleError(k JobKind) LinkStatus { return LinkStatus(string(k) + ruleErrorSuffix) }

// errorSuffixes end the codes of the link statuses that are errors: an order the marketplace or
// ichigen refused, waiting for the operator. Channels name their own (rakuten_ship_report_error,
// aupay_complete_error, rakuten_payment_review_ng), and a rule whose whole call was refused
// marks its orders "<job kind>_error"; the store finds the same statuses by these suffixes.
var errorSuffixes = []string{"_error", "_ng"}

// IsError reports whether the status is an error (…エラー, 決済審査NG): the order waits for the
// operator to fix it and send it again.
func (l LinkStatus) IsError() bool {
	for _, s := range errorSuffixes {
		if strings.HasSuffix(string(l), s) {
			return true
		}
	}
	return false
}

// earlierErrorMark joins a refusal's message and the unhandled errors it replaced.
const earlierErrorMark = " ／ 前の未対応のエラー: "

// KeepEarlierError is the link message a rule's result other than success (newStatus,
// newMessage: a refusal, or a pending send) leaves on an order whose link status was prevStatus
// with prevMessage. An error the operator had not handled yet (an error status with its message)
// is not erased: the new message is followed by 「前の未対応のエラー: 「注文確認エラー」…」, so the
// order stays findable by it and 要対応 keeps showing it until the operator sets the link status
// by hand or a run succeeds, which clear the message. Errors kept so before are carried along;
// the same error again leaves the message as it was. replaced says an error was newly kept (the
// order's history should record it).
func KeepEarlierError(prevStatus LinkStatus, prevMessage string, newStatus LinkStatus, newMessage string) (message string, replaced bool) {
	base, tail, kept := strings.Cut(prevMessage, earlierErrorMark)
	if !prevStatus.IsError() || strings.TrimSpace(base) == "" {
		if kept {
			return newMessage + earlierErrorMark + tail, false
		}
		return newMessage, false
	}
	if prevStatus == newStatus && strings.TrimSpace(base) == strings.TrimSpace(newMessage) {
		return prevMessage, false
	}
	return newMessage + earlierErrorMark + EarlierError(prevStatus, prevMessage), true
}

// EarlierError names an error as KeepEarlierError keeps it: 「注文確認エラー」 and its message.
func EarlierError(status LinkStatus, message string) string {
	return "「" + status.Label() + "」" + message
}
