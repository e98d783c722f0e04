package rakuten

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Client calls the RMS order API for one shop. Every call is recorded in the API call history
// with its outcome; secrets never reach the history.
type Client struct {
	BaseURL       string // https://api.rms.rakuten.co.jp, or a simulator's URL
	ServiceSecret string
	LicenseKey    string
	ShopID        int64
	HTTP          *http.Client
	Recorder      channel.Recorder // nil: no history
	// Limiter paces the calls made with this license key; share one per key.
	Limiter channel.Pacer
	// AsyncSettle is how long a shipping update whose answer was lost is left to RMS before the
	// orders are read back (DefaultAsyncSettle when zero).
	AsyncSettle time.Duration

	unimportedToConfirm []order.Order
}

// DefaultTimeout bounds one call.
const DefaultTimeout = 30 * time.Second

// writes are the operations that change the order; a timeout on one is an unknown outcome.
var writes = map[string]bool{"confirmOrder": true, "updateOrderShipping": true, "updateOrderShippingAsync": true, "cancelOrder": true, "updateOrderSender": true}

// SearchOrder runs one searchOrder page.
func (c *Client) SearchOrder(ctx context.Context, req SearchOrderRequest) (SearchOrderResponse, error) {
	var resp SearchOrderResponse
	err := c.post(ctx, "searchOrder", req, &resp)
	return resp, err
}

// GetOrders fetches up to 100 orders. Numbers RMS does not know are left out.
func (c *Client) GetOrders(ctx context.Context, numbers []string) ([]OrderModel, error) {
	if len(numbers) > MaxOrdersPerCall {
		return nil, fmt.Errorf("getOrder takes at most %d orders, got %d", MaxOrdersPerCall, len(numbers))
	}
	var resp GetOrderResponse
	if err := c.post(ctx, "getOrder", GetOrderRequest{OrderNumberList: numbers, Version: 7}, &resp); err != nil {
		return nil, err
	}
	return resp.OrderModelList, nil
}

// GetOrdersAll fetches any number of orders, 100 per call. On an error it returns what the
// calls before it brought.
func (c *Client) GetOrdersAll(ctx context.Context, numbers []string) ([]OrderModel, error) {
	var out []OrderModel
	for i := 0; i < len(numbers); i += MaxOrdersPerCall {
		models, err := c.GetOrders(ctx, numbers[i:min(i+MaxOrdersPerCall, len(numbers))])
		out = append(out, models...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// ConfirmOrders confirms up to 100 orders and returns the per-order messages; an order's ERROR
// message is its refusal.
func (c *Client) ConfirmOrders(ctx context.Context, numbers []string) ([]Message, error) {
	var resp MessagesResponse
	err := c.post(ctx, "confirmOrder", ConfirmOrderRequest{OrderNumberList: numbers}, &resp)
	return resp.MessageModelList, err
}

// UpdateShippingAsync sends up to 100 orders' shipping details and returns the request id.
func (c *Client) UpdateShippingAsync(ctx context.Context, orders []UpdateOrderShippingRequest) (string, error) {
	var resp UpdateOrderShippingAsyncResponse
	if err := c.post(ctx, "updateOrderShippingAsync", UpdateOrderShippingAsyncRequest{OrderShippingModelList: orders}, &resp); err != nil {
		return "", err
	}
	return resp.RequestID, nil
}

// ErrResultNotReady says RMS has not applied an async shipping update yet.
var ErrResultNotReady = errors.New("rakuten: the async shipping update is not applied yet")

// ShippingResult reads the per-order results of an async shipping update; ErrResultNotReady
// while RMS has not applied it.
func (c *Client) ShippingResult(ctx context.Context, requestID string) ([]ResultShipping, error) {
	var resp GetResultResponse
	err := c.post(ctx, "getResultUpdateOrderShippingAsync", GetResultRequest{RequestID: requestID}, &resp)
	if err == nil && len(resp.ResultShippingModelList) == 0 {
		for _, m := range resp.MessageModelList {
			if m.MessageType == "WARNING" {
				return nil, ErrResultNotReady
			}
		}
	}
	return resp.ResultShippingModelList, err
}

// LicenseExpiry asks when the license key expires.
func (c *Client) LicenseExpiry(ctx context.Context) (time.Time, error) {
	u := strings.TrimRight(c.BaseURL, "/") + "/es/1.0/license-management/license-key/expiry-date?licenseKey=" + url.QueryEscape(c.LicenseKey)
	var resp LicenseExpiry
	if err := c.do(ctx, "licenseExpiry", http.MethodGet, u, nil, &resp); err != nil {
		return time.Time{}, err
	}
	t, err := ParseTime(resp.ExpiryDate)
	if err != nil {
		return time.Time{}, c.malformed("licenseExpiry", http.StatusOK, err)
	}
	return t, nil
}

func (c *Client) post(ctx context.Context, op string, req, out any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", op, err)
	}
	return c.do(ctx, op, http.MethodPost, c.opURL(op), body, out)
}

func (c *Client) opURL(op string) string {
	return strings.TrimRight(c.BaseURL, "/") + "/es/2.0/order/" + op + "/"
}

// pacedKey marks a context whose caller has already taken the call's slot from the Limiter.
type pacedKey struct{}

// sendAfterSlot takes the next call slot, runs before (which records that the request is about
// to leave), then sends the write at once, with no retry: the time before records is then the
// time the request left, give or take the recording itself. A 429 comes back to the caller.
func (c *Client) sendAfterSlot(ctx context.Context, op string, req, out any, before func() error) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", op, err)
	}
	if c.Limiter != nil {
		if err := c.Limiter.Wait(ctx); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := before(); err != nil {
		return err
	}
	return c.doOnce(context.WithValue(ctx, pacedKey{}, true), op, http.MethodPost, c.opURL(op), body, out)
}

// throttleRetries is how many times a call refused over quota (429) is repeated after waiting,
// before the job sees the error.
const throttleRetries = 3

func (c *Client) do(ctx context.Context, op, method, u string, body []byte, out any) error {
	for attempt := 0; ; attempt++ {
		err := c.doOnce(ctx, op, method, u, body, out)
		var e *channel.Error
		if attempt >= throttleRetries || !errors.As(err, &e) || e.HTTPStatus != http.StatusTooManyRequests {
			return err
		}
		select {
		case <-time.After(e.RetryAfter):
		case <-ctx.Done():
			return err
		}
	}
}

func (c *Client) doOnce(ctx context.Context, op, method, u string, body []byte, out any) error {
	httpClient := c.HTTP
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if paced, _ := ctx.Value(pacedKey{}).(bool); c.Limiter != nil && !paced {
		if err := c.Limiter.Wait(ctx); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	req.Header.Set("Authorization", Authorization(c.ServiceSecret, c.LicenseKey))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	channel.Sent(ctx, c.Limiter)
	start := time.Now()
	resp, err := httpClient.Do(req)
	var raw []byte
	status := 0
	if err == nil {
		status = resp.StatusCode
		raw, err = channel.ReadAnswer(resp, AnswerCap(op))
		resp.Body.Close()
	}
	callErr := c.classify(op, status, resp, raw, err)
	if callErr == nil && !utf8.Valid(raw) {
		// encoding/json would turn each bad byte into U+FFFD and the order would be stored as
		// mojibake: a buyer's name and address nobody can read or ship to.
		callErr = c.malformed(op, status, errors.New("answer is not valid UTF-8"))
		callErr.(*channel.Error).Message = "楽天APIの応答にUTF-8として読めない文字が含まれていたため、受け付けませんでした(文字化けしたまま保存しないためです)。" +
			"自動で再試行します。続く場合はサポートに連携履歴を添えて連絡してください。"
	}
	if callErr == nil && out != nil {
		if jerr := json.Unmarshal(raw, out); jerr != nil {
			callErr = c.malformed(op, status, jerr)
		} else if carrier, ok := out.(messageCarrier); ok {
			callErr = c.errorInOK(op, status, carrier.messages())
		}
	}
	c.record(ctx, op, body, status, raw, time.Since(start), callErr)
	return callErr
}

// errorInOK reads the messages of a 200: an ERROR that names no order is RMS refusing the call
// itself (a validation error RMS answers in a 200), never a success with nothing in it. Errors
// naming an order are that order's refusal, for the caller to read.
func (c *Client) errorInOK(op string, status int, msgs []Message) error {
	for _, m := range msgs {
		if m.MessageType != "ERROR" || m.OrderNumber != "" {
			continue
		}
		e := &channel.Error{Channel: "rakuten", Operation: op, HTTPStatus: status, Code: m.MessageCode, Class: channel.Rejected,
			Message: fmt.Sprintf("楽天APIがエラーを返しました(%s: %s)。連携履歴の応答内容を確認し、続く場合は設定を見直してください。", m.MessageCode, m.Message)}
		text := m.MessageCode + " " + m.Message
		switch {
		case strings.Contains(text, "ES01") || strings.Contains(text, "ES04") || strings.Contains(text, "Un-Authorised") || strings.Contains(text, "認証"):
			e.Class = channel.Auth
			e.Message = fmt.Sprintf("楽天APIが認証エラーを返しました(%s: %s)。RMSの「WEB APIサービス」でライセンスキーと利用機能を確認し、店舗設定に貼り付け直してください。", m.MessageCode, m.Message)
		case strings.Contains(text, "メンテナンス") || strings.Contains(text, "Maintenance") || strings.Contains(text, "システムエラー"):
			e.Class = channel.Transient
			e.Message = fmt.Sprintf("楽天APIが一時的なエラーを返しました(%s: %s)。自動で再試行します。", m.MessageCode, m.Message)
		}
		return e
	}
	return nil
}

// classify maps an answer onto the error classes; nil means the call succeeded at the HTTP level
// (per-order refusals inside a 200 are the caller's to read).
func (c *Client) classify(op string, status int, resp *http.Response, raw []byte, err error) error {
	e := &channel.Error{Channel: "rakuten", Operation: op, HTTPStatus: status}
	switch {
	case errors.Is(err, channel.ErrAnswerTooLarge):
		// Nothing RMS sends for this call is that large: refuse it whole rather than hold it.
		e.Class, e.Err = channel.Transient, err
		e.Message = fmt.Sprintf("楽天APIの応答が大きすぎます(この操作の上限 %d MiB)。応答は読み込まずに破棄しました。続く場合はサポートに連携履歴を添えて連絡してください。", AnswerCap(op)>>20)
		if writes[op] { // RMS answered: the write may have been applied
			e.Class = channel.UnknownOutcome
			e.Message = fmt.Sprintf("楽天APIの応答が大きすぎます(この操作の上限 %d MiB)。反映されたかどうかを注文を再取得して確認します。", AnswerCap(op)>>20)
		}
		return e
	case err != nil:
		e.Class, e.Err = channel.Transient, err
		e.Message = "楽天RMSに接続できませんでした。しばらく待って自動で再試行します。"
		// A write whose connection failed after it was sent (a timeout, a reset, a closed
		// connection) may have been applied; only one that never connected surely was not.
		var opErr *net.OpError
		if writes[op] && !(errors.As(err, &opErr) && opErr.Op == "dial") {
			e.Class = channel.UnknownOutcome
			e.Message = "楽天RMSから応答がありませんでした。反映されたかどうかを注文を再取得して確認します。"
		}
		return e
	case status == http.StatusOK:
		mt := channel.MediaType(resp.Header)
		if mt == "" || strings.HasSuffix(mt, "json") {
			return nil
		}
		// Not RMS's JSON: a page from something in front of the API, usually a maintenance page.
		said := ""
		if title := channel.PageTitle(raw); title != "" {
			said = "「" + title + "」"
		}
		e.Class, e.Err = channel.Transient, fmt.Errorf("answer of type %s", mt)
		e.Message = fmt.Sprintf("楽天APIがJSONではない応答(%s)%sを返しました。メンテナンス中の可能性があります。自動で再試行します。", mt, said)
		if writes[op] {
			e.Class = channel.UnknownOutcome
			e.Message = fmt.Sprintf("楽天APIがJSONではない応答(%s)%sを返しました。反映されたかどうかを注文を再取得して確認します。", mt, said)
		}
		return e
	}
	var gw GatewayError
	_ = json.Unmarshal(raw, &gw)
	e.Code = gw.Results.ErrorCode
	if resp != nil {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
	}
	switch {
	case status == http.StatusUnauthorized || e.Code == "ES01-01" || e.Code == "ES04-01":
		e.Class = channel.Auth
		e.Message = "認証エラー(licenseKey有効期限切れの可能性があります)。RMSの「WEB APIサービス」でライセンスキーを発行し直し、店舗設定に貼り付けてください。反映まで5〜10分かかることがあります。"
	case status == http.StatusTooManyRequests:
		e.Class = channel.Transient
		e.Message = "楽天APIの呼び出し回数の上限(Forbidden-Exceeded QPS Limitation)に達しました。間隔をあけて自動で再試行します。"
		if e.RetryAfter == 0 {
			e.RetryAfter = time.Second
		}
	case status == http.StatusServiceUnavailable:
		e.Class = channel.Transient
		e.Message = "楽天APIはメンテナンス中です(API In Maintenance)。終了後に自動で再試行します。"
	case status >= 500:
		e.Class = channel.Transient
		e.Message = "楽天APIで一時的なエラーが発生しました。自動で再試行します。"
		if writes[op] { // a gateway error may come after RMS applied the write
			e.Class = channel.UnknownOutcome
			e.Message = "楽天APIがエラーを返しました(HTTP " + strconv.Itoa(status) + ")。反映されたかどうかを注文を再取得して確認します。"
		}
	default:
		var msgs MessagesResponse
		_ = json.Unmarshal(raw, &msgs)
		e.Class = channel.Rejected
		for _, m := range msgs.MessageModelList {
			if m.MessageType == "ERROR" {
				e.Code, e.Message = m.MessageCode, m.Message
				break
			}
		}
		if e.Message == "" {
			e.Message = fmt.Sprintf("楽天APIがリクエストを受け付けませんでした(HTTP %d)。連携履歴の応答内容を確認してください。", status)
		}
	}
	return e
}

func (c *Client) malformed(op string, status int, err error) error {
	class := channel.Transient
	if writes[op] { // RMS answered 200: the write was taken, whatever its answer says
		class = channel.UnknownOutcome
	}
	return &channel.Error{Channel: "rakuten", Operation: op, HTTPStatus: status, Class: class, Err: err,
		Message: "楽天APIの応答を解釈できませんでした。応答は連携履歴に残してあります。続く場合はサポートに連携履歴を添えて連絡してください。"}
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

// record writes the call into the history. The license key appears only in the Authorization
// header and the expiry lookup's query, neither of which is recorded.
func (c *Client) record(ctx context.Context, op string, body []byte, status int, raw []byte, d time.Duration, err error) {
	if c.Recorder == nil {
		return
	}
	jobKind, orderID := channel.CallFrom(ctx)
	call := channel.Call{ShopID: c.ShopID, OrderID: orderID, JobKind: jobKind, Operation: op, Outcome: channel.OutcomeOK,
		HTTPStatus: status, Duration: d, Request: channel.TruncateBytes(body), Response: channel.TruncateBytes(raw)}
	var e *channel.Error
	if errors.As(err, &e) {
		call.Outcome, call.ErrorCode, call.ErrorMessage = e.Class.Outcome(), e.Code, e.Message
	}
	// The history is written even when the job's context has ended: a call made must be shown.
	_, _ = c.Recorder.RecordCall(context.WithoutCancel(ctx), call)
}
