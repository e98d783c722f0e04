package ownshop

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Channel is the own cart's code.
const Channel = "ownshop"

// Endpoint is webコレクト's production host: the client posts to Endpoint + "/api/<function>". A
// shop's endpoint credential points it at a simulator, which serves the cart's feed too.
const Endpoint = "https://api.kuronekoyamato.co.jp"

// The carrier settings (クロネコ クレジットカードの設定 内「配送業者の設定」, seed 004).
const (
	CarrierYamatoOnly = "yamato" // ヤマトグループのみ: a capture needs Yamato's 12-digit slip number
	CarrierAny        = "any"    // ヤマトグループ以外の配送業者も利用する (運送オプション)
)

// The own cart's link statuses.
const (
	LinkCapturing    workflow.LinkStatus = "ownshop_capturing"     // 売上確定中
	LinkCaptured     workflow.LinkStatus = "ownshop_captured"      // 売上確定済み
	LinkCaptureError workflow.LinkStatus = "ownshop_capture_error" // 売上確定エラー
)

// CallsPerSecond is the pace ichigen keeps to with one 加盟店コード: webコレクト publishes no limit.
const CallsPerSecond = 5.0

func init() { channel.Register(Spec) }

// Spec is the own cart as the rest of ichigen sees it.
var Spec = channel.Spec{
	Name: Channel, Label: "自社カート", LabelEN: "Own cart", Short: "自社カート", Position: 50,
	Endpoint: Endpoint,
	Credentials: []channel.CredentialKey{
		{Name: "cartSecret", Label: "カート連携の署名キー", Required: true, Secret: true,
			Help: "カートが注文を送るとき(POST /api/v1/ownshop/shops/{店舗ID}/orders)と、ichigen がカートの注文一覧を読むときの署名(HMAC-SHA256)に使う共有の秘密鍵です。32文字以上のランダムな文字列をカートと同じ値で設定してください。"},
		{Name: "traderCode", Label: "クロネコwebコレクト 加盟店コード", Required: true, Check: checkTraderCode,
			Help: "ヤマトフィナンシャルとの契約で発行された加盟店コード(数字)です。ichigen のサーバーの接続元IPアドレスをwebコレクトの管理画面に登録してください。"},
		{Name: "carrierSetting", Label: "配送業者の設定", Check: checkCarrierSetting,
			Help: "yamato(ヤマトグループのみ: 売上確定には12桁の半角数字の伝票番号が必要)か any(ヤマトグループ以外の配送業者も利用する: 運送オプションの契約が必要)。空欄は yamato です。"},
		{Name: "npByCSV", Label: "NP後払いの手動連携(CSV運用)", Check: checkYesNo,
			Help: "NP後払いを「手動連携(CSV運用)」で利用している場合だけ yes。キャンセル後の決済方法の変更先に NP後払い を選べるようになります。"},
		{Name: "autoReauth", Label: "期限前の自動再与信", Check: checkYesNo,
			Help: "yes にすると、決済確認のときに、まだ出荷していない「仮売上」の注文を売上確定の期限の7日前から再与信(A11)し、期限を58日後に延ばします。"},
		{Name: "cartURL", Label: "カートの注文一覧URL",
			Help: "カートが注文一覧(GET …/orders)を提供する場合だけ入力します。空欄なら注文はカートからの送信(POST /api/v1/ownshop/shops/{店舗ID}/orders)だけで受け付けます。", Check: optionalEndpoint},
		{Name: "accessKey", Label: "クロネコwebコレクト アクセスキー", Secret: true, Check: checkAccessKey,
			Help: "契約時に発行されたアクセスキー(7桁の数字)です。会員のお預かりカードの一覧・削除(A03・A05)のチェックサムだけに使い、送信はしません。お預かりカードを使わないなら空欄のままにします。"},
		channel.EndpointKey(),
	},
	Edit:     EditSpec,
	JobKinds: []workflow.JobKind{workflow.JobImport, workflow.JobPaymentReview, workflow.JobCapture},
	// Card orders come in as 仮売上 (the cart posts them, or the import fetches them), their
	// authorisation is checked at webコレクト, they are packed and captured once shipped.
	Flow: channel.Flow{
		{Kind: workflow.JobPaymentReview, Target: "新規受付", Success: "出荷待ち", Error: "エラー"},
		{Kind: workflow.JobCapture, Target: "出荷済み", Success: "完了", Error: "エラー"},
	},
	LinkStatuses: []channel.LinkStatus{
		{Status: LinkCapturing, Label: "売上確定中", Pending: true},
		{Status: LinkCaptured, Label: "売上確定済み", Manual: true},
		{Status: LinkCaptureError, Label: "売上確定エラー"},
		{Status: LinkPaymentError, Label: "決済確認エラー"},
	},
	Eligibility: map[workflow.JobKind]workflow.Eligibility{
		// 決済確認 reads back every card order of its phase; an order paid otherwise passes.
		workflow.JobPaymentReview: {
			Checks: []workflow.Check{{Applies: func(o order.Order) bool { return !o.PaymentStatus.Card() },
				Decision: workflow.Decision{Action: workflow.Pass, Message: "クロネコwebコレクトのカード決済ではありません。"}}},
			Cancelled: workflow.Decision{Action: workflow.Skip},
		},
		workflow.JobCapture: {
			LinkStatuses: []workflow.LinkStatus{workflow.LinkNone, LinkCapturing},
			Checks: []workflow.Check{
				{Applies: payment(order.CardCaptured), Decision: workflow.Decision{Action: workflow.Pass, Message: "決済完了(売上確定済み)の注文です。"}},
				{Applies: payment(order.CardUnsettled), Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkCaptureError, Message: MsgUnsettled}},
				{Applies: payment(order.CardExpired), Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkCaptureError, Message: MsgExpired}},
				{Applies: payment(order.CardCancelled), Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkCaptureError, Message: "注文キャンセル済みの注文は売上確定できません。"}},
				{Applies: payment(order.CardFailed), Decision: workflow.Decision{Action: workflow.Refuse, Status: LinkCaptureError, Message: "決済失敗の注文です。" + webcollect.MsgCheckConsole}},
				{Applies: func(o order.Order) bool { return !o.PaymentStatus.Card() }, Decision: workflow.Decision{Action: workflow.Pass, Message: "クロネコwebコレクトのカード決済ではないため、売上確定はありません。"}},
			},
			Cancelled: workflow.Decision{Action: workflow.Refuse, Status: LinkCaptureError, Message: "カートでキャンセルされた注文です。売上確定の対象処理フェーズから外してください。"},
		},
	},
	// One call an order.
	BatchSize: 20,
	Quota:     channel.Quota{PerSecond: CallsPerSecond, PaceKey: "traderCode"},
	NewClient: NewClient,
}

func payment(p order.PaymentStatus) func(order.Order) bool {
	return func(o order.Order) bool { return o.PaymentStatus == p }
}

// The seed's instructions for the statuses a capture refuses.
const (
	MsgUnsettled = "要確認: カード決済が終了していない注文です。必ずクロネコwebコレクトの管理画面にてご確認ください。"
	MsgExpired   = "仮売上期限切れ: 受注から「仮売上」のまま58日が経過し、売上確定処理(実売上)の処理期限が切れています。クロネコwebコレクトの管理画面から決済状況を確認し、決済方法の変更またはキャンセル処理をおこなってください。"
)

func checkTraderCode(label, v string) error {
	if v == "" || len(v) > 20 || strings.Trim(v, "0123456789") != "" {
		return apperror.New(apperror.Invalid, "「%s」は半角数字で入力してください(例: 888888709)。", label)
	}
	return nil
}

func checkCarrierSetting(label, v string) error {
	if v != "" && v != CarrierYamatoOnly && v != CarrierAny {
		return apperror.New(apperror.Invalid, "「%s」は yamato(ヤマトグループのみ)か any(ヤマトグループ以外の配送業者も利用する)で入力してください。", label)
	}
	return nil
}

func checkAccessKey(label, v string) error {
	if v != "" && (len(v) > 10 || strings.Trim(v, "0123456789") != "") {
		return apperror.New(apperror.Invalid, "「%s」は契約時に発行された半角数字で入力してください(例: 1111111)。", label)
	}
	return nil
}

func checkYesNo(label, v string) error {
	if v != "" && v != "yes" && v != "no" {
		return apperror.New(apperror.Invalid, "「%s」は yes か no で入力してください。", label)
	}
	return nil
}

func optionalEndpoint(label, v string) error {
	if v == "" {
		return nil
	}
	return channel.CheckEndpoint(label, v)
}

// NewClient builds the client of one shop.
func NewClient(a channel.Account) (channel.Client, error) {
	creds := a.Credentials
	if creds["cartSecret"] == "" || creds["traderCode"] == "" {
		return nil, fmt.Errorf("自社カートの店舗「%s」にカート連携の署名キーと加盟店コードが設定されていません。店舗設定で入力してください。", a.ShopName)
	}
	base := cmp.Or(a.BaseURL, Endpoint)
	feed := creds["cartURL"]
	if feed == "" && base != Endpoint { // a simulator serves the cart's feed beside the gateway
		feed = base + "/cart/v1"
	}
	return &Client{FeedURL: feed, Secret: creds["cartSecret"], CarrierSetting: cmp.Or(creds["carrierSetting"], CarrierYamatoOnly), AutoReauth: creds["autoReauth"] == "yes",
		ShopID: a.ShopID, HTTP: a.HTTP, Recorder: a.Recorder, Pacer: a.Pacer, Settle: cmp.Or(a.Settle, time.Minute),
		Gateway: &webcollect.Client{BaseURL: base + "/api", TraderCode: creds["traderCode"], AccessKey: creds["accessKey"], Channel: Channel, ShopID: a.ShopID,
			HTTP: a.HTTP, Recorder: a.Recorder, Pacer: a.Pacer}}, nil
}
