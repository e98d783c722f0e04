package rakuten

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	tr := c.transport()
	if err := tr.Do(ctx, channel.Request{Op: "licenseExpiry", Method: http.MethodGet, URL: u, ContentType: contentType}, &resp); err != nil {
		return time.Time{}, err
	}
	t, err := ParseTime(resp.ExpiryDate)
	if err != nil {
		return time.Time{}, tr.Malformed("licenseExpiry", http.StatusOK, err)
	}
	return t, nil
}

func (c *Client) post(ctx context.Context, op string, req, out any) error {
	return c.send(ctx, op, req, out, nil)
}

// sendAfterSlot takes the next call slot, runs before (which records that the request is about
// to leave), then sends the write at once, with no retry: the time before records is then the
// time the request left, give or take the recording itself. A 429 comes back to the caller.
func (c *Client) sendAfterSlot(ctx context.Context, op string, req, out any, before func() error) error {
	return c.send(ctx, op, req, out, before)
}

func (c *Client) send(ctx context.Context, op string, req, out any, before func() error) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", op, err)
	}
	return c.transport().Do(ctx, channel.Request{Op: op, Method: http.MethodPost, URL: c.opURL(op), Body: body,
		ContentType: contentType, BeforeSend: before}, out)
}

func (c *Client) opURL(op string) string {
	return strings.TrimRight(c.BaseURL, "/") + "/es/2.0/order/" + op + "/"
}

const contentType = "application/json; charset=utf-8"

// names are RMS's words in the transport's messages.
var names = channel.Names{API: "楽天API", Service: "楽天API", Host: "楽天RMS", Record: "注文",
	NoAnswer: "楽天RMSから応答がありませんでした。反映されたかどうかを注文を再取得して確認します。"}

// transport makes the client's calls. The license key travels only in the Authorization header
// and the expiry lookup's query, neither of which is recorded.
func (c *Client) transport() *channel.Transport {
	return &channel.Transport{Channel: "rakuten", Names: names, Format: "json", HTTP: c.HTTP, Pacer: c.Limiter,
		Recorder: c.Recorder, ShopID: c.ShopID, IsWrite: func(op string) bool { return writes[op] }, AnswerCap: AnswerCap, Classify: classify,
		Auth: func(req *http.Request) { req.Header.Set("Authorization", Authorization(c.ServiceSecret, c.LicenseKey)) }}
}

// classify reads an answer of RMS into out; per-order refusals inside a 200 are the caller's to
// read.
func classify(a channel.Answer, out any) *channel.Error {
	if a.Status != http.StatusOK {
		return refusal(a)
	}
	if !utf8.Valid(a.Body) {
		// encoding/json would turn each bad byte into U+FFFD and the order would be stored as
		// mojibake: a buyer's name and address nobody can read or ship to.
		e := a.Malformed(errors.New("answer is not valid UTF-8"))
		e.Message = "楽天APIの応答にUTF-8として読めない文字が含まれていたため、受け付けませんでした(文字化けしたまま保存しないためです)。" +
			"自動で再試行します。続く場合はサポートに連携履歴を添えて連絡してください。"
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.Body, out); err != nil {
		return a.Malformed(err)
	}
	if carrier, ok := out.(messageCarrier); ok {
		return errorInOK(carrier.messages())
	}
	return nil
}

// errorInOK reads the messages of a 200: an ERROR that names no order is RMS refusing the call
// itself (a validation error RMS answers in a 200), never a success with nothing in it. Errors
// naming an order are that order's refusal, for the caller to read.
func errorInOK(msgs []Message) *channel.Error {
	for _, m := range msgs {
		if m.MessageType != "ERROR" || m.OrderNumber != "" {
			continue
		}
		e := &channel.Error{Code: m.MessageCode, Class: channel.Rejected,
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

// refusal classifies an answer other than a 200.
func refusal(a channel.Answer) *channel.Error {
	var gw GatewayError
	_ = json.Unmarshal(a.Body, &gw)
	code := gw.Results.ErrorCode
	var e *channel.Error
	switch {
	case a.Status == http.StatusUnauthorized || code == "ES01-01" || code == "ES04-01":
		e = &channel.Error{Class: channel.Auth,
			Message: "認証エラー(licenseKey有効期限切れの可能性があります)。RMSの「WEB APIサービス」でライセンスキーを発行し直し、店舗設定に貼り付けてください。反映まで5〜10分かかることがあります。"}
	case a.Status == http.StatusTooManyRequests:
		e = a.Throttled("楽天APIの呼び出し回数の上限(Forbidden-Exceeded QPS Limitation)に達しました。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable:
		e = &channel.Error{Class: channel.Transient, Message: "楽天APIはメンテナンス中です(API In Maintenance)。終了後に自動で再試行します。"}
	case a.Status >= 500:
		e = a.ServerError()
	default:
		e = &channel.Error{Class: channel.Rejected}
		var msgs MessagesResponse
		_ = json.Unmarshal(a.Body, &msgs)
		for _, m := range msgs.MessageModelList {
			if m.MessageType == "ERROR" {
				code, e.Message = m.MessageCode, m.Message
				break
			}
		}
		if e.Message == "" {
			e.Message = fmt.Sprintf("楽天APIがリクエストを受け付けませんでした(HTTP %d)。連携履歴の応答内容を確認してください。", a.Status)
		}
	}
	e.Code, e.RetryAfter = code, cmp.Or(e.RetryAfter, a.RetryAfter)
	return e
}
