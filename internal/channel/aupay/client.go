package aupay

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// Pacer spaces the calls made with one API key: a *rate.Limiter, or anything with its Wait.
type Pacer interface {
	Wait(ctx context.Context) error
}

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
	Limiter Pacer
}

// DefaultTimeout bounds one call.
const DefaultTimeout = 30 * time.Second

// throttleRetries is how many times a call refused over quota (429) is repeated after waiting,
// before the caller sees the error.
const throttleRetries = 3

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
	for attempt := 0; ; attempt++ {
		resp, err := c.doOnce(ctx, op, method, u, body)
		var e *channel.Error
		if attempt >= throttleRetries || !errors.As(err, &e) || e.HTTPStatus != http.StatusTooManyRequests {
			return resp, err
		}
		select {
		case <-time.After(e.RetryAfter):
		case <-ctx.Done():
			return resp, err
		}
	}
}

func (c *Client) doOnce(ctx context.Context, op, method, u string, body []byte) (Response, error) {
	httpClient := c.HTTP
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout}
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, reader)
	if err != nil {
		return Response{}, fmt.Errorf("%s: %w", op, err)
	}
	if c.Limiter != nil {
		if err := c.Limiter.Wait(ctx); err != nil {
			return Response{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	req.Header.Set("Authorization", "Bearer "+c.APIKey)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	channel.Sent(ctx, c.Limiter)
	start := time.Now()
	resp, err := httpClient.Do(req)
	var raw []byte
	status := 0
	var header http.Header
	if err == nil {
		status, header = resp.StatusCode, resp.Header
		raw, err = channel.ReadAnswer(resp, AnswerCap(op))
		resp.Body.Close()
	}
	var out Response
	callErr := c.classify(op, status, header, raw, err, &out)
	request := string(body)
	if method == http.MethodGet {
		request = method + " " + req.URL.RequestURI()
	}
	c.record(ctx, op, request, status, raw, time.Since(start), callErr)
	return out, callErr
}

// classify reads an answer into out and maps it onto the error classes; nil means status 0.
func (c *Client) classify(op string, status int, header http.Header, raw []byte, err error, out *Response) error {
	e := &channel.Error{Channel: Channel, Operation: op, HTTPStatus: status}
	if errors.Is(err, channel.ErrAnswerTooLarge) {
		// Nothing au sends for this call is that large: refuse it whole rather than hold it.
		e.Class, e.Err = channel.Transient, err
		e.Message = fmt.Sprintf("au PAY マーケットの応答が大きすぎます(この操作の上限 %d MiB)。応答は読み込まずに破棄しました。続く場合はサポートに連携履歴を添えて連絡してください。", AnswerCap(op)>>20)
		if IsWrite(op) { // au answered: the write may have been applied
			e.Class = channel.UnknownOutcome
			e.Message = fmt.Sprintf("au PAY マーケットの応答が大きすぎます(この操作の上限 %d MiB)。反映されたかどうかを取引を再取得して確認します。", AnswerCap(op)>>20)
		}
		return e
	}
	if err != nil {
		e.Class, e.Err = channel.Transient, err
		e.Message = "au PAY マーケットに接続できませんでした。しばらく待って自動で再試行します。"
		if IsWrite(op) && !notSent(err) {
			e.Class = channel.UnknownOutcome
			e.Message = "API接続でタイムアウトエラーが発生しました。au PAY マーケットに反映されたかどうかを取引を再取得して確認します。"
		}
		return e
	}
	if mt := channel.MediaType(header); status == http.StatusOK && mt != "" && !strings.HasSuffix(mt, "xml") {
		// Not the API's XML: a page from something in front of it, usually a maintenance page.
		said := ""
		if title := channel.PageTitle(raw); title != "" {
			said = "「" + title + "」"
		}
		e.Class, e.Err = channel.Transient, fmt.Errorf("answer of type %s", mt)
		e.Message = fmt.Sprintf("au PAY マーケットAPIがXMLではない応答(%s)%sを返しました。メンテナンス中の可能性があります。自動で再試行します。", mt, said)
		if IsWrite(op) {
			e.Class = channel.UnknownOutcome
			e.Message = fmt.Sprintf("au PAY マーケットAPIがXMLではない応答(%s)%sを返しました。反映されたかどうかを取引を再取得して確認します。", mt, said)
		}
		return e
	}
	xmlErr := xml.Unmarshal(raw, out)
	var auMsg string
	if out.Result.Error != nil {
		e.Code, auMsg = strings.TrimSpace(out.Result.Error.Code), strings.TrimSpace(out.Result.Error.Message)
	}
	e.RetryAfter = retryAfter(header.Get("Retry-After"))
	switch {
	case status == http.StatusOK && xmlErr != nil:
		e.Class, e.Err = channel.Transient, xmlErr
		e.Message = "au PAY マーケットの応答を解釈できませんでした。応答は連携履歴に残してあります。続く場合はサポートに連携履歴を添えて連絡してください。"
		if IsWrite(op) { // au answered 200: the write may well have been applied
			e.Class = channel.UnknownOutcome
		}
	case status == http.StatusOK && out.Result.Status == ResultStatusOK:
		return nil
	case e.Code == CodeShopMismatch:
		e.Class = channel.Auth
		e.Message = "au PAY マーケットの店舗IDがAPIキーの店舗と一致しません。店舗設定の店舗IDを確認してください。"
	case status == http.StatusUnauthorized || status == http.StatusForbidden || e.Code == CodeUnauthorized || authMessage(auMsg):
		e.Class = channel.Auth
		e.Message = "au PAY マーケットの認証エラーです(APIキーの有効期限切れ、または接続元IPアドレスの未登録の可能性があります)。" +
			"Wow! managerの「API利用申請」でAPIキーを発行し直して店舗設定に貼り付け、接続元IPアドレスが登録されているか確認してください。"
	case status == http.StatusTooManyRequests || e.Code == CodeThrottled:
		e.Class = channel.Transient
		e.Message = "au PAY マーケットAPIの呼び出し回数の上限に達しました。間隔をあけて自動で再試行します。"
		if e.RetryAfter == 0 {
			e.RetryAfter = time.Second
		}
	case status == http.StatusServiceUnavailable || e.Code == CodeMaintenance:
		e.Class = channel.Transient
		e.Message = "au PAY マーケットAPIはメンテナンス中です。終了後に自動で再試行します。"
	case status >= 500:
		e.Class = channel.Transient
		e.Message = "au PAY マーケットAPIで一時的なエラーが発生しました。自動で再試行します。"
		if IsWrite(op) { // a gateway error may come after the write was applied
			e.Class = channel.UnknownOutcome
			e.Message = fmt.Sprintf("au PAY マーケットAPIがエラーを返しました(HTTP %d)。反映されたかどうかを取引を再取得して確認します。", status)
		}
	default:
		e.Class = channel.Rejected
		e.Message = refusal(e.Code, auMsg, status)
	}
	return e
}

// notSent reports whether a failed call never reached the API (the connection was not made),
// so that a write is known not to have taken effect.
func notSent(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return (errors.As(err, &opErr) && opErr.Op == "dial") || errors.As(err, &dnsErr)
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

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// record writes the call into the history: a read as its method and URL (the query holds the
// shop id and the search, no secret), a write as its XML body. The API key is only in the
// Authorization header, which is not recorded.
func (c *Client) record(ctx context.Context, op, request string, status int, raw []byte, d time.Duration, err error) {
	if c.Recorder == nil {
		return
	}
	jobKind, orderID := channel.CallFrom(ctx)
	call := channel.Call{ShopID: c.IchigenShopID, OrderID: orderID, JobKind: jobKind, Operation: op, Outcome: channel.OutcomeOK,
		HTTPStatus: status, Duration: d, Request: channel.Truncate(request), Response: channel.TruncateBytes(raw)}
	var e *channel.Error
	if errors.As(err, &e) {
		call.Outcome, call.ErrorCode, call.ErrorMessage = e.Class.Outcome(), e.Code, e.Message
	}
	// The history is written even when the job's context has ended: a call made must be shown.
	_, _ = c.Recorder.RecordCall(context.WithoutCancel(ctx), call)
}
