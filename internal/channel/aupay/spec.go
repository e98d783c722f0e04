package aupay

import (
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Endpoint is the au PAY Market shop API's production address.
const Endpoint = "https://api.manager.wowma.jp"

// CallsPerSecond is the pace ichigen keeps to with one API key. au publishes no limit: one call a
// second is the pace its users report as safe, and a shop's "callsPerSecond" setting replaces it
// with the pace agreed with au.
const CallsPerSecond = 1.0

func init() { channel.Register(Spec) }

// Spec is the au PAY Market channel as the rest of ichigen sees it.
var Spec = channel.Spec{
	Name: Channel, Label: "au PAY マーケット", LabelEN: "au PAY Market", Short: "au PAY", Position: 20,
	Endpoint: Endpoint,
	Credentials: []channel.CredentialKey{
		{Name: "apiKey", Label: "APIキー", Required: true, Secret: true, Expiring: true, Help: "Wow!manager の「各種お申し込み」→「API利用申請」で発行します(有効期限90日)。"},
		{Name: "shopId", Label: "店舗ID(shopId)", Required: true},
		channel.EndpointKey(),
		{Name: "callsPerSecond", Label: "1秒あたりの呼び出し回数", Check: channel.CheckPace,
			Help: "au と1秒あたりの呼び出し回数の上限を別に合意している場合だけ、その上限を入力します(空欄なら1秒に1回)。ichigen は少し余裕を持たせて呼び出します。"},
	},
	JobKinds: []workflow.JobKind{workflow.JobImport, workflow.JobStatusFetch, workflow.JobShipReport, workflow.JobComplete},
	// Seed 000's flow: new trades wait for au's 発送待ち (payment in), are packed, their shipments
	// reflected, then their status set to 完了.
	Flow: channel.Flow{
		{Kind: workflow.JobImport},
		{Kind: workflow.JobStatusFetch, Target: "新規受付", Success: "出荷待ち", Error: "エラー"},
		{Kind: workflow.JobShipReport, Target: "出荷済み", Success: "出荷反映済み", Error: "エラー"},
		{Kind: workflow.JobComplete, Target: "出荷反映済み", Success: "完了", Error: "エラー"},
	},
	// An operator may set exactly 空欄(未処理), 出荷情報反映済み and 受注完了ステータス反映済み (seed 000 §6).
	LinkStatuses: []channel.LinkStatus{
		{Status: LinkStatusFetchError, Label: "注文情報ステータス取得エラー"},
		{Status: LinkShipReported, Label: "出荷情報反映済み", Manual: true},
		{Status: LinkShipReportError, Label: "出荷情報反映エラー"},
		{Status: LinkCompleted, Label: "受注完了ステータス反映済み", Manual: true},
		{Status: LinkCompleteError, Label: "受注完了ステータス反映エラー"},
	},
	// au takes one trade a call: ten trades are ten seconds at the default pace.
	BatchSize: 10,
	Quota:     channel.Quota{PerSecond: CallsPerSecond, PaceKey: "apiKey", OverrideKey: "callsPerSecond"},
	// au keeps one tracking number per trade: the parent and the children are each reported and
	// the later report overwrites (seed 000 §2).
	SplitWarning: "au PAY マーケットには配送番号を1つしか登録できません。分割した注文はそれぞれ出荷情報反映され、後から反映した配送番号で上書きされます。",
	Cancel:       CancelSpec,
	Edit:         EditSpec,
	Eligibility:  Eligibility,
	NewClient:    NewClient,
}

// NewClient builds the client of one shop.
func NewClient(a channel.Account) (channel.Client, error) {
	creds := a.Credentials
	if creds["apiKey"] == "" || creds["shopId"] == "" {
		return nil, fmt.Errorf("au PAY マーケットの店舗「%s」にAPIキーと店舗IDが設定されていません。店舗設定で入力してください。", a.ShopName)
	}
	return &Client{BaseURL: a.BaseURL, APIKey: creds["apiKey"], ShopID: creds["shopId"], IchigenShopID: a.ShopID,
		HTTP: a.HTTP, Recorder: a.Recorder, Limiter: a.Pacer}, nil
}

// What the au PAY client offers besides channel.Client; the build fails if one stops.
var (
	_ channel.Refetcher = (*Client)(nil)
	_ channel.Canceller = (*Client)(nil)
)

// EditSpec: au PAY Market has no API that changes a trade's contents: its trade operations read
// trades (searchTradeInfoListProc, searchTradeInfoProc), set their status (updateTradeStsProc),
// their shipping (updateTradeInfoProc) and cancel them (cancelTradeProc) — marketplace-apis.md
// §2 — so every change is refused with where to make it.
var EditSpec = &channel.EditSpec{
	Refusal: "au PAY マーケットには注文内容(送付先・送料・決済手数料・数量・単価)を変更するAPIがありません。au PAY マーケットの店舗管理画面(Wow! manager)の受注管理で変更し、そのあと ichigen で注文を再取得してください。",
}
