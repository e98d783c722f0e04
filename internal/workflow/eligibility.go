package workflow

import (
	"slices"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Action is what the dispatcher does with an order of a rule's target phase.
type Action int

// Actions.
const (
	// Take hands the order to the channel.
	Take Action = iota
	// Skip leaves the order in the target phase with no result and no error (seed 000 §2):
	// the rule does not act on it until the operator changes it.
	Skip
	// Pass decides the order as done without a call, its link status unchanged: it moves to
	// the success phase with the decision's message.
	Pass
	// Refuse fails the order before any call: it moves to the error phase with the decision's
	// link status and message.
	Refuse
)

// Decision is what becomes of orders a condition of an Eligibility names.
type Decision struct {
	Action  Action
	Status  LinkStatus // Refuse: the link status the order gets
	Message string     // Pass, Refuse: the link message the operator reads
}

// Check is a channel's own condition, decided before any call: an order for which Applies is
// true gets Decision.
type Check struct {
	Applies func(order.Order) bool
	Decision
}

// Eligibility says which orders of a rule's target phase a channel's job kind acts on, decided
// once by the dispatcher before the channel is called, so that the channel only ever sees orders
// it may send. The conditions are tried in the order of the fields; the first that names the
// order decides it, and an order none names is taken. The zero Eligibility takes every order.
type Eligibility struct {
	// BundleChild decides a bundle child (同梱子), which its parent is sent for.
	BundleChild Decision
	// Bundled decides a bundle parent or child (同梱親・同梱子) not decided by BundleChild.
	Bundled Decision
	// LinkStatuses, when not nil, are the link statuses the kind acts on: an order with
	// another is skipped until the operator resets it (such as 注文情報ステータス取得エラー until
	// it is set back to 空欄).
	LinkStatuses []LinkStatus
	// Checks are the channel's own conditions, in order.
	Checks []Check
	// Cancelled decides an order the marketplace has cancelled (or is cancelling).
	Cancelled Decision
}

// Decide says what becomes of o; Action Take hands it to the channel.
func (e Eligibility) Decide(o order.Order) Decision {
	switch {
	case o.ManagementClass == order.BundleChild && e.BundleChild.Action != Take:
		return e.BundleChild
	case (o.ManagementClass == order.BundleParent || o.ManagementClass == order.BundleChild) && e.Bundled.Action != Take:
		return e.Bundled
	case e.LinkStatuses != nil && !slices.Contains(e.LinkStatuses, LinkStatus(o.LinkStatus)):
		return Decision{Action: Skip}
	}
	for _, c := range e.Checks {
		if c.Applies(o) && c.Action != Take {
			return c.Decision
		}
	}
	if o.MarketplaceStatus.Cancelled() {
		return e.Cancelled
	}
	return Decision{Action: Take}
}

// MailEligibility is which orders a メール送信 rule mails, on every channel: a bundle child's
// buyer is mailed with its parent, and a cancelled order is not mailed at all.
var MailEligibility = Eligibility{
	BundleChild: Decision{Action: Pass, Message: "同梱先の注文でメールを送ります。"},
	Cancelled: Decision{Action: Refuse, Status: LinkMailError,
		Message: "キャンセルされた注文のためメールを送りませんでした。送る必要があれば注文画面から送信してください。"},
}
