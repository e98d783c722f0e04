package workflow

// Link statuses of the channels, as their packages name them (which this package's tests cannot
// import): the rules here hold for any status of their shape.
const (
	LinkConfirmed          LinkStatus = "rakuten_confirmed"
	LinkConfirmError       LinkStatus = "rakuten_confirm_error"
	LinkShipReporting      LinkStatus = "rakuten_ship_reporting"
	LinkShipReported       LinkStatus = "rakuten_ship_reported"
	LinkShipReportError    LinkStatus = "rakuten_ship_report_error"
	LinkPaymentReviewed    LinkStatus = "rakuten_payment_reviewed"
	LinkPaymentReviewNG    LinkStatus = "rakuten_payment_review_ng"
	LinkAuStatusFetchError LinkStatus = "aupay_status_fetch_error"
	LinkAuShipReported     LinkStatus = "aupay_ship_reported"
	LinkAuShipReportError  LinkStatus = "aupay_ship_report_error"
	LinkAuCompleted        LinkStatus = "aupay_completed"
	LinkAuCompleteError    LinkStatus = "aupay_complete_error"
)
