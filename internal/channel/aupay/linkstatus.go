package aupay

import "github.com/ichigen-oms/ichigen/internal/workflow"

// au PAY Market's link statuses (au PAY API連携ステータス), exactly as the seed (000 §6); labelled in
// Spec.
const (
	LinkStatusFetchError workflow.LinkStatus = "aupay_status_fetch_error" // 注文情報ステータス取得エラー
	LinkShipReported     workflow.LinkStatus = "aupay_ship_reported"      // 出荷情報反映済み
	LinkShipReportError  workflow.LinkStatus = "aupay_ship_report_error"  // 出荷情報反映エラー
	LinkCompleted        workflow.LinkStatus = "aupay_completed"          // 受注完了ステータス反映済み
	LinkCompleteError    workflow.LinkStatus = "aupay_complete_error"     // 受注完了ステータス反映エラー
)
