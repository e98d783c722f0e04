package yahoo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// refSent marks, as the order's link reference, a write sent at a time (unix seconds) whose
// outcome is not recorded yet: the next run reads the order back before sending anything.
const refSent = "sent:"

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

// write sends one write at most once. An order marked as sent by an earlier run whose outcome
// was never recorded is read back first. Before the write leaves, the order is marked in the
// journal; a lost answer is settled by reading the order back (orderInfo), and the history says
// what was found.
func (c *Client) write(ctx context.Context, journal channel.Journal, o order.Order, w writeSpec) (channel.Result, bool, error) {
	if strings.HasPrefix(o.LinkRef, refSent) {
		r, decided, err := c.settle(ctx, o, w, "前回の送信の結果が記録されていなかったため")
		if err != nil || decided {
			return r, decided, err
		}
	}
	mark := channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: w.what + "を送信しています。", Ref: refSent + strconv.FormatInt(time.Now().Unix(), 10)}
	if err := journal.Intend(ctx, []channel.Result{mark}); err != nil {
		return channel.Result{}, false, fmt.Errorf("mark order %s as being sent: %w", o.Number, err)
	}
	err := w.send(ctx)
	switch {
	case err == nil:
		return w.doneFor(o, ""), true, nil
	case channel.Unsent(err):
		_ = journal.Intend(context.WithoutCancel(ctx), []channel.Result{{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: o.LinkMessage, Ref: o.LinkRef}})
		var e *channel.Error
		if errors.As(err, &e) && e.Code == CodeCompleteTooSoon {
			return channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: "出荷ステータスの変更直後のため、Yahoo!ショッピングが完了を受け付けませんでした。しばらく待って再送信します。",
				Pending: true, RecheckAfter: CompleteRetry}, true, nil
		}
		if channel.ClassOf(err) == channel.Rejected {
			return fail(o, w.failed, messageOf(err)), true, nil
		}
		return channel.Result{}, false, err
	}
	r, decided, serr := c.settle(ctx, o, w, "API接続でタイムアウトエラーが発生したため")
	if serr != nil || !decided {
		return channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: w.what + "の送信の応答がありませんでした。注文を再取得して反映されたかを確かめます。",
			Ref: mark.Ref, Pending: true, RecheckAfter: time.Minute}, true, serr
	}
	return r, true, nil
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
	if c.Recorder == nil {
		return
	}
	jobKind, _ := channel.CallFrom(ctx)
	_, _ = c.Recorder.RecordCall(context.WithoutCancel(ctx), channel.Call{ShopID: c.IchigenShopID, OrderID: o.ID, JobKind: jobKind,
		Operation: channel.OpSettle, Outcome: channel.OutcomeOK, Request: "注文 " + o.Number + " の送信結果の確認", Response: what})
}

func fail(o order.Order, status workflow.LinkStatus, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, LinkStatus: string(status), Message: msg}
}

func messageOf(err error) string {
	var e *channel.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
