package aupay

import "github.com/ichigen-oms/ichigen/internal/workflow"

// Eligibility says, per job kind, which orders au PAY Market acts on: only those the seed's
// conditions name (seed 000 §2). The dispatcher leaves the others in the phase with no result
// and no error: a bundle child (its parent is reported), an order whose link status does not fit
// the kind, such as 注文情報ステータス取得エラー for ship_report until it is reset to 空欄.
var Eligibility = map[workflow.JobKind]workflow.Eligibility{
	workflow.JobStatusFetch: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{workflow.LinkNone}},
	// Only 空欄 orders of 管理区分 通常 (a bundle parent, a split parent or child count as 通常
	// towards au).
	// An order stored as cancelled is refused before a call, in au's own words.
	workflow.JobShipReport: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{workflow.LinkNone},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkShipReportError, Message: MsgTradeCancelled + msgCancelledTodo}},
	// Only orders whose shipment was reflected (出荷情報反映済み).
	workflow.JobComplete: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{LinkShipReported},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkCompleteError, Message: MsgTradeCancelled + msgCancelledTodo}},
}

var skip = workflow.Decision{Action: workflow.Skip}
