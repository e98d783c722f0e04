package rakuten

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// MsgCancelledShipReport is the refusal of a ship report for an order RMS has cancelled.
const MsgCancelledShipReport = "キャンセルされた注文のため発送完了報告できません。RMSで注文の状態を確認してください。"

// MsgNoShipment is the refusal of a ship report without a shipment.
const MsgNoShipment = "出荷情報(発送日・配送会社・配送番号)が登録されていません。注文詳細で入力してから、もう一度処理フェーズを移動してください。"

// Ship report timing. RMS applies updateOrderShippingAsync some seconds after accepting it; its
// result is asked for ResultDelay later, and again every ResultDelay while it is not ready.
const (
	ResultDelay = 3 * time.Second
	// DefaultAsyncSettle is how long a request whose answer never came is left alone before the
	// orders are read back: long enough for RMS to have applied it if it was taken, so that a
	// parcel still waiting inside RMS is not sent a second time.
	DefaultAsyncSettle = 10 * time.Minute
)

// An order being reported (発送完了報告中) keeps, as its link reference, the requestId RMS gave
// and when its result is first asked for ("request:<id>@<unix ms>"; a reference without the
// time is asked for at once) or, when the request's answer was lost, when it was sent
// ("sent:<unix>").
const (
	refRequest = "request:"
	refSent    = "sent:"
)

// requestRef is the reference of orders sent in requestID, whose result is asked for at ask.
func requestRef(requestID string, ask time.Time) string {
	return refRequest + requestID + "@" + strconv.FormatInt(ask.UnixMilli(), 10)
}

// parseRequestRef reads a "request:" reference: the requestId, and how long until its result
// is asked for (0: now).
func parseRequestRef(ref string) (requestID string, wait time.Duration) {
	id, at, ok := strings.Cut(strings.TrimPrefix(ref, refRequest), "@")
	if !ok {
		return id, 0
	}
	ms, err := strconv.ParseInt(at, 10, 64)
	if err != nil {
		return id, 0
	}
	return id, max(0, time.Until(time.UnixMilli(ms)))
}

// ReportShipments reports orders' shipments (発送完了報告) with updateOrderShippingAsync, 100 orders
// per call, and settles them through getResultUpdateOrderShippingAsync on a later run: an order
// sent comes back Pending (発送完了報告中) with the requestId, and the dispatcher looks again.
//
// A parcel is never registered twice: an order that ichigen never tried to report is sent from
// its imported snapshot (RMS holds no parcel of ichigen's for it), and any other is read back
// first and only what RMS lacks is sent. A request whose answer was lost is read back only after
// AsyncSettle, once RMS has surely applied it. It is handed only orders Eligibility takes: never
// a bundle child, whose parent is reported under its own number. The orders are marked in journal before they are sent; without a
// journal nothing is sent.
func (c *Client) ReportShipments(ctx context.Context, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	if journal == nil {
		return nil, channel.ErrNoJournal
	}
	var results []channel.Result
	var readBack []order.Order
	var send []UpdateOrderShippingRequest
	byNumber := map[string]order.Order{}
	byRequest := map[string][]order.Order{}
	var requestIDs []string
	for _, o := range orders {
		if _, ok := byNumber[o.MarketplaceNumber()]; ok {
			// Split orders share their RMS number, and one request may name an order once: the
			// second of a split waits for the next run (within seconds), and is read back then.
			continue
		}
		byNumber[o.MarketplaceNumber()] = o
		if workflow.LinkStatus(o.LinkStatus) == LinkShipReporting {
			switch ref := o.LinkRef; {
			case strings.HasPrefix(ref, refRequest):
				id, wait := parseRequestRef(ref)
				if wait > 0 {
					// Asking before RMS can have applied it costs a call for nothing.
					results = append(results, reporting(o, ref, wait))
					continue
				}
				if _, ok := byRequest[id]; !ok {
					requestIDs = append(requestIDs, id)
				}
				byRequest[id] = append(byRequest[id], o)
				continue
			case strings.HasPrefix(ref, refSent):
				if wait := c.settleLeft(ref); wait > 0 {
					results = append(results, reporting(o, ref, wait))
					continue
				}
			}
			readBack = append(readBack, o)
			continue
		}
		if msg := shipmentProblem(o); msg != "" {
			results = append(results, fail(o, LinkShipReportError, msg))
			continue
		}
		if req, ok := firstReport(o); ok {
			send = append(send, req)
			continue
		}
		readBack = append(readBack, o)
	}
	for _, id := range requestIDs {
		got, unsettled, err := c.settle(ctx, id, byRequest[id])
		results = append(results, got...)
		if err != nil {
			return results, err
		}
		readBack = append(readBack, unsettled...)
	}
	for i := 0; i < len(readBack); i += MaxOrdersPerCall {
		got, missing, err := c.readBackShipping(ctx, readBack[i:min(i+MaxOrdersPerCall, len(readBack))])
		results = append(results, got...)
		if err != nil {
			return results, err
		}
		send = append(send, missing...)
	}
	for i := 0; i < len(send); i += MaxOrdersPerCall {
		got, err := c.sendShipping(ctx, journal, send[i:min(i+MaxOrdersPerCall, len(send))], byNumber)
		results = append(results, got...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

func (c *Client) asyncSettle() time.Duration {
	if c.AsyncSettle > 0 {
		return c.AsyncSettle
	}
	return DefaultAsyncSettle
}

// settleLeft says how long a request sent at ref ("sent:<unix>") still waits before its orders
// are read back.
func (c *Client) settleLeft(ref string) time.Duration {
	sec, err := strconv.ParseInt(strings.TrimPrefix(ref, refSent), 10, 64)
	if err != nil {
		return 0
	}
	return time.Until(time.Unix(sec, 0).Add(c.asyncSettle()))
}

func reporting(o order.Order, ref string, recheck time.Duration) channel.Result {
	msg := "RMSが発送完了報告を処理しています。"
	if strings.HasPrefix(ref, refSent) {
		msg = "発送完了報告の応答がありませんでした。RMSが処理し終える時間をおいて、登録されたかを確かめます。"
	}
	return channel.Result{OrderID: o.ID, LinkStatus: string(LinkShipReporting), Message: msg, Pending: true, Ref: ref, RecheckAfter: recheck}
}

// firstReport builds the request of an order ichigen has not tried to report before, from its
// imported snapshot: RMS holds none of ichigen's parcels for it, so nothing needs reading back.
func firstReport(o order.Order) (UpdateOrderShippingRequest, bool) {
	switch workflow.LinkStatus(o.LinkStatus) {
	case LinkShipReported, LinkShipReportError, LinkShipReporting:
		return UpdateOrderShippingRequest{}, false
	}
	var m OrderModel
	if o.SplitFromID != 0 || len(o.RawPayload) == 0 || json.Unmarshal(o.RawPayload, &m) != nil || m.OrderNumber != o.Number || len(m.PackageModelList) == 0 {
		return UpdateOrderShippingRequest{}, false
	}
	req, missing, unmatched := shippingRequest(o, m)
	return req, missing && unmatched == ""
}

// shipmentProblem checks an order's shipments before anything is sent.
func shipmentProblem(o order.Order) string {
	if len(o.Shipments) == 0 {
		return MsgNoShipment
	}
	for _, s := range o.Shipments {
		if s.ShipDate == "" {
			return "「発送日」が登録されていません。注文詳細で発送日を入力してください。"
		}
		if _, err := time.Parse("2006-01-02", s.ShipDate); err != nil {
			return fmt.Sprintf("発送日「%s」の形式が正しくありません。", s.ShipDate)
		}
		// A date far ahead (a typo, or one stored before the order page checked it) would be
		// reported and the order completed; the order's own date is checked where it is entered.
		if msg := order.CheckShipDate(s.ShipDate, time.Time{}, time.Now()); msg != "" {
			return msg
		}
		if msg := channel.ValidateTracking(s.Carrier, order.NormaliseTrackingNumber(s.TrackingNumber)); msg != "" {
			return msg
		}
	}
	return ""
}

// readBackShipping reads orders from RMS and decides those that need nothing sent; it returns
// the requests for what RMS lacks.
func (c *Client) readBackShipping(ctx context.Context, orders []order.Order) ([]channel.Result, []UpdateOrderShippingRequest, error) {
	byNumber := map[string]order.Order{}
	numbers := make([]string, len(orders))
	for i, o := range orders {
		byNumber[o.MarketplaceNumber()], numbers[i] = o, o.MarketplaceNumber()
	}
	models, err := c.GetOrders(ctx, numbers)
	if err != nil {
		return nil, nil, err
	}
	var results []channel.Result
	var requests []UpdateOrderShippingRequest
	for _, m := range models {
		o, ok := byNumber[m.OrderNumber]
		if !ok {
			continue
		}
		delete(byNumber, m.OrderNumber)
		switch {
		case m.OrderProgress == ProgressCancelPending || m.OrderProgress == ProgressCancelConfirmed:
			results = append(results, fail(o, LinkShipReportError, MsgCancelledShipReport))
			continue
		case m.OrderProgress < ProgressAwaitingShip:
			results = append(results, fail(o, LinkShipReportError, "発送待ちになっていない注文のため発送完了報告できません。注文確認・決済審査が済んでいるかRMSで確認してください。"))
			continue
		}
		req, missing, unmatched := shippingRequest(o, m)
		switch {
		case unmatched != "":
			results = append(results, fail(o, LinkShipReportError, fmt.Sprintf("出荷情報の送付先「%s」がRMSの注文にありません。注文詳細で送付先を選び直してください。", unmatched)))
		case !missing:
			results = append(results, reported(o, m.OrderProgress))
		default:
			requests = append(requests, req)
		}
	}
	for _, o := range byNumber {
		results = append(results, fail(o, LinkShipReportError, "RMSにこの注文番号の注文がありません。注文番号を確認してください。"))
	}
	return results, requests, nil
}

// sendShipping sends one updateOrderShippingAsync of at most 100 orders. Before the request
// leaves, the orders are marked in the journal as sent now, so that nothing that happens after
// the send (a lost answer, a crash, a failed commit) can send them again: they would be read back
// after AsyncSettle. The orders come back Pending with the requestId; with a lost answer, with
// the time they were sent. When RMS surely did not take the request, the mark is undone.
func (c *Client) sendShipping(ctx context.Context, journal channel.Journal, requests []UpdateOrderShippingRequest, orders map[string]order.Order) ([]channel.Result, error) {
	var intent []channel.Result
	mark := func() error {
		// Marked once the call's slot has come, just before the request leaves: RMS cannot
		// have taken it earlier than this, so AsyncSettle counts from here.
		// The second is rounded up, so the wait never ends before AsyncSettle has passed.
		sent := refSent + strconv.FormatInt(time.Now().Unix()+1, 10)
		marks := make([]channel.Result, 0, len(requests))
		for _, r := range requests {
			marks = append(marks, reporting(orders[r.OrderNumber], sent, c.asyncSettle()))
		}
		if err := journal.Intend(ctx, marks); err != nil {
			return fmt.Errorf("mark orders as being reported: %w", err) // nothing was sent
		}
		intent = marks
		return nil
	}
	var resp UpdateOrderShippingAsyncResponse
	err := c.sendAfterSlot(ctx, "updateOrderShippingAsync", UpdateOrderShippingAsyncRequest{OrderShippingModelList: requests}, &resp, mark)
	if intent == nil { // the mark itself failed, or the slot never came: nothing was sent
		return nil, err
	}
	requestID := resp.RequestID
	switch {
	case err != nil && channel.Unsent(err):
		undo := make([]channel.Result, 0, len(requests))
		for _, r := range requests {
			o := orders[r.OrderNumber]
			undo = append(undo, channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: o.LinkMessage, Ref: o.LinkRef})
		}
		// Should the undo fail too, the orders are read back after AsyncSettle: later, not twice.
		_ = journal.Intend(context.WithoutCancel(ctx), undo)
		return nil, err
	case err != nil:
		return intent, nil // the answer was lost: read back once RMS has surely applied it
	}
	results := make([]channel.Result, 0, len(requests))
	ref := requestRef(requestID, time.Now().Add(ResultDelay))
	for _, r := range requests {
		results = append(results, reporting(orders[r.OrderNumber], ref, ResultDelay))
	}
	return results, nil
}

// settle reads the result of an async update that orders were sent in. Orders RMS has no
// result for (the result expired, or the request was never taken) are returned to be read back.
func (c *Client) settle(ctx context.Context, requestID string, orders []order.Order) (results []channel.Result, unsettled []order.Order, err error) {
	res, err := c.ShippingResult(ctx, requestID)
	switch {
	case err == ErrResultNotReady:
		ref := requestRef(requestID, time.Now().Add(ResultDelay))
		for _, o := range orders {
			results = append(results, reporting(o, ref, ResultDelay))
		}
		return results, nil, nil
	case channel.ClassOf(err) == channel.Rejected:
		return nil, orders, nil // no such request at RMS: look at the orders themselves
	case err != nil:
		return nil, nil, err
	}
	byNumber := map[string]ResultShipping{}
	for _, r := range res {
		byNumber[r.OrderNumber] = r
	}
	for _, o := range orders {
		r, ok := byNumber[o.MarketplaceNumber()]
		if !ok {
			unsettled = append(unsettled, o)
			continue
		}
		var errs []string
		for _, m := range r.MessageModelList {
			if m.MessageType == "ERROR" {
				errs = append(errs, fmt.Sprintf("%s (%s)", m.Message, m.MessageCode))
			}
		}
		if len(errs) > 0 {
			results = append(results, fail(o, LinkShipReportError, "発送完了報告がRMSに受け付けられませんでした: "+strings.Join(errs, " / ")))
			continue
		}
		results = append(results, reported(o, ProgressShipped))
	}
	return results, unsettled, nil
}

// reported is the result of an order whose shipment RMS holds.
func reported(o order.Order, progress int) channel.Result {
	return followRMS(channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkShipReported)}, o, progress)
}

// followRMS gives a result the order's marketplace status as RMS now has it (発送済 once a report
// is applied, 楽天処理中 once an order is confirmed), when that differs from the stored one: no
// later import reads an older order again, so the list would keep showing the old status.
func followRMS(r channel.Result, o order.Order, progress int) channel.Result {
	if progress != 0 && strconv.Itoa(progress) != o.MarketplaceStatusRaw {
		o.MarketplaceStatus, o.MarketplaceStatusRaw, o.MarketplaceUpdatedAt = StatusOf(progress), strconv.Itoa(progress), time.Now()
		r.Refreshed = &o
	}
	return r
}

// shippingRequest builds the adds an order needs: its shipments that RMS does not hold yet. With
// several destinations, a shipment must name one of RMS's baskets; the first that does not is
// returned as unmatched.
func shippingRequest(o order.Order, m OrderModel) (req UpdateOrderShippingRequest, missing bool, unmatched string) {
	req = UpdateOrderShippingRequest{OrderNumber: o.MarketplaceNumber()}
	if len(m.PackageModelList) > 1 {
		baskets := map[string]bool{}
		for _, p := range m.PackageModelList {
			baskets[strconv.FormatInt(p.BasketID, 10)] = true
		}
		for _, s := range o.Shipments {
			if !baskets[s.PackageKey] {
				return req, false, s.PackageKey
			}
		}
	}
	for _, p := range m.PackageModelList {
		basket := BasketShipping{BasketID: p.BasketID}
		for _, s := range o.Shipments {
			if len(m.PackageModelList) > 1 && s.PackageKey != strconv.FormatInt(p.BasketID, 10) {
				continue
			}
			number := order.NormaliseTrackingNumber(s.TrackingNumber)
			held := false
			for _, sm := range p.ShippingModelList {
				held = held || (sm.DeliveryCompany == s.Carrier && order.NormaliseTrackingNumber(sm.ShippingNumber) == number)
			}
			if !held {
				basket.ShippingModelList = append(basket.ShippingModelList, ShippingModel{DeliveryCompany: s.Carrier, ShippingNumber: number, ShippingDate: s.ShipDate})
				missing = true
			}
		}
		if len(basket.ShippingModelList) > 0 {
			req.BasketidModelList = append(req.BasketidModelList, basket)
		}
	}
	return req, missing, ""
}
