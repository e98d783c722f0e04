package aupay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// msgCancelledTodo follows MsgTradeCancelled (the seed's words) with what to do.
const msgCancelledTodo = "au PAY マーケットでキャンセルされた注文です。連携の対象処理フェーズから外してください。"

// Process runs an au PAY rule on a batch of orders (jobs.Processor). au takes one trade per
// call, so each order costs a call, plus a read-back when an answer was lost. It is handed only
// orders Eligibility takes for kind.
//
// Without a journal it sends nothing: each write is marked in it before it leaves.
func (c *Client) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	return channel.PerOrder(ctx, Channel, "au PAY マーケット", kind, orders, journal, map[workflow.JobKind]channel.OrderStep{
		workflow.JobStatusFetch: c.fetchStatus,
		workflow.JobShipReport:  c.reportShipment,
		workflow.JobComplete:    c.complete,
	})
}

// TradeID is the au order id an order is reported under: a split child goes under the order it
// was split from, as au knows only that one.
func TradeID(o order.Order) string { return o.MarketplaceNumber() }

// fetchStatus reads the trade (自動注文情報ステータス取得) and stores its order and payment
// status. An order au has moved to 発送待ち goes on to the success phase; one still waiting for
// payment or credit stays for the next look; a cancelled one, or one au cannot find, goes to the
// error phase as 注文情報ステータス取得エラー.
func (c *Client) fetchStatus(ctx context.Context, o order.Order, _ channel.Journal) (channel.Result, bool, error) {
	t, err := c.GetTrade(ctx, TradeID(o))
	if e := (*channel.Error)(nil); errors.As(err, &e) && e.Class == channel.Rejected {
		return fail(o, LinkStatusFetchError, e.Message), true, nil
	}
	if err != nil {
		return channel.Result{}, false, err
	}
	fresh, err := ToOrder(t)
	if err != nil {
		return fail(o, LinkStatusFetchError, "au PAY マーケットの取引を読み取れませんでした: "+err.Error()), true, nil
	}
	fresh.Number = o.Number
	switch strings.TrimSpace(t.OrderStatus) {
	case StatusCancelled:
		r := fail(o, LinkStatusFetchError, MsgTradeCancelled+msgCancelledTodo)
		r.Refreshed = &fresh
		return r, true, nil
	case StatusAwaitingShipment:
		return channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Refreshed: &fresh}, true, nil
	}
	// Still on its way to 発送待ち: the status is stored and the order waits for the next look.
	return channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: fmt.Sprintf("受注ステータス「%s」のため、発送待ちになるまで待ちます。", t.OrderStatus),
		Refreshed: &fresh, Pending: true, RecheckAfter: workflow.DefaultPollInterval}, true, nil
}

// reportShipment reports the order's shipment (自動出荷情報反映): 発送日, 配送会社 and
// 配送お問い合せ番号. It refuses before sending an order without a ship date.
func (c *Client) reportShipment(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, bool, error) {
	s := shipmentOf(o)
	if strings.TrimSpace(s.ShipDate) == "" {
		return fail(o, LinkShipReportError, MsgNoShipDate+"注文詳細で発送日を入力してから、連携ステータスが空欄のまま対象処理フェーズへ移動してください。"), true, nil
	}
	id := TradeID(o)
	req, err := c.shippingRequest(id, s.ShipDate, s.Carrier, s.TrackingNumber)
	if err != nil {
		return fail(o, LinkShipReportError, messageOf(err)), true, nil
	}
	applied := func(ctx context.Context) (bool, OrderInfo, error) {
		return c.ShippingApplied(ctx, id, s.ShipDate, s.Carrier, s.TrackingNumber)
	}
	send := func(ctx context.Context) error { _, err := c.post(ctx, OpUpdateTradeInfo, req); return err }
	r, decided, err := c.write(ctx, journal, o, writeSpec{done: LinkShipReported, failed: LinkShipReportError, what: "出荷情報", applied: applied, send: send})
	if r.OK && o.ManagementClass == order.Split {
		// au keeps one tracking number per trade: the operator was warned when splitting.
		r.Message = "分割された注文です。au PAY マーケットには最後に反映した配送番号(" + req.ShippingNumber + ")が登録されています。"
	}
	return r, decided, err
}

// complete sets the trade's order status to 完了 (自動受注完了ステータス反映).
func (c *Client) complete(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, bool, error) {
	id := TradeID(o)
	applied := func(ctx context.Context) (bool, OrderInfo, error) { return c.StatusApplied(ctx, id, StatusCompleted) }
	send := func(ctx context.Context) error { return c.UpdateStatus(ctx, id, StatusCompleted) }
	w := writeSpec{done: LinkCompleted, failed: LinkCompleteError, what: "受注ステータス「完了」", applied: applied, send: send,
		status: StatusCompleted}
	if o.ManagementClass == order.Split {
		w.readFirst = "分割された注文のため" // the original or a sibling may have completed the trade already
	}
	return c.write(ctx, journal, o, w)
}

// writeSpec is one au write and how to tell that it took effect.
type writeSpec struct {
	done, failed workflow.LinkStatus
	what         string // what is reflected, for the messages
	// readFirst, when set, says why the trade is read back before anything is sent.
	readFirst string
	applied   func(context.Context) (bool, OrderInfo, error)
	send      func(context.Context) error
	// status, when set, is the trade's order status once the write is in (完了): the order's
	// marketplace status follows at once, as no later import reads an older trade again.
	status string
}

// doneFor is the result of a write that is in, with the order's marketplace status refreshed when
// the write sets it.
func (w writeSpec) doneFor(o order.Order, message string) channel.Result {
	r := channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(w.done), Message: message}
	if w.status != "" {
		o.MarketplaceStatus, o.MarketplaceStatusRaw, o.MarketplaceUpdatedAt = StatusOf(w.status), w.status, time.Now()
		r.Refreshed = &o
	}
	return r
}

// write sends one write at most once (channel.WriteOnce): a lost answer is settled by reading
// the trade back at once, as au applies writes synchronously.
func (c *Client) write(ctx context.Context, journal channel.Journal, o order.Order, w writeSpec) (channel.Result, bool, error) {
	return channel.WriteOnce(ctx, journal, channel.Once{Order: o, What: w.what, ReadFirst: w.readFirst, Send: w.send,
		ReadBack: func(ctx context.Context, why string) (channel.Result, bool, error) { return c.settle(ctx, o, w, why) },
		Done:     func(message string) channel.Result { return w.doneFor(o, message) },
		Failed:   func(message string) channel.Result { return fail(o, w.failed, message) },
		Lost:     w.what + "の送信の応答がありませんでした。取引を再取得して反映されたかを確かめます。"})
}

// settle reads the trade back after a write whose outcome is unknown and decides the order when
// the write shows; when it does not, the order is undecided and the caller sends it. Either way,
// the history gets a row saying what was found.
func (c *Client) settle(ctx context.Context, o order.Order, w writeSpec, why string) (channel.Result, bool, error) {
	ok, t, err := w.applied(ctx)
	if e := (*channel.Error)(nil); errors.As(err, &e) && e.Class == channel.Rejected {
		return fail(o, w.failed, e.Message), true, nil
	}
	if err != nil {
		return channel.Result{}, false, err
	}
	if strings.TrimSpace(t.OrderStatus) == StatusCancelled {
		c.note(ctx, o, why+"取引を再取得しました: キャンセル済みでした。")
		return fail(o, w.failed, MsgTradeCancelled+msgCancelledTodo), true, nil
	}
	if ok {
		c.note(ctx, o, why+"取引を再取得しました: "+w.what+"は反映済みでした。再送信はしていません。")
		return w.doneFor(o, why+"取引を再取得し、"+w.what+"が反映済みであることを確認しました。"), true, nil
	}
	c.note(ctx, o, why+"取引を再取得しました: "+w.what+"は反映されていなかったため、送信します。")
	return channel.Result{}, false, nil
}

// note adds a row to the API call history that says what a read-back found.
func (c *Client) note(ctx context.Context, o order.Order, what string) {
	channel.NoteReadBack(ctx, c.Recorder, c.IchigenShopID, o, what)
}

// shipmentOf is the shipment au is told of: au keeps one per trade, so the last one entered.
func shipmentOf(o order.Order) order.Shipment {
	if len(o.Shipments) == 0 {
		return order.Shipment{}
	}
	return o.Shipments[len(o.Shipments)-1]
}

func fail(o order.Order, status workflow.LinkStatus, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, LinkStatus: string(status), Message: msg}
}

func messageOf(err error) string { return channel.MessageOf(err) }
