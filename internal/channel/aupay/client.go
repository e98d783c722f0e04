package aupay

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// Client calls the au PAY Market shop API for one shop. Every call is recorded in the API call
// history with its outcome; the API key travels only in the Authorization header and never
// reaches the history.
type Client struct {
	BaseURL string // https://api.manager.wowma.jp, or a simulator's URL
	APIKey  string
	// ShopID is the au shop id (店舗ID) sent as shopId.
	ShopID string
	// IchigenShopID is ichigen's id of the shop, under which the calls are recorded.
	IchigenShopID int64
	HTTP          *http.Client
	Recorder      channel.Recorder // nil: no history
	// Limiter paces the calls made with this API key; share one per key. au publishes no
	// limit: one request a second is the safe pace.
	Limiter channel.Pacer
}

// get runs a search with the shop's id added to params.
func (c *Client) get(ctx context.Context, op string, params url.Values) (Response, error) {
	params.Set("shopId", c.ShopID)
	return c.do(ctx, op, http.MethodGet, c.url(op)+"?"+params.Encode(), nil)
}

// post sends a write.
func (c *Client) post(ctx context.Context, op string, req any) (Response, error) {
	body, err := xml.Marshal(req)
	if err != nil {
		return Response{}, fmt.Errorf("%s: encode request: %w", op, err)
	}
	return c.do(ctx, op, http.MethodPost, c.url(op), append([]byte(xml.Header), body...))
}

func (c *Client) url(op string) string { return strings.TrimRight(c.BaseURL, "/") + PathPrefix + op }

func (c *Client) do(ctx context.Context, op, method, u string, body []byte) (Response, error) {
	contentType := "application/x-www-form-urlencoded"
	if method == http.MethodPost {
		contentType = "application/xml; charset=utf-8"
	}
	var out Response
	err := c.transport().Do(ctx, channel.Request{Op: op, Method: method, URL: u, Body: body, ContentType: contentType, RecordURL: true}, &out)
	return out, err
}

// names are au's words in the transport's messages.
var names = channel.Names{API: "au PAY マーケットAPI", Service: "au PAY マーケット", Host: "au PAY マーケット", Record: "取引",
	NoAnswer: "API接続でタイムアウトエラーが発生しました。au PAY マーケットに反映されたかどうかを取引を再取得して確認します。"}

// transport makes the client's calls: a read is recorded as its method and URL (the query holds
// the shop id and the search, no secret), a write as its XML body. The API key is only in the
// Authorization header, which is not recorded.
func (c *Client) transport() *channel.Transport {
	return &channel.Transport{Channel: Channel, Names: names, Format: "xml", HTTP: c.HTTP, Pacer: c.Limiter, Recorder: c.Recorder,
		ShopID: c.IchigenShopID, IsWrite: IsWrite, AnswerCap: AnswerCap, Classify: classify,
		Auth: func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+c.APIKey) }}
}

// classify reads an answer into out, a *Response, and maps it onto the error classes.
func classify(a channel.Answer, out any) *channel.Error {
	resp := out.(*Response)
	*resp = Response{} // a call repeated after a 429 reads its answer afresh
	xmlErr := xml.Unmarshal(a.Body, resp)
	var code, auMsg string
	if resp.Result.Error != nil {
		code, auMsg = strings.TrimSpace(resp.Result.Error.Code), strings.TrimSpace(resp.Result.Error.Message)
	}
	var e *channel.Error
	switch {
	case a.Status == http.StatusOK && xmlErr != nil:
		return a.Malformed(xmlErr)
	case a.Status == http.StatusOK && resp.Result.Status == ResultStatusOK:
		return nil
	case code == CodeShopMismatch:
		e = &channel.Error{Class: channel.Auth, Message: "au PAY マーケットの店舗IDがAPIキーの店舗と一致しません。店舗設定の店舗IDを確認してください。"}
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden || code == CodeUnauthorized || authMessage(auMsg):
		e = &channel.Error{Class: channel.Auth,
			Message: "au PAY マーケットの認証エラーです(APIキーの有効期限切れ、または接続元IPアドレスの未登録の可能性があります)。" +
				"Wow! managerの「API利用申請」でAPIキーを発行し直して店舗設定に貼り付け、接続元IPアドレスが登録されているか確認してください。"}
	case a.Status == http.StatusTooManyRequests || code == CodeThrottled:
		e = a.Throttled("au PAY マーケットAPIの呼び出し回数の上限に達しました。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable || code == CodeMaintenance:
		e = &channel.Error{Class: channel.Transient, Message: "au PAY マーケットAPIはメンテナンス中です。終了後に自動で再試行します。"}
	case a.Status >= 500:
		e = a.ServerError()
	default:
		e = &channel.Error{Class: channel.Rejected, Message: refusal(code, auMsg, a.Status)}
	}
	e.Code, e.RetryAfter = code, cmp.Or(e.RetryAfter, a.RetryAfter)
	return e
}

// authMessage recognises a refused key in the API's own wording, whose codes are not public.
func authMessage(msg string) bool {
	return strings.Contains(msg, "認証") || strings.Contains(msg, "APIキー") || strings.Contains(msg, "IPアドレス")
}

// refusal is the operator's message for a refused request: au's own words, then what to do.
func refusal(code, auMsg string, status int) string {
	switch code {
	case CodeCancelled:
		return auMsg + "au PAY マーケットでキャンセルされた注文です。連携の対象処理フェーズから外してください。"
	case CodeNotFound:
		return auMsg + "注文番号がau PAY マーケットの取引と一致するか確認してください。"
	case CodeNotCancellable:
		return auMsg + "Wow! managerで取引の状態を確認してください。"
	}
	if auMsg == "" {
		return fmt.Sprintf("au PAY マーケットAPIがリクエストを受け付けませんでした(HTTP %d)。連携履歴の応答内容を確認してください。", status)
	}
	return auMsg + " 内容を確認して注文を修正し、もう一度処理してください。"
}
