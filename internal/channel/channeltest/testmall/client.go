package testmall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The operations of the mall's API, as the history names them.
const (
	OpListOrders = "listOrders"
	OpGetOrder   = "getOrder"
	OpShip       = "shipOrder"
)

const msgCancelled = "テストモールでキャンセルされた注文です。連携の対象処理フェーズから外してください。"

// Client calls the test mall for one shop; the token travels only in the Authorization header.
type Client struct {
	BaseURL, Token string
	ShopID         int64 // ichigen's shop, under which the calls are recorded
	HTTP           *http.Client
	Recorder       channel.Recorder
	Pacer          channel.Pacer
	// Settle is how long a shipment whose answer was lost waits before it is read back.
	Settle time.Duration
}

var names = channel.Names{API: "テストモールAPI", Service: "テストモール", Host: "テストモール", Record: "注文",
	NoAnswer: "テストモールから応答がありませんでした。反映されたかどうかを注文を再取得して確認します。"}

func (c *Client) transport() *channel.Transport {
	return &channel.Transport{Channel: Channel, Names: names, Format: "json", HTTP: c.HTTP, Pacer: c.Pacer, Recorder: c.Recorder,
		ShopID: c.ShopID, IsWrite: func(op string) bool { return op == OpShip }, AnswerCap: func(string) int64 { return 4 << 20 },
		Classify: classify, Auth: func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+c.Token) }}
}

// classify reads an answer into out and maps the mall's statuses onto the error classes.
func classify(a channel.Answer, out any) *channel.Error {
	var refusal struct {
		Error string `json:"error"`
	}
	switch {
	case a.Status == http.StatusOK:
		if err := json.Unmarshal(a.Body, out); err != nil {
			return a.Malformed(err)
		}
		return nil
	case a.Status == http.StatusUnauthorized:
		return &channel.Error{Class: channel.Auth, Message: "テストモールの認証エラーです。店舗設定のAPIトークンを確認してください。"}
	case a.Status == http.StatusTooManyRequests:
		return a.Throttled("テストモールAPIの呼び出し回数の上限に達しました。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable:
		return &channel.Error{Class: channel.Transient, RetryAfter: a.RetryAfter, Message: "テストモールAPIはメンテナンス中です。終了後に自動で再試行します。"}
	case a.Status >= 500:
		return a.ServerError()
	}
	_ = json.Unmarshal(a.Body, &refusal)
	return &channel.Error{Class: channel.Rejected, Code: refusal.Error,
		Message: fmt.Sprintf("テストモールAPIがリクエストを受け付けませんでした(HTTP %d %s)。", a.Status, refusal.Error)}
}

func (c *Client) url(path string) string { return strings.TrimRight(c.BaseURL, "/") + path }

// Fetch imports the orders placed from from to to, page by page.
func (c *Client) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	var out []order.Order
	for page := 1; page != 0; {
		q := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}, "page": {strconv.Itoa(page)}}
		var p Page
		if err := c.transport().Do(ctx, channel.Request{Op: OpListOrders, Method: http.MethodGet, URL: c.url("/api/orders?" + q.Encode()), RecordURL: true}, &p); err != nil {
			return nil, err
		}
		for _, o := range p.Orders {
			out = append(out, ToOrder(o))
		}
		page = p.NextPage
	}
	return out, nil
}

// ToOrder is the mall's order as ichigen stores it: one package, one line.
func ToOrder(m Order) order.Order {
	raw, _ := json.Marshal(m)
	buyer := order.Person{Name: m.Buyer}
	total, zero := order.YenOf(m.Price*m.Quantity), order.YenOf(0)
	return order.Order{Number: m.Number, OrderedAt: m.OrderedAt, Buyer: buyer, Packages: []order.Package{{Key: "1", ShipTo: buyer}},
		Lines:   []order.Line{{PackageKey: "1", SKU: m.Item, Name: m.Item, UnitPrice: m.Price, Quantity: m.Quantity, TaxRate: 10}},
		Amounts: order.Amounts{Goods: total, Tax: zero, Postage: zero, PaymentFee: zero, Discount: zero, Points: zero, Total: total, Requested: total}, MarketplaceStatusRaw: m.Status,
		MarketplaceStatus: statusOf(m.Status), PaymentStatus: order.Paid, RawPayload: raw, MarketplaceUpdatedAt: m.OrderedAt}
}

func statusOf(s string) order.MarketplaceStatus {
	switch s {
	case StatusNew:
		return order.StatusUnconfirmed
	case StatusReady:
		return order.StatusAwaitingShipment
	case StatusShipped:
		return order.StatusShipped
	case StatusCancelled:
		return order.StatusCancelled
	}
	return order.StatusUnknown
}

// Process reports shipments (workflow.JobShipReport), the mall's only rule. Without a journal
// it sends nothing: each shipment is marked in it before it leaves.
func (c *Client) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	if journal == nil {
		return nil, channel.ErrNoJournal
	}
	if kind != workflow.JobShipReport {
		return nil, &channel.Error{Class: channel.Rejected, Channel: Channel, Operation: string(kind),
			Message: fmt.Sprintf("テストモールの「%s」には対応していません。", kind.Label())}
	}
	var results []channel.Result
	for _, o := range orders {
		r, err := c.ship(channel.WithCall(ctx, string(kind), o.ID), o, journal)
		if err != nil {
			return results, err
		}
		results = append(results, r)
	}
	return results, nil
}

// ship reports an order's last shipment once: an order marked as sent by an earlier run is read
// back first, and sent only when the mall does not have its shipment.
func (c *Client) ship(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, error) {
	if len(o.Shipments) == 0 || o.Shipments[len(o.Shipments)-1].TrackingNumber == "" {
		return fail(o, "出荷情報(発送日・配送会社・送り状番号)がありません。注文詳細で入力してから、もう一度処理してください。"), nil
	}
	last := o.Shipments[len(o.Shipments)-1]
	s := Shipment{Carrier: last.Carrier, TrackingNumber: last.TrackingNumber, ShipDate: last.ShipDate}
	body, _ := json.Marshal(s)
	r, _, err := channel.WriteOnce(ctx, journal, channel.Once{Order: o, What: "出荷情報", Sending: string(LinkShipping), SettleAfter: c.Settle,
		Lost: "出荷情報の送信の応答がありませんでした。注文を再取得して反映されたかを確かめます。",
		Send: func(ctx context.Context) error {
			return c.transport().Do(ctx, channel.Request{Op: OpShip, Method: http.MethodPost, URL: c.url("/api/orders/" + url.PathEscape(o.Number) + "/shipment"),
				Body: body, ContentType: "application/json"}, nil)
		},
		ReadBack: func(ctx context.Context, _ string) (channel.Result, bool, error) {
			var m Order
			err := c.transport().Do(ctx, channel.Request{Op: OpGetOrder, Method: http.MethodGet, URL: c.url("/api/orders/" + url.PathEscape(o.Number)), RecordURL: true}, &m)
			switch {
			case channel.ClassOf(err) == channel.Rejected:
				return fail(o, messageOf(err)), true, nil
			case err != nil:
				return channel.Result{}, false, err
			case m.Shipment != nil && *m.Shipment == s:
				return shipped(o, "注文を再取得し、出荷情報が反映済みであることを確認しました。"), true, nil
			}
			return channel.Result{}, false, nil
		},
		Done:   func(message string) channel.Result { return shipped(o, message) },
		Failed: func(message string) channel.Result { return fail(o, message) }})
	return r, err
}

func shipped(o order.Order, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkShipped), Message: msg}
}

func fail(o order.Order, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, LinkStatus: string(LinkShipError), Message: msg}
}

func messageOf(err error) string {
	var e *channel.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
