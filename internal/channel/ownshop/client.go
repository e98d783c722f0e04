package ownshop

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
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// OpListOrders is the history's name of a read of the cart's order feed.
const OpListOrders = "cartOrders"

// refCapture marks, as the order's link reference, a shipment entry (E01) sent at a time (unix
// seconds) whose outcome is not known: the next run reads the trade back before sending anything.
const refCapture = "e01:"

// Client is one own-cart shop's client: the cart's order feed for the import, webコレクト for the
// payment.
type Client struct {
	// FeedURL is the cart's order feed ("": the cart only posts its orders).
	FeedURL, Secret string
	// CarrierSetting is CarrierYamatoOnly or CarrierAny.
	CarrierSetting string
	// AutoReauth re-authorises (A11) an unshipped order's card before its 58 days run out.
	AutoReauth bool
	ShopID     int64
	HTTP       *http.Client
	Recorder   channel.Recorder
	Pacer      channel.Pacer
	Settle     time.Duration
	Gateway    *webcollect.Client
}

var cartNames = channel.Names{API: "カートの注文一覧", Service: "カート", Host: "カート", Record: "注文",
	NoAnswer: "カートから応答がありませんでした。"}

// feedCap bounds a feed page: 100 orders of a few KiB.
const feedCap = 4 << 20

func (c *Client) feed() *channel.Transport {
	return &channel.Transport{Channel: Channel, Names: cartNames, Format: "json", HTTP: c.HTTP, Pacer: c.Pacer, Recorder: c.Recorder,
		ShopID: c.ShopID, IsWrite: func(string) bool { return false }, AnswerCap: func(string) int64 { return feedCap },
		Classify: classifyFeed, Auth: func(req *http.Request) {
			req.Header.Set(SignatureHeader, Sign(c.Secret, []byte(req.URL.RequestURI())))
		}}
}

func classifyFeed(a channel.Answer, out any) *channel.Error {
	switch {
	case a.Status == http.StatusOK:
		if err := json.Unmarshal(a.Body, out); err != nil {
			return a.Malformed(err)
		}
		return nil
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden:
		return &channel.Error{Class: channel.Auth, Message: "カートが署名を受け付けませんでした。店舗設定の「カート連携の署名キー」がカートの設定と同じか確認してください。"}
	case a.Status == http.StatusTooManyRequests:
		return a.Throttled("カートの注文一覧の呼び出し回数の上限に達しました。間隔をあけて自動で再試行します。")
	case a.Status == http.StatusServiceUnavailable:
		return &channel.Error{Class: channel.Transient, RetryAfter: a.RetryAfter, Message: "カートはメンテナンス中です。終了後に自動で再試行します。"}
	case a.Status >= 500:
		return a.ServerError()
	}
	return &channel.Error{Class: channel.Rejected, Message: fmt.Sprintf("カートが注文一覧の要求を受け付けませんでした(HTTP %d)。連携履歴の応答内容を確認してください。", a.Status)}
}

// Fetch reads the orders the cart took from from to to, page by page. A cart without an order
// feed posts its orders instead: nothing to read.
func (c *Client) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	if c.FeedURL == "" {
		return nil, nil
	}
	var out []order.Order
	for page := 1; page != 0; {
		q := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}, "page": {strconv.Itoa(page)}}
		var p FeedPage
		if err := c.feed().Do(ctx, channel.Request{Op: OpListOrders, Method: http.MethodGet, URL: strings.TrimRight(c.FeedURL, "/") + "/orders?" + q.Encode(), RecordURL: true}, &p); err != nil {
			return nil, err
		}
		for _, o := range p.Orders {
			if problems := Check(o); len(problems) > 0 {
				return nil, &channel.Error{Class: channel.Rejected, Channel: Channel, Operation: OpListOrders,
					Message: fmt.Sprintf("カートの注文 %s を取り込めません: %s", o.Number, strings.Join(problems, " "))}
			}
			out = append(out, ToOrder(o))
		}
		if page = p.NextPage; page > 10_000 {
			return nil, fmt.Errorf("cart feed: more than 10,000 pages")
		}
	}
	return out, nil
}

// Process runs the own cart's phase rule, 売上確定 (capture). Without a journal it sends nothing.
func (c *Client) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	if journal == nil {
		return nil, channel.ErrNoJournal
	}
	var run func(context.Context, order.Order) (channel.Result, error)
	switch kind {
	case workflow.JobCapture:
		run = func(ctx context.Context, o order.Order) (channel.Result, error) { return c.capture(ctx, o, journal) }
	case workflow.JobPaymentReview:
		run = c.review
	default:
		return nil, &channel.Error{Class: channel.Rejected, Channel: Channel, Operation: string(kind),
			Message: fmt.Sprintf("自社カートの「%s」には対応していません。", kind.Label())}
	}
	var results []channel.Result
	for _, o := range orders {
		r, err := run(channel.WithCall(ctx, string(kind), o.ID), o)
		if err != nil {
			return results, err
		}
		results = append(results, r)
	}
	return results, nil
}

// Slip is what a capture registers: the slip number and webコレクト's delivery service code, or
// the seed's instruction when the order's shipment breaks the carrier setting's rule.
func Slip(o order.Order, setting string) (slipNo, serviceCode, problem string) {
	var last order.Shipment
	if len(o.Shipments) > 0 {
		last = o.Shipments[len(o.Shipments)-1]
	}
	number := order.NormaliseTrackingNumber(last.TrackingNumber)
	yamato := last.Carrier == "1001" || last.Carrier == "1030"
	twelveDigits := len(number) == 12 && strings.Trim(number, "0123456789") == ""
	switch {
	case setting == CarrierAny && yamato && twelveDigits:
		return number, webcollect.DeliveryYamato, ""
	case setting == CarrierAny && number != "" && len([]rune(number)) <= 23:
		return number, webcollect.DeliveryOther, ""
	case setting == CarrierAny:
		// 運送オプション: a capture without a slip number is allowed; the trade's number stands in.
		return TradeOf(o), webcollect.DeliveryOther, ""
	case number == "":
		return "", "", "伝票番号が登録されていません。" + webcollect.MsgSlipRule
	case !twelveDigits:
		return "", "", fmt.Sprintf("伝票番号「%s」は12桁の半角数字ではありません。", last.TrackingNumber) + webcollect.MsgSlipRule
	case last.Carrier != "" && !yamato:
		return "", "", "配送会社がヤマト運輸ではありません。「配送業者の設定」が「ヤマトグループのみ」の場合、ヤマト運輸の伝票番号で売上確定してください(他社の配送業者を使う場合は、運送オプションを契約して「ヤマトグループ以外の配送業者も利用する」に変更してください)。"
	}
	return number, webcollect.DeliveryYamato, ""
}

// capture fixes an order's sale once: an order marked as sent by an earlier run is read back
// (E04) first, and sent only when webコレクト has no shipment on the trade.
func (c *Client) capture(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, error) {
	slipNo, service, problem := Slip(o, c.CarrierSetting)
	if problem != "" {
		return c.failed(o, problem, false), nil
	}
	trade := TradeOf(o)
	r, _, err := channel.WriteOnce(ctx, journal, channel.Once{Order: o, What: "売上確定(出荷情報登録)", Sending: string(LinkCapturing), Ref: refCapture,
		SettleAfter: c.Settle, Lost: webcollect.MsgNoAnswer,
		Send: func(ctx context.Context) error {
			_, err := c.Gateway.ShipmentEntry(ctx, trade, slipNo, service, channel.MarkFrom(ctx))
			return err
		},
		ReadBack: func(ctx context.Context, _ string) (channel.Result, bool, error) { return c.readBack(ctx, o, trade) },
		Done:     func(message string) channel.Result { return c.captured(o, message) },
		Failed:   func(message string) channel.Result { return c.failed(o, message, true) },
		Refused: func(err error) (channel.Result, bool) {
			var e *channel.Error
			if !errors.As(err, &e) {
				return channel.Result{}, false
			}
			switch e.Code {
			case webcollect.CodeShipRegistered: // already entered: read back what webコレクト holds rather than guess
				r, done, rerr := c.readBack(ctx, o, trade)
				switch {
				case rerr != nil: // unread: the order stays marked, and the next run reads it back
					return channel.Result{OrderID: o.ID, LinkStatus: string(LinkCapturing), Message: webcollect.MsgNoAnswer,
						Ref: refCapture + strconv.FormatInt(time.Now().Unix(), 10), Pending: true, RecheckAfter: c.Settle}, true
				case done:
					return r, true
				}
				return c.failed(o, e.Message, true), true
			case webcollect.CodeShipBadTrade: // lapsed? webコレクト's clock says
				if info, found, rerr := c.Gateway.TradeInfo(ctx, trade); rerr == nil && found && info.Lapsed() {
					return channel.Result{OrderID: o.ID, LinkStatus: string(LinkCaptureError), Message: MsgExpired, Refreshed: withPayment(o, order.CardExpired)}, true
				}
			}
			return channel.Result{}, false
		}})
	return r, err
}

// readBack settles an earlier E01 whose answer was lost by the trade's state: done reports that
// the result is known (captured, or the trade gone); otherwise the capture is sent.
func (c *Client) readBack(ctx context.Context, o order.Order, trade string) (channel.Result, bool, error) {
	info, found, err := c.Gateway.TradeInfo(ctx, trade)
	switch {
	case channel.ClassOf(err) == channel.Rejected:
		return c.failed(o, messageOf(err), true), true, nil
	case err != nil:
		return channel.Result{}, false, err
	case !found:
		return c.failed(o, "クロネコwebコレクトに受付番号「"+trade+"」の取引がありません。"+webcollect.MsgCheckConsole, true), true, nil
	case info.StatusInfo.Captured():
		return c.captured(o, "取引情報照会(E04)で、売上確定(出荷情報登録)が反映済みであることを確認しました。"), true, nil
	case info.StatusInfo == webcollect.StatusAuthorized:
		return channel.Result{}, false, nil
	}
	return c.failed(o, "クロネコwebコレクトの取引状況が「"+info.StatusInfo.Label()+"」です。"+webcollect.MsgCheckConsole, true), true, nil
}

// captured is the result of a fixed sale: 決済完了.
func (c *Client) captured(o order.Order, message string) channel.Result {
	return channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkCaptured), Message: message, Refreshed: withPayment(o, order.CardCaptured)}
}

// failed is the result of a refused capture; afterCall says webコレクト refused it (決済失敗),
// rather than ichigen before any call (the payment status is left as it was).
func (c *Client) failed(o order.Order, message string, afterCall bool) channel.Result {
	r := channel.Result{OrderID: o.ID, LinkStatus: string(LinkCaptureError), Message: message}
	if afterCall {
		r.Refreshed = withPayment(o, order.CardFailed)
	}
	return r
}

// withPayment is o with a new payment status, stamped a second after the cart's last change so
// that re-reading the unchanged cart order does not put the cart's view (仮売上) back.
func withPayment(o order.Order, p order.PaymentStatus) *order.Order {
	o.PaymentStatus = p
	o.MarketplaceUpdatedAt = o.MarketplaceUpdatedAt.Add(time.Second)
	return &o
}

func messageOf(err error) string {
	var e *channel.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
