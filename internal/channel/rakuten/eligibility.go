package rakuten

import "github.com/ichigen-oms/ichigen/internal/workflow"

// MsgBundleChildReported is the link message of a bundle child passed by a ship report: RMS
// hears of its parcel under the parent's number.
const MsgBundleChildReported = "同梱親の注文で発送完了報告します。"

// Eligibility says, per job kind, which orders Rakuten acts on. The dispatcher decides the
// others before Process is called: a bundled or cancelled order, or one whose postage is not
// fixed, is refused confirmation before the call, and a cancelled one its ship report; a bundle child passes a ship report, as its
// parent is reported under its own number and never under the child's.
var Eligibility = map[workflow.JobKind]workflow.Eligibility{
	workflow.JobConfirm: {
		Bundled:   workflow.Decision{Action: workflow.Refuse, Status: LinkConfirmError, Message: MsgBundled},
		Checks:    []workflow.Check{{Applies: AmountsUnfixed, Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkConfirmError, Message: MsgPostageUnset}}},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkConfirmError, Message: MsgCancelled},
	},
	// The review is a read: every order is looked up, a cancelled one included (RMS says why).
	workflow.JobPaymentReview: {},
	workflow.JobShipReport: {
		BundleChild: workflow.Decision{Action: workflow.Pass, Message: MsgBundleChildReported},
		Cancelled:   workflow.Decision{Action: workflow.Refuse, Status: LinkShipReportError, Message: MsgCancelledShipReport},
	},
}
