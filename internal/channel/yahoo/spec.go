package yahoo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// CallsPerSecond is the pace ichigen keeps to with one application ID: Yahoo allows one request a
// second to the same URL, and ichigen keeps to one a second over all of them.
const CallsPerSecond = 1.0

func init() { channel.Register(Spec) }

// Spec is the Yahoo!ショッピング channel as the rest of ichigen sees it.
var Spec = channel.Spec{
	Name: Channel, Label: "Yahoo!ショッピング", LabelEN: "Yahoo! Shopping", Short: "Yahoo!", Position: 30,
	Endpoint: Endpoint,
	Credentials: []channel.CredentialKey{
		{Name: "clientId", Label: "アプリケーションID(Client ID)", Required: true, Help: "Yahoo!デベロッパーネットワークで登録したアプリケーションのClient IDです。注文APIの利用申請が必要です。"},
		{Name: "clientSecret", Label: "シークレット", Required: true, Secret: true},
		{Name: "sellerId", Label: "ストアアカウント(SellerId)", Required: true},
		{Name: "refreshToken", Label: "リフレッシュトークン", Secret: true, Expiring: true,
			Help: "ストアのYahoo! JAPAN IDでアプリケーションを認可すると発行されます(有効期間4週間、公開鍵認証がない場合は12時間)。"},
		{Name: "publicKey", Label: "公開鍵(暗号鍵管理)", Check: checkPublicKey,
			Help: "ストアクリエイターProの「設定」→「暗号鍵管理」で発行した公開鍵(PEM)を貼り付けます。公開鍵認証があると認可は4週間有効です(ないと12時間で切れます)。"},
		{Name: "keyVersion", Label: "公開鍵のバージョン", Help: "暗号鍵管理に表示される公開鍵のバージョン(1〜)です。"},
		channel.EndpointKey(),
		{Name: "callsPerSecond", Label: "1秒あたりの呼び出し回数", Check: channel.CheckPace,
			Help: "Yahoo!と別の上限を合意している場合だけ入力します(空欄なら1秒に1回)。"},
	},
	JobKinds: []workflow.JobKind{workflow.JobImport, workflow.JobConfirm, workflow.JobPaymentReview, workflow.JobShipReport, workflow.JobComplete},
	// New orders are taken (処理中), wait for their payment, are packed, their shipment reported,
	// then completed once Yahoo allows it.
	Flow: channel.Flow{
		{Kind: workflow.JobImport},
		{Kind: workflow.JobConfirm, Target: "新規受付", Success: "入金待ち", Error: "エラー"},
		{Kind: workflow.JobPaymentReview, Target: "入金待ち", Success: "出荷待ち", Error: "エラー"},
		{Kind: workflow.JobShipReport, Target: "出荷済み", Success: "出荷反映済み", Error: "エラー"},
		{Kind: workflow.JobComplete, Target: "出荷反映済み", Success: "完了", Error: "エラー"},
	},
	// Yahoo's words for the jobs, in the error e-mails' subjects: the seed (CROSS MALL's help,
	// 000) names the automatic ship and completion reports to Yahoo!ショッピング
	// 「注文処理実績を自動で連携」(自動注文処理実績連携); the rest follow the link statuses.
	JobLabels: map[workflow.JobKind]string{
		workflow.JobConfirm:       "処理中反映",
		workflow.JobPaymentReview: "入金確認",
		workflow.JobShipReport:    "注文処理実績連携(出荷情報反映)",
		workflow.JobComplete:      "注文処理実績連携(受注完了ステータス反映)",
	},
	LinkStatuses: []channel.LinkStatus{
		{Status: LinkTaken, Label: "処理中反映済み", Manual: true, Splittable: true},
		{Status: LinkTakeError, Label: "処理中反映エラー"},
		{Status: LinkPaid, Label: "入金確認済み"},
		{Status: LinkPaymentError, Label: "入金確認エラー"},
		{Status: LinkShipReported, Label: "出荷情報反映済み", Manual: true},
		{Status: LinkShipReportError, Label: "出荷情報反映エラー"},
		{Status: LinkCompleted, Label: "受注完了ステータス反映済み", Manual: true},
		{Status: LinkCompleteError, Label: "受注完了ステータス反映エラー"},
	},
	// One order a call: ten orders are ten seconds at the default pace.
	BatchSize:     10,
	Quota:         channel.Quota{PerSecond: CallsPerSecond, PaceKey: "clientId", OverrideKey: "callsPerSecond", PerDay: DailyCap},
	SplitWarning:  "Yahoo!ショッピングの注文には配送番号を1つだけ反映します。分割した注文はそれぞれ出荷情報反映され、後から反映した配送番号で上書きされます。",
	Eligibility:   Eligibility,
	NewClient:     NewClient,
	Authorization: &authorization,
}

// authorization sends the store's operator to Yahoo! ID連携's consent screen and trades the code
// for a refresh token, which lasts four weeks with the public key (twelve hours without).
var authorization = channel.Authorization{
	Label: "Yahoo! JAPAN IDで認可",
	Needs: []string{"clientId", "clientSecret", "sellerId"},
	URL: func(creds map[string]string, redirectURI, state string) string {
		q := url.Values{"response_type": {"code"}, "client_id": {creds["clientId"]}, "redirect_uri": {redirectURI}, "state": {state},
			"scope": {"openid"}, "bail": {"1"}}
		return authBase(creds) + AuthorizePath + "?" + q.Encode()
	},
	Exchange: func(ctx context.Context, hc *http.Client, creds map[string]string, code, redirectURI string) (map[string]string, time.Time, error) {
		a, err := Exchange(ctx, hc, authBase(creds)+TokenPath, creds["clientId"], creds["clientSecret"], code, redirectURI)
		if err != nil {
			return nil, time.Time{}, err
		}
		if a.RefreshToken == "" {
			return nil, time.Time{}, errors.New("Yahoo! ID連携がリフレッシュトークンを返しませんでした。もう一度認可してください。")
		}
		life := SessionWithoutKey
		if creds["publicKey"] != "" {
			life = RefreshTokenLifetime
		}
		return map[string]string{"refreshToken": a.RefreshToken}, time.Now().Add(life), nil
	},
}

// authBase is where the OAuth endpoints are: Yahoo! ID連携, or the simulator the shop points at.
func authBase(creds map[string]string) string {
	if e := strings.TrimRight(creds["endpoint"], "/"); e != "" {
		return e
	}
	return AuthEndpoint
}

// NewClient builds the client of one shop.
func NewClient(a channel.Account) (channel.Client, error) {
	creds := a.Credentials
	if creds["clientId"] == "" || creds["clientSecret"] == "" || creds["sellerId"] == "" {
		return nil, fmt.Errorf("Yahoo!ショッピングの店舗「%s」にアプリケーションID・シークレット・ストアアカウントが設定されていません。店舗設定で入力してください。", a.ShopName)
	}
	if creds["refreshToken"] == "" {
		return nil, &channel.Error{Channel: Channel, Operation: OpToken, Class: channel.Auth,
			Message: fmt.Sprintf("Yahoo!ショッピングの店舗「%s」はまだ認可されていません。店舗設定でYahoo! JAPAN IDによる認可を行ってください。", a.ShopName)}
	}
	base := strings.TrimRight(cmp.Or(a.BaseURL, Endpoint), "/")
	auth := AuthEndpoint
	if creds["endpoint"] != "" { // a simulator serves both
		auth = base
	}
	var signer *Signer
	if creds["publicKey"] != "" {
		var err error
		if signer, err = NewSigner(creds["publicKey"], cmp.Or(creds["keyVersion"], "1"), creds["sellerId"]); err != nil {
			return nil, fmt.Errorf("Yahoo!ショッピングの店舗「%s」: %w", a.ShopName, err)
		}
	}
	return &Client{Signer: signer, BaseURL: base, TokenURL: auth + TokenPath, ClientID: creds["clientId"], ClientSecret: creds["clientSecret"],
		SellerID: creds["sellerId"], RefreshToken: creds["refreshToken"], IchigenShopID: a.ShopID,
		HTTP: a.HTTP, Recorder: a.Recorder, Limiter: a.Pacer, Stored: a.Stored, Tokens: a.Tokens}, nil
}

// checkPublicKey refuses a public key that cannot sign.
func checkPublicKey(label, v string) error {
	if _, err := NewSigner(v, "1", "x"); err != nil {
		return apperror.New(apperror.Invalid, "「%s」: %s", label, err.Error())
	}
	return nil
}

// What the Yahoo client offers besides channel.Client; the build fails if one stops.
var _ channel.Refetcher = (*Client)(nil)
