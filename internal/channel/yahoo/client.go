package yahoo

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Client calls the Yahoo!ショッピング order API for one shop. Every call is recorded in the API
// call history with its outcome; the secret, the refresh token and the access token travel only
// in headers and the token endpoint's body, which is never recorded.
type Client struct {
	BaseURL  string // https://circus.shopping.yahooapis.jp, or a simulator's URL
	TokenURL string // the OAuth token endpoint
	ClientID string
	// ClientSecret and RefreshToken obtain access tokens.
	ClientSecret, RefreshToken string
	// SellerID is the store account sent as SellerId.
	SellerID string
	// IchigenShopID is ichigen's id of the shop, under which the calls are recorded.
	IchigenShopID int64
	HTTP          *http.Client
	Recorder      channel.Recorder // nil: no history
	// Limiter paces the calls made with this application ID; share one per application.
	Limiter channel.Pacer
	// Stored, when set, says which orders ichigen holds and as of when (channel.Account.Stored):
	// the import reads only orders new or changed since.
	Stored func(ctx context.Context, numbers []string) (map[string]time.Time, error)
	// Signer, when set, adds the public-key headers to every order-API call, so that the
	// authorisation lasts four weeks, not twelve hours.
	Signer *Signer
	// Tokens, when set, keeps the access token where every instance finds it.
	Tokens channel.TokenKeeper
}

// names are Yahoo's words in the transport's messages.
var names = channel.Names{API: "Yahoo!ショッピングAPI", Service: "Yahoo!ショッピング", Host: "Yahoo!ショッピング", Record: "注文",
	NoAnswer: "API接続でタイムアウトエラーが発生しました。Yahoo!ショッピングに反映されたかどうかを注文を再取得して確認します。"}

// post sends a <Req> to op and reads the answer into out (*ListResult or *ResultSet).
func (c *Client) post(ctx context.Context, op string, req, out any) error {
	body, err := xml.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", op, err)
	}
	return c.call(ctx, channel.Request{Op: op, Method: http.MethodPost, URL: c.BaseURL + PathPrefix + op,
		Body: append([]byte(xml.Header), body...), ContentType: "application/xml; charset=UTF-8"}, out)
}

// get sends a GET to op with params (sellerId added).
func (c *Client) get(ctx context.Context, op string, params url.Values, out any) error {
	params.Set("sellerId", c.SellerID)
	return c.call(ctx, channel.Request{Op: op, Method: http.MethodGet, URL: c.BaseURL + PathPrefix + op + "?" + params.Encode(), RecordURL: true}, out)
}

// call sends a request with the shop's access token. An access token Yahoo calls expired or
// invalid is replaced once and the call sent again: a 401 applied nothing.
func (c *Client) call(ctx context.Context, r channel.Request, out any) error {
	for attempt := 0; ; attempt++ {
		token, err := c.accessToken(ctx, attempt > 0)
		if err != nil {
			return err
		}
		err = c.transport(token).Do(ctx, r, out)
		var e *channel.Error
		if attempt == 0 && errors.As(err, &e) && e.Code == codeInvalidToken {
			continue
		}
		return err
	}
}

// transport makes the order API's calls with an access token: a read's URL holds the seller and
// the order, no secret; a write is recorded as its XML body.
func (c *Client) transport(token string) *channel.Transport {
	return &channel.Transport{Channel: Channel, Names: names, Format: "xml", HTTP: c.HTTP, Pacer: c.Limiter, Recorder: c.Recorder,
		ShopID: c.IchigenShopID, IsWrite: IsWrite, AnswerCap: AnswerCap, Classify: classify,
		Auth: func(req *http.Request) {
			req.Header.Set("Authorization", "Bearer "+token)
			if c.Signer != nil {
				if sig, version, err := c.Signer.Headers(time.Now()); err == nil {
					req.Header.Set(HeaderSignature, sig)
					req.Header.Set(HeaderSignatureVersion, version)
				}
			}
		}}
}

// codeInvalidToken is the code given to a 401 whose WWW-Authenticate says invalid_token (an
// access token expired or unknown): the client replaces the token and sends again.
const codeInvalidToken = "invalid_token"

// msgReauthorize tells the operator to authorise again.
const msgReauthorize = "店舗設定の「Yahoo! JAPAN IDで認可」からもう一度認可してください。認可し直すと止まっていた連携が再開し、止まっていた間の注文も取り込みます。"

// classify reads an answer into out and maps it onto the error classes.
func classify(a channel.Answer, out any) *channel.Error {
	var refusal ErrorAnswer
	isError := xml.Unmarshal(a.Body, &refusal) == nil
	if a.Status == http.StatusOK && !isError {
		if err := decodeInto(a.Body, out); err != nil {
			return a.Malformed(err)
		}
		return nil
	}
	code, msg := strings.TrimSpace(refusal.Code), strings.TrimSpace(refusal.Message)
	var e *channel.Error
	switch {
	case a.Status == http.StatusUnauthorized && code == CodeTokenExpired:
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo!ショッピングの認可の有効期間が切れました(px-04102)。" + msgReauthorize}
	case a.Status == http.StatusUnauthorized && strings.Contains(a.Header.Get("WWW-Authenticate"), "invalid_token"):
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo!ショッピングのアクセストークンが無効です。" + msgReauthorize}
		code = codeInvalidToken
	case a.Status == http.StatusUnauthorized:
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo!ショッピングの認証エラーです。" + msgReauthorize}
	case code == CodeNotRegistered:
		e = &channel.Error{Class: channel.Auth, Message: "アプリケーションIDが注文APIの利用に登録されていません(px-04303)。Yahoo!ストアクリエイターProで注文APIの利用申請を行ってください。"}
	case code == CodeIPNotRegistered:
		e = &channel.Error{Class: channel.Auth, Message: "接続元IPアドレスが注文APIに登録されていません(px-04306)。ストアクリエイターProでこのサーバーのIPアドレスを登録してください。"}
	case code == CodeSellerNotAllowed:
		e = &channel.Error{Class: channel.Auth, Message: "ストアアカウント(SellerId)がアプリケーションの認可したストアと一致しません。店舗設定のストアアカウントを確認してください。"}
	case a.Status == http.StatusForbidden && strings.Contains(msg, MsgForbidden):
		// The daily cap (also the answer to an application ID Yahoo does not know, which the
		// token endpoint would have refused first): wait for 00:00 Japan time.
		e = &channel.Error{Class: channel.Transient, RetryAfter: untilMidnightJST(time.Now()),
			Message: fmt.Sprintf("Yahoo!ショッピングAPIの1日の呼び出し上限(%d回)に達しました。日本時間の0時を過ぎたら自動で再開します。", DailyCap)}
	case a.Status == http.StatusForbidden:
		e = &channel.Error{Class: channel.Auth, Message: "Yahoo!ショッピングAPIが利用を拒否しました(" + cmp.Or(msg, "HTTP 403") + ")。アプリケーションの利用申請と認可を確認してください。"}
	case a.Status == http.StatusTooManyRequests:
		e = a.Throttled("Yahoo!ショッピングAPIの呼び出し間隔の上限(同じURLに1秒1回)を超えました。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable:
		e = &channel.Error{Class: channel.Transient, Message: "Yahoo!ショッピングAPIはメンテナンス中です。終了後に自動で再試行します。"}
	case a.Status >= 500:
		e = a.ServerError()
	case !isError && a.Status != http.StatusOK:
		e = &channel.Error{Class: channel.Rejected, Message: fmt.Sprintf("Yahoo!ショッピングAPIがリクエストを受け付けませんでした(HTTP %d)。連携履歴の応答内容を確認してください。", a.Status)}
	default:
		e = &channel.Error{Class: channel.Rejected, Message: refusalMessage(code, msg)}
	}
	e.Code, e.RetryAfter = code, cmp.Or(e.RetryAfter, a.RetryAfter)
	return e
}

// decodeInto reads an answer into out; a nil out takes any answer.
func decodeInto(body []byte, out any) error {
	if out == nil {
		return nil
	}
	return xml.NewDecoder(bytes.NewReader(body)).Decode(out)
}

// refusalMessage is the operator's message for a refused order request: Yahoo's words, then what
// to do.
func refusalMessage(code, msg string) string {
	switch {
	case code == CodeNotFound:
		return msg + " 注文番号がYahoo!ショッピングの注文と一致するか確認してください。"
	case strings.Contains(msg, "CancelOrder"):
		return msg + " " + msgCancelledTodo
	case code == CodeCompleteTooSoon:
		return msg + " 出荷ステータスの変更直後のため、しばらく待って自動で再試行します。"
	case code == CodeIllegalStatus:
		return msg + " ストアクリエイターProで注文ステータスを確認してください。"
	}
	return cmp.Or(msg, "Yahoo!ショッピングAPIがリクエストを受け付けませんでした。") + " 内容を確認して注文を修正し、もう一度処理してください。"
}

// untilMidnightJST is how long until the next 00:00 in Japan, when the daily cap resets.
func untilMidnightJST(now time.Time) time.Duration {
	t := now.In(order.JST)
	next := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, order.JST)
	return next.Sub(now) + time.Minute
}
