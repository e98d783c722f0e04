package rakuten

import (
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Name is the channel's code, stored with each shop.
const Name = "rakuten"

// Endpoint is RMS's production address.
const Endpoint = "https://api.rms.rakuten.co.jp"

// CallsPerSecond is the pace RMS allows one license key: about one request a second.
const CallsPerSecond = 1.0

func init() { channel.Register(Spec) }

// Spec is the Rakuten channel as the rest of ichigen sees it.
var Spec = channel.Spec{
	Name: Name, Label: "楽天市場", LabelEN: "Rakuten Ichiba", Short: "楽天", Position: 10,
	Endpoint:   Endpoint,
	StatusName: ProgressName,
	Credentials: []channel.CredentialKey{
		{Name: "serviceSecret", Label: "serviceSecret", Required: true, Secret: true, Help: "RMSの「WEB APIサービス」で確認できます。"},
		{Name: "licenseKey", Label: "licenseKey", Required: true, Secret: true, Expiring: true,
			Help: "有効期限は発行から90日です。期限の14日前から警告を表示し、メールでお知らせします。発行直後は有効になるまで10〜30分かかることがあります。"},
		channel.EndpointKey(),
	},
	// RMS has no completion status to set; card sales are captured by 楽天ペイ itself.
	JobKinds: []workflow.JobKind{workflow.JobImport, workflow.JobConfirm, workflow.JobPaymentReview, workflow.JobShipReport},
	// Seed 003's flow: orders are confirmed, wait for Rakuten's payment review, are packed, and
	// their shipments reported.
	Flow: channel.Flow{
		{Kind: workflow.JobImport},
		{Kind: workflow.JobConfirm, Target: "新規受付", Success: "確認待ち", Error: "エラー"},
		{Kind: workflow.JobPaymentReview, Target: "確認待ち", Success: "出荷待ち", Error: "エラー"},
		{Kind: workflow.JobShipReport, Target: "出荷済み", Success: "完了", Error: "エラー"},
	},
	// 空欄 sends an order again; 注文確認済み and 発送完了報告済み record what was done in RMS by hand.
	LinkStatuses: []channel.LinkStatus{
		{Status: LinkConfirmed, Label: "注文確認済み", Manual: true, Splittable: true, Bundlable: true},
		{Status: LinkConfirmError, Label: "注文確認エラー"},
		{Status: LinkPaymentReviewed, Label: "決済審査済み", Bundlable: true},
		{Status: LinkPaymentReviewNG, Label: "決済審査NG"},
		{Status: LinkShipReporting, Label: "発送完了報告中", Pending: true},
		{Status: LinkShipReported, Label: "発送完了報告済み", Manual: true},
		{Status: LinkShipReportError, Label: "発送完了報告エラー"},
	},
	Quota: channel.Quota{PerSecond: CallsPerSecond, PaceKey: "licenseKey"},
	// 決済審査結果確認 reads orders back with getOrder, 100 a call.
	PollOrdersPerCall: MaxOrdersPerCall,
	// RMS cancels an order left unconfirmed 14 days after it was placed.
	UnconfirmedCancelAfter: 14 * 24 * time.Hour,
	// A prepaid order (bank transfer, convenience store) stays 楽天処理中 until the buyer pays,
	// at most 14 days (seed 002); unpaid by the deadline, Rakuten cancels it (Rakuten Ichiba FAQ
	// 000007041).
	UnpaidCancelAfter: 14 * 24 * time.Hour,
	Cancel:            CancelSpec,
	Edit:              EditSpec,
	Eligibility:       Eligibility,
	NewClient:         NewClient,
}

// NewClient builds the client of one shop.
func NewClient(a channel.Account) (channel.Client, error) {
	creds := a.Credentials
	if creds["serviceSecret"] == "" || creds["licenseKey"] == "" {
		return nil, fmt.Errorf("楽天の店舗「%s」にserviceSecretとlicenseKeyが設定されていません。店舗設定で入力してください。", a.ShopName)
	}
	return &Client{BaseURL: a.BaseURL, ServiceSecret: creds["serviceSecret"], LicenseKey: creds["licenseKey"], ShopID: a.ShopID,
		HTTP: a.HTTP, Recorder: a.Recorder, Limiter: a.Pacer, AsyncSettle: a.Settle}, nil
}

// What the Rakuten client offers besides channel.Client; the build fails if one stops.
var (
	_ channel.Refetcher           = (*Client)(nil)
	_ channel.UnimportedConfirmer = (*Client)(nil)
	_ channel.ExpiryChecker       = (*Client)(nil)
	_ channel.PostageSetter       = (*Client)(nil)
	_ channel.Canceller           = (*Client)(nil)
)
