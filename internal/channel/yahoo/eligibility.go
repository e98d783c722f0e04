package yahoo

import "github.com/ichigen-oms/ichigen/internal/workflow"

// msgCancelledTodo follows Yahoo's refusal of a cancelled order with what to do.
const msgCancelledTodo = "Yahoo!ショッピングでキャンセルされた注文です。連携の対象処理フェーズから外してください。"

// MsgCancelled is the refusal, before any call, of an order stored as cancelled.
const MsgCancelled = "キャンセル済みの注文です。" + msgCancelledTodo

// Eligibility says, per job kind, which orders Yahoo!ショッピング acts on. Every Yahoo order is
// its own order at Yahoo, but a bundle child's parcel travels under its parent: the child is
// left in the phase and never sent. An order stored as cancelled is refused before a call.
var Eligibility = map[workflow.JobKind]workflow.Eligibility{
	workflow.JobConfirm: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{workflow.LinkNone},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkTakeError, Message: MsgCancelled}},
	// The payment read is a read: a cancelled order is looked up too, and Yahoo says so.
	workflow.JobPaymentReview: {LinkStatuses: []workflow.LinkStatus{workflow.LinkNone, LinkTaken}},
	workflow.JobShipReport: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{workflow.LinkNone, LinkTaken, LinkPaid},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkShipReportError, Message: MsgCancelled}},
	// Only orders whose shipment Yahoo holds (出荷情報反映済み).
	workflow.JobComplete: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{LinkShipReported},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkCompleteError, Message: MsgCancelled}},
}

var skip = workflow.Decision{Action: workflow.Skip}
