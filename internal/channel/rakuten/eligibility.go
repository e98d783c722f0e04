package rakuten

import (
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// MsgBundleChildReported is the link message of a bundle child passed by a ship report: RMS
// hears of its parcel under the parent's number.
const MsgBundleChildReported = "同梱親の注文で発送完了報告します。"

// Eligibility says, per job kind, which orders Rakuten acts on. The dispatcher decides the
// others before Process is called: an order RMS already confirmed passes confirmation without a
// call; a bundled order not confirmed yet, a cancelled one, or one whose postage is not fixed is
// refused confirmation before the call, and a cancelled one its ship report; a bundle child passes
// a ship report, as its parent is reported under its own number and never under the child's.
var Eligibility = map[workflow.JobKind]workflow.Eligibility{
	// Seed 003 confirms, then bundles: an order RMS already confirmed (a bundle's parent or child
	// among them) passes without being confirmed again; a bundled order not confirmed yet is
	// refused with what to do.
	workflow.JobConfirm: {
		Checks: []workflow.Check{
			{Applies: Confirmed, Decision: workflow.Decision{Action: workflow.Pass, Message: MsgAlreadyConfirmed}},
			{Applies: bundled, Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkConfirmError, Message: MsgBundled}},
			{Applies: AmountsUnfixed, Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkConfirmError, Message: MsgPostageUnset}},
		},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkConfirmError, Message: MsgCancelled},
	},
	// The review is a read: every order is looked up, a cancelled one included (RMS says why).
	workflow.JobPaymentReview: {},
	workflow.JobShipReport: {
		BundleChild: workflow.Decision{Action: workflow.Pass, Message: MsgBundleChildReported},
		Cancelled:   workflow.Decision{Action: workflow.Refuse, Status: LinkShipReportError, Message: MsgCancelledShipReport},
	},
}

// MsgAlreadyConfirmed is the link message of an order the confirm rule passes: RMS confirmed it
// before (before it was bundled, say).
const MsgAlreadyConfirmed = "注文確認済みのため、注文確認を送らずに次へ進めました。"

// Confirmed reports whether RMS has confirmed the order already, as its link status records
// (注文確認済み, or 決済審査済み after it).
func Confirmed(o order.Order) bool {
	l := workflow.LinkStatus(o.LinkStatus)
	return l == LinkConfirmed || l == LinkPaymentReviewed
}

func bundled(o order.Order) bool {
	return o.ManagementClass == order.BundleParent || o.ManagementClass == order.BundleChild
}
