package webcollect

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// Client calls webコレクト for one merchant (加盟店). Every call goes through the channel
// transport, so it is paced, recorded in the API call history and classified like any
// marketplace call. The trader code is no secret (the browser's token script carries it too);
// webコレクト admits a merchant's server by its registered IP address (H01 traderIp), so nothing
// secret travels in these calls.
type Client struct {
	BaseURL    string // Endpoint, or a simulator's URL + "/api"
	TraderCode string // 加盟店コード
	// AccessKey is the merchant's contract key (アクセスキー), which only the stored-card
	// functions' check_sum uses (CheckSum); it is never sent itself.
	AccessKey string
	// Channel names the channel the calls are made for (ownshop), in errors.
	Channel string
	// ShopID is ichigen's shop, under which the calls are recorded.
	ShopID   int64
	HTTP     *http.Client
	Recorder channel.Recorder
	Pacer    channel.Pacer
}

// MsgNoAnswer is the message of a write sent with no answer back.
const MsgNoAnswer = "クロネコwebコレクトから応答がありませんでした。反映されたかどうかを取引情報照会(E04)で確認します。"

var names = channel.Names{API: "クロネコwebコレクトAPI", Service: "クロネコwebコレクト", Host: "クロネコwebコレクト", Record: "取引", NoAnswer: MsgNoAnswer}

// MaxAnswer bounds one answer: a trade's information or three stored cards are far smaller.
const MaxAnswer = 256 << 10

func (c *Client) transport() *channel.Transport {
	return &channel.Transport{Channel: c.Channel, Names: names, Format: "xml", HTTP: c.HTTP, Pacer: c.Pacer, Recorder: c.Recorder,
		ShopID: c.ShopID, IsWrite: IsWrite, AnswerCap: func(string) int64 { return MaxAnswer }, Classify: classify,
		Auth: func(*http.Request) {}}
}

// call posts one function with its fields and reads its answer. beforeSend, when set, runs just
// before the request leaves (the journal's mark).
func (c *Client) call(ctx context.Context, fn Function, form url.Values, beforeSend func() error) (Reply, error) {
	form.Set("function_div", fn.Code)
	form.Set("trader_code", c.TraderCode)
	var out Reply
	err := c.transport().Do(ctx, channel.Request{Op: fn.Name, Method: http.MethodPost, URL: strings.TrimRight(c.BaseURL, "/") + "/" + fn.Name,
		Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded; charset=UTF-8", BeforeSend: beforeSend}, &out)
	return out, err
}

// ShipmentEntry registers the shipment of a trade (E01), which fixes the sale: slipNo is the
// 12-digit Yamato 送り状番号 under DeliveryYamato, the shop's own value under DeliveryOther.
func (c *Client) ShipmentEntry(ctx context.Context, orderNo, slipNo, deliveryServiceCode string, beforeSend func() error) (Reply, error) {
	return c.call(ctx, FuncShipmentEntry, url.Values{"order_no": {orderNo}, "slip_no": {slipNo}, "delivery_service_code": {deliveryServiceCode}}, beforeSend)
}

// ShipmentCancel takes a registered slip off a trade (E02).
func (c *Client) ShipmentCancel(ctx context.Context, orderNo, slipNo string) (Reply, error) {
	return c.call(ctx, FuncShipmentCancel, url.Values{"order_no": {orderNo}, "slip_no": {slipNo}}, nil)
}

// Cancel cancels a trade's authorisation (A06).
func (c *Client) Cancel(ctx context.Context, orderNo string, beforeSend func() error) (Reply, error) {
	return c.call(ctx, FuncCreditCancel, url.Values{"order_no": {orderNo}}, beforeSend)
}

// ChangePrice changes the authorised amount (A07).
func (c *Client) ChangePrice(ctx context.Context, orderNo string, newPrice int64, beforeSend func() error) (Reply, error) {
	return c.call(ctx, FuncCreditChangePrice, url.Values{"order_no": {orderNo}, "new_price": {strconv.FormatInt(newPrice, 10)}}, beforeSend)
}

// ReAuth authorises the trade again (A11), which restarts its authorisation's life.
func (c *Client) ReAuth(ctx context.Context, orderNo string) (Reply, error) {
	return c.call(ctx, FuncReAuth, url.Values{"order_no": {orderNo}}, nil)
}

// TradeInfo reads a trade back (E04); found is false when webコレクト has no trade of that number.
func (c *Client) TradeInfo(ctx context.Context, orderNo string) (info TradeInfo, found bool, err error) {
	r, err := c.call(ctx, FuncTradeInfo, url.Values{"order_no": {orderNo}}, nil)
	if err != nil {
		return TradeInfo{}, false, err
	}
	asOf, _ := ParseDateTime(r.ReturnDate)
	for _, t := range r.ResultData {
		if t.OrderNo == orderNo {
			t.AsOf = asOf
			return t, true, nil
		}
	}
	return TradeInfo{}, false, nil
}

// TokenAuthorization is what a cart sends to authorise a card by its token (A08).
type TokenAuthorization struct {
	OrderNo, Token, BuyerName, BuyerTel, BuyerEmail string
	Price                                           int64
	DeviceDiv                                       string // 1 smartphone, 2 PC, 3 feature phone
}

// AuthorizeToken authorises a card payment by the browser's token (A08): what the demo cart does
// when a buyer orders. The card number never reaches the cart, nor ichigen.
func (c *Client) AuthorizeToken(ctx context.Context, a TokenAuthorization) (Reply, error) {
	tel := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, a.BuyerTel)
	return c.call(ctx, FuncCreditToken, url.Values{"order_no": {a.OrderNo}, "token": {a.Token}, "settle_price": {strconv.FormatInt(a.Price, 10)},
		"buyer_name_kanji": {a.BuyerName}, "buyer_tel": {tel}, "buyer_email": {a.BuyerEmail}, "pay_way": {"1"}, "card_code_api": {"9"},
		"device_div": {cmpOr(a.DeviceDiv, "2")}}, nil)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// classify reads an answer into out, a *Reply, and maps webコレクト's codes onto the classes.
func classify(a channel.Answer, out any) *channel.Error {
	r := out.(*Reply)
	*r = Reply{}
	xmlErr := xml.Unmarshal(a.Body, r)
	switch {
	case a.Status == http.StatusOK && xmlErr != nil:
		return a.Malformed(xmlErr)
	case a.Status == http.StatusOK && r.OK():
		return nil
	case a.Status == http.StatusOK && r.ReturnCode != "1":
		return a.Malformed(fmt.Errorf("returnCode %q", r.ReturnCode))
	}
	code := r.ErrorCode
	var e *channel.Error
	switch {
	case a.Status == http.StatusTooManyRequests || code == CodePoolOver || code == CodeInProgress:
		e = a.Throttled("クロネコwebコレクトが混み合っています(" + code + ")。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable || code == CodeMaintenance:
		e = &channel.Error{Class: channel.Transient, RetryAfter: a.RetryAfter, Message: "クロネコwebコレクトはメンテナンス中です。終了後に自動で再試行します。"}
	case code == CodeTradeSuspended || code == CodeAPIUnavailable || code == CodeAPIUnavailable2:
		e = &channel.Error{Class: channel.Auth, Message: "クロネコwebコレクトのAPIを利用できません(" + code + " " + Text(code) + ")。" +
			"店舗設定の加盟店コードと、クロネコwebコレクトの管理画面に登録した接続元IPアドレスを確認してください。"}
	case code == CodeGatewayTimeout || code == CodeSystemError || a.Status >= 500:
		if a.Write {
			e = &channel.Error{Class: channel.UnknownOutcome, Message: "クロネコwebコレクトがエラーを返しました(" + code + ")。反映されたかどうかを取引情報照会(E04)で確認します。"}
		} else {
			e = &channel.Error{Class: channel.Transient, Message: "クロネコwebコレクトで一時的なエラーが発生しました(" + code + ")。自動で再試行します。"}
		}
	case xmlErr != nil:
		e = &channel.Error{Class: channel.Rejected, Message: fmt.Sprintf("クロネコwebコレクトAPIがリクエストを受け付けませんでした(HTTP %d)。連携履歴の応答内容を確認してください。", a.Status)}
	default:
		e = &channel.Error{Class: channel.Rejected, Message: Refusal(code, r.CreditErrorCode)}
	}
	e.Code = code
	return e
}

// Refusal is the operator's message for a refused function: webコレクト's code and words, then
// what to do.
func Refusal(code, creditErrorCode string) string {
	said := code
	if t := Text(code); t != "" {
		said += " " + t
	}
	if creditErrorCode != "" {
		said += "、カード会社コード " + creditErrorCode
	}
	msg := "クロネコwebコレクトがエラーを返しました(" + said + ")。"
	switch code {
	case CodeShipSlipMissing, CodeShipSlipLength, CodeShipSlipChars, CodeShipBadSlip:
		return msg + MsgSlipRule
	case CodeShipNoOption:
		return msg + "ヤマト運輸以外の配送業者で売上確定するには、クロネコwebコレクトの「運送オプション」の契約が必要です。契約がない場合は店舗設定の「配送業者の設定」を「ヤマトグループのみ」にし、ヤマト運輸の伝票番号で売上確定してください。"
	case CodeCancelBadStatus, CodeCancelAfterBilled:
		return msg + "売上確定後の取消は、クロネコwebコレクトの管理画面から処理をおこなってください。"
	case CodeChangeSame:
		return msg + "金額は変わっていません。"
	}
	return msg + MsgCheckConsole
}

// The seed's instructions (004), used where the client or the cart refuses before a call.
const (
	// MsgSlipRule: under 「ヤマトグループのみ」 the slip must be Yamato's 12 half-width digits.
	MsgSlipRule = "「配送業者の設定」が「ヤマトグループのみ」の場合、売上確定処理(実売上)には正しい「伝票番号」の登録が必要です。「伝票番号」は12桁の半角数字のみで登録してください(記号などが含まれているとエラーになります)。注文詳細で伝票番号を直して、もう一度売上確定してください。"
	// MsgCheckConsole is 決済失敗's instruction.
	MsgCheckConsole = "必ずクロネコwebコレクトの管理画面より、決済状況をご確認ください。"
)
