package rakuten

import "github.com/ichigen-oms/ichigen/internal/workflow"

// Rakuten's link statuses (連携ステータス), labelled in Spec.
const (
	LinkConfirmed       workflow.LinkStatus = "rakuten_confirmed"         // 注文確認済み
	LinkConfirmError    workflow.LinkStatus = "rakuten_confirm_error"     // 注文確認エラー
	LinkShipReporting   workflow.LinkStatus = "rakuten_ship_reporting"    // 発送完了報告中
	LinkShipReported    workflow.LinkStatus = "rakuten_ship_reported"     // 発送完了報告済み
	LinkShipReportError workflow.LinkStatus = "rakuten_ship_report_error" // 発送完了報告エラー
	LinkPaymentReviewed workflow.LinkStatus = "rakuten_payment_reviewed"  // 決済審査済み
	LinkPaymentReviewNG workflow.LinkStatus = "rakuten_payment_review_ng" // 決済審査NG
)
