package amazon

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Amazon's link statuses; labelled in Spec.
const (
	LinkStatusFetchError workflow.LinkStatus = "amazon_status_fetch_error" // 注文情報ステータス取得エラー
	LinkShipReported     workflow.LinkStatus = "amazon_ship_reported"      // 出荷通知済み
	LinkShipReportError  workflow.LinkStatus = "amazon_ship_report_error"  // 出荷通知エラー
)

// MsgCancelled is the refusal of an order Amazon has cancelled.
const MsgCancelled = "Amazonでキャンセルされた注文です。連携の対象処理フェーズから外してください。"

// MsgAFN is what an FBA order gets from the ship report: Amazon ships it, nothing is sent.
const MsgAFN = "Amazonが出荷する注文(FBA)のため、出荷通知は送りません。"

func init() { channel.Register(Spec) }

var skip = workflow.Decision{Action: workflow.Skip}

// Eligibility says, per job kind, which orders Amazon acts on. An FBA order passes the ship
// report without a call: Amazon ships it.
var Eligibility = map[workflow.JobKind]workflow.Eligibility{
	workflow.JobStatusFetch: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{workflow.LinkNone}},
	workflow.JobShipReport: {BundleChild: skip, LinkStatuses: []workflow.LinkStatus{workflow.LinkNone},
		Checks:    []workflow.Check{{Applies: IsAFN, Decision: workflow.Decision{Action: workflow.Pass, Message: MsgAFN}}},
		Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkShipReportError, Message: MsgCancelled}},
}

// credentials are what a shop enters, in the order the settings page asks for them.
var credentials = []channel.CredentialKey{
	{Name: "clientId", Label: "LWAクライアントID", Required: true, Help: "デベロッパーセントラルでアプリの「LWA認証情報」を表示して確認します(amzn1.application-oa2-client.…)。"},
	{Name: "clientSecret", Label: "LWAクライアントシークレット", Required: true, Secret: true, Expiring: true,
		Help: "LWA認証情報のクライアントシークレットです。Amazonの定めで定期的に更新が必要です。更新したら貼り付け直してください。"},
	{Name: "refreshToken", Label: "更新トークン(リフレッシュトークン)", Required: true, Secret: true,
		Help: "セラーセントラルでアプリを認可すると発行されます(Atzr|…)。取り消した場合は認可し直して貼り付けてください。"},
	{Name: "sellerId", Label: "出品者ID(セラーID)", Required: true, Help: "セラーセントラルの「出品者トークン」(英数字)です。"},
	channel.EndpointKey(),
	{Name: "rateFactor", Label: "利用枠の倍率", Check: channel.CheckPace,
		Help: "Amazonから標準より大きい利用枠(レート・バースト)を認められている場合だけ、その倍率を入力します(空欄なら標準: getOrders 1分に1回・最大20回など)。"},
	{Name: RetentionKey, Label: "購入者情報の保持日数", Check: channel.CheckRetentionDays,
		Help: "出荷(またはキャンセル)から何日たったら購入者・お届け先の氏名・住所・電話・メールを削除するかです。空欄なら30日。Amazonのデータ保護方針では出荷に必要な間だけ保持できます。"},
}

// RetentionKey is the credential of a shop's buyer-data retention in days.
const RetentionKey = "retentionDays"

// DefaultRetentionDays is how long after shipment an order keeps its buyer data by default.
const DefaultRetentionDays = 30

// Spec is the Amazon channel as the rest of ichigen sees it.
var Spec = channel.Spec{
	Name: Channel, Label: "Amazon", LabelEN: "Amazon", Short: "Amazon", Position: 40,
	Endpoint:    Endpoint,
	Credentials: credentials,
	JobKinds:    []workflow.JobKind{workflow.JobImport, workflow.JobStatusFetch, workflow.JobShipReport},
	// Orders are imported once paid (Unshipped), their status checked, packed and their
	// shipments confirmed.
	Flow: channel.Flow{
		{Kind: workflow.JobImport},
		{Kind: workflow.JobStatusFetch, Target: "新規受付", Success: "出荷待ち", Error: "エラー"},
		{Kind: workflow.JobShipReport, Target: "出荷済み", Success: "完了", Error: "エラー"},
	},
	LinkStatuses: []channel.LinkStatus{
		{Status: LinkStatusFetchError, Label: "注文情報ステータス取得エラー"},
		{Status: LinkShipReported, Label: "出荷通知済み", Manual: true},
		{Status: LinkShipReportError, Label: "出荷通知エラー"},
	},
	// One confirmation a call at 2 a second: 20 orders are ten seconds.
	BatchSize: 20,
	// confirmShipment's rate; each operation keeps its own bucket in the client.
	Quota:        channel.Quota{PerSecond: UsagePlans[OpConfirmShipment].Rate, OverrideKey: "rateFactor"},
	SplitWarning: "Amazonには分割した注文がそれぞれ別の荷物(package)として出荷通知されます。商品と数量が分割後の注文どおりか確認してください。",
	Eligibility:  Eligibility,
	// Amazon lets a seller keep a buyer's personal data only as long as needed to ship.
	BuyerDataRetention: &channel.Retention{Days: DefaultRetentionDays, Key: RetentionKey},
	NewClient:          NewClient,
}

// NewClient builds the client of one shop. The LWA exchange goes to Amazon's, or beside a
// simulator (an endpoint set), to the simulator's.
func NewClient(a channel.Account) (channel.Client, error) {
	creds := a.Credentials
	var missing []string
	for _, k := range credentials {
		if k.Required && strings.TrimSpace(creds[k.Name]) == "" {
			missing = append(missing, k.Label)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("Amazonの店舗「%s」に%sが設定されていません。店舗設定で入力してください。", a.ShopName, strings.Join(missing, "・"))
	}
	lwa := LWAEndpoint
	if creds["endpoint"] != "" {
		lwa = strings.TrimRight(a.BaseURL, "/") + PathLWA
	}
	factor, _ := strconv.ParseFloat(creds["rateFactor"], 64)
	return &Client{BaseURL: a.BaseURL, LWAURL: lwa, ClientID: creds["clientId"], ClientSecret: creds["clientSecret"], RefreshToken: creds["refreshToken"],
		SellerID: creds["sellerId"], RateFactor: factor, IchigenShopID: a.ShopID, HTTP: a.HTTP, Recorder: a.Recorder, Buckets: a.Buckets}, nil
}

// What the Amazon client offers besides channel.Client; the build fails if one stops.
var _ channel.Refetcher = (*Client)(nil)
