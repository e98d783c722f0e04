package yahoo

import "github.com/ichigen-oms/ichigen/internal/workflow"

// Yahoo!ショッピング's link statuses; labelled in Spec.
const (
	LinkTaken           workflow.LinkStatus = "yahoo_taken"             // 処理中反映済み
	LinkTakeError       workflow.LinkStatus = "yahoo_take_error"        // 処理中反映エラー
	LinkPaid            workflow.LinkStatus = "yahoo_paid"              // 入金確認済み
	LinkPaymentError    workflow.LinkStatus = "yahoo_payment_error"     // 入金確認エラー
	LinkShipReported    workflow.LinkStatus = "yahoo_ship_reported"     // 出荷情報反映済み
	LinkShipReportError workflow.LinkStatus = "yahoo_ship_report_error" // 出荷情報反映エラー
	LinkCompleted       workflow.LinkStatus = "yahoo_completed"         // 受注完了ステータス反映済み
	LinkCompleteError   workflow.LinkStatus = "yahoo_complete_error"    // 受注完了ステータス反映エラー
)
