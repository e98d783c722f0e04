package yahoo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// CompleteRetry is how long an order waits before its completion is tried again after Yahoo
// refused it right after the ship-status change.
const CompleteRetry = 15 * time.Second

// Process runs a Yahoo rule on a batch of orders (jobs.Processor). Yahoo takes one order a call,
// so each order costs a call, plus a read-back when an answer was lost. It is handed only orders
// Eligibility takes for kind. Without a journal it sends nothing.
func (c *Client) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	return channel.PerOrder(ctx, Channel, "Yahoo!ショッピング", kind, orders, journal, map[workflow.JobKind]channel.OrderStep{
		workflow.JobConfirm:       c.take,
		workflow.JobPaymentReview: c.readPayment,
		workflow.JobShipReport:    c.reportShipment,
		workflow.JobComplete:      c.complete,
	})
}

// take marks a new order taken (処理中): OrderStatus 2, which Yahoo records as seen.
func (c *Client) take(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, bool, error) {
	id := o.MarketplaceNumber()
	return c.write(ctx, journal, o, writeSpec{done: LinkTaken, failed: LinkTakeError, what: "注文ステータス「処理中」",
		applied: func(info OrderInfo) bool { return info.OrderStatus == OrderProcessing && info.IsSeen },
		send:    func(ctx context.Context) error { return c.SetStatus(ctx, id, OrderProcessing, "") }})
}

// readPayment reads the order's payment (入金確認). A paid order, or one paid after shipment
// (代引, 後払い), goes on; a prepaid one not yet paid waits for the next look; a cancelled one
// goes to the error phase.
func (c *Client) readPayment(ctx context.Context, o order.Order, _ channel.Journal) (channel.Result, bool, error) {
	info, err := c.GetOrder(ctx, o.MarketplaceNumber())
	if e := (*channel.Error)(nil); errors.As(err, &e) && e.Class == channel.Rejected {
		return fail(o, LinkPaymentError, e.Message), true, nil
	}
	if err != nil {
		return channel.Result{}, false, err
	}
	fresh, err := ToOrder(info)
	if err != nil {
		return fail(o, LinkPaymentError, "Yahoo!ショッピングの注文を読み取れませんでした: "+err.Error()), true, nil
	}
	fresh.Number = o.Number
	switch {
	case info.OrderStatus == OrderCancelled:
		r := fail(o, LinkPaymentError, MsgCancelled)
		r.Refreshed = &fresh
		return r, true, nil
	case info.Pay.PayStatus == PayPaid || !Prepaid(info.Pay):
		return channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkPaid), Refreshed: &fresh}, true, nil
	}
	return channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: fmt.Sprintf("「%s」の入金を待っています。", fresh.PaymentMethod),
		Refreshed: &fresh, Pending: true, RecheckAfter: workflow.DefaultPollInterval}, true, nil
}

// reportShipment reports the order's shipment: ShipStatus 3 (出荷済み), ShipDate,
// ShipCompanyCode and ShipInvoiceNumber1, or the EmptyReason when there is no tracking number.
func (c *Client) reportShipment(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, bool, error) {
	s := order.Shipment{}
	if len(o.Shipments) > 0 {
		s = o.Shipments[len(o.Shipments)-1]
	}
	sc, msg := ShipChangeFor(s, time.Now())
	if msg != "" {
		return fail(o, LinkShipReportError, msg), true, nil
	}
	id := o.MarketplaceNumber()
	return c.write(ctx, journal, o, writeSpec{done: LinkShipReported, failed: LinkShipReportError, what: "出荷情報",
		applied: func(info OrderInfo) bool { return info.HoldsShipment(sc) },
		send:    func(ctx context.Context) error { return c.ReportShipment(ctx, id, sc) }})
}

// complete sets OrderStatus 5 (完了). Yahoo refuses it right after the ship-status change: the
// order then waits CompleteRetry in the phase and is tried again.
func (c *Client) complete(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, bool, error) {
	id := o.MarketplaceNumber()
	return c.write(ctx, journal, o, writeSpec{done: LinkCompleted, failed: LinkCompleteError, what: "注文ステータス「完了」", status: OrderCompleted,
		applied: func(info OrderInfo) bool { return info.OrderStatus == OrderCompleted },
		send:    func(ctx context.Context) error { return c.SetStatus(ctx, id, OrderCompleted, "") }})
}

// writeSpec is one Yahoo write and how to tell that it took effect.
type writeSpec struct {
	done, failed workflow.LinkStatus
	what         string
	applied      func(OrderInfo) bool
	send         func(context.Context) error
	// status, when set, is the OrderStatus once the write is in: the order's marketplace status
	// follows at once.
	status int
}

func (w writeSpec) doneFor(o order.Order, message string) channel.Result {
	r := channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(w.done), Message: message}
	if w.status != 0 {
		o.MarketplaceStatus, o.MarketplaceStatusRaw, o.MarketplaceUpdatedAt = StatusOf(OrderInfo{OrderStatus: w.status}), StatusLabel(w.status), time.Now()
		r.Refreshed = &o
	}
	return r
}

// write sends one write at most once (channel.WriteOnce): a lost answer is settled by reading
// the order back (orderInfo) at once. A completion Yahoo refuses as too soon after the ship
// status waits CompleteRetry and is sent again.
func (c *Client) write(ctx context.Context, journal channel.Journal, o order.Order, w writeSpec) (channel.Result, bool, error) {
	return channel.WriteOnce(ctx, journal, channel.Once{Order: o, What: w.what, Send: w.send,
		ReadBack: func(ctx context.Context, why string) (channel.Result, bool, error) { return c.settle(ctx, o, w, why) },
		Done:     func(message string) channel.Result { return w.doneFor(o, message) },
		Failed:   func(message string) channel.Result { return fail(o, w.failed, message) },
		Refused: func(err error) (channel.Result, bool) {
			var e *channel.Error
			if errors.As(err, &e) && e.Code == CodeCompleteTooSoon {
				return channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: "出荷ステータスの変更直後のため、Yahoo!ショッピングが完了を受け付けませんでした。しばらく待って再送信します。",
					Pending: true, RecheckAfter: CompleteRetry}, true
			}
			return channel.Result{}, false
		},
		Lost: w.what + "の送信の応答がありませんでした。注文を再取得して反映されたかを確かめます。"})
}

// settle reads the order back after a write whose outcome is unknown and decides the order when
// the write shows; when it does not, the order is undecided and the caller sends it.
func (c *Client) settle(ctx context.Context, o order.Order, w writeSpec, why string) (channel.Result, bool, error) {
	info, err := c.GetOrder(ctx, o.MarketplaceNumber())
	if e := (*channel.Error)(nil); errors.As(err, &e) && e.Class == channel.Rejected {
		return fail(o, w.failed, e.Message), true, nil
	}
	if err != nil {
		return channel.Result{}, false, err
	}
	switch {
	case w.applied(info):
		c.note(ctx, o, why+"注文を再取得しました: "+w.what+"は反映済みでした。再送信はしていません。")
		return w.doneFor(o, why+"注文を再取得し、"+w.what+"が反映済みであることを確認しました。"), true, nil
	case info.OrderStatus == OrderCancelled:
		c.note(ctx, o, why+"注文を再取得しました: キャンセル済みでした。")
		return fail(o, w.failed, MsgCancelled), true, nil
	}
	c.note(ctx, o, why+"注文を再取得しました: "+w.what+"は反映されていなかったため、送信します。")
	return channel.Result{}, false, nil
}

// note adds a row to the API call history that says what a read-back found.
func (c *Client) note(ctx context.Context, o order.Order, what string) {
	channel.NoteReadBack(ctx, c.Recorder, c.IchigenShopID, o, what)
}

func fail(o order.Order, status workflow.LinkStatus, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, LinkStatus: string(status), Message: msg}
}

func messageOf(err error) string { return channel.MessageOf(err) }
