package rakuten

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// MsgNoShipment is the refusal of a ship report without a shipment.
const MsgNoShipment = "出荷情報(発送日・配送会社・配送番号)が登録されていません。注文詳細で入力してから、もう一度処理フェーズを移動してください。"

// resultPolls bounds how often an async shipping result is asked for.
const resultPolls = 10

// ReportShipments reports orders' shipments (発送完了報告) with updateOrderShippingAsync, 100 orders
// per call. Each order is read back from RMS first, and a parcel RMS already holds (same carrier
// and tracking number) is never sent again: a report interrupted at any point, or repeated by
// the operator, does not register a shipment twice. A bundle child is never reported; its parent
// is, under its own number.
func (c *Client) ReportShipments(ctx context.Context, orders []order.Order) ([]channel.Result, error) {
	var results []channel.Result
	byNumber := map[string]order.Order{}
	var numbers []string
	for _, o := range orders {
		if !o.ManagementClass.Reportable() {
			// A bundle child travels with its parent, which is reported under its own number.
			results = append(results, channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Message: "同梱親の注文で発送完了報告します。"})
			continue
		}
		if msg := shipmentProblem(o); msg != "" {
			results = append(results, fail(o, workflow.LinkShipReportError, msg))
			continue
		}
		byNumber[o.Number] = o
		numbers = append(numbers, o.Number)
	}
	for i := 0; i < len(numbers); i += MaxOrdersPerCall {
		got, err := c.reportBatch(ctx, numbers[i:min(i+MaxOrdersPerCall, len(numbers))], byNumber)
		results = append(results, got...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
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
		if msg := channel.ValidateTracking(s.Carrier, order.NormaliseTrackingNumber(s.TrackingNumber)); msg != "" {
			return msg
		}
	}
	return ""
}

func (c *Client) reportBatch(ctx context.Context, numbers []string, orders map[string]order.Order) ([]channel.Result, error) {
	var results []channel.Result
	for attempt := 0; ; attempt++ {
		// Read back what RMS holds, and send only what it lacks.
		models, err := c.GetOrders(ctx, numbers)
		if err != nil {
			return results, err
		}
		var requests []UpdateOrderShippingRequest
		for _, m := range models {
			o := orders[m.OrderNumber]
			switch {
			case m.OrderProgress == ProgressCancelPending || m.OrderProgress == ProgressCancelConfirmed:
				results = append(results, fail(o, workflow.LinkShipReportError, "キャンセルされた注文のため発送完了報告できません。RMSで注文の状態を確認してください。"))
				continue
			case m.OrderProgress < ProgressAwaitingShip:
				results = append(results, fail(o, workflow.LinkShipReportError, "発送待ちになっていない注文のため発送完了報告できません。注文確認・決済審査が済んでいるかRMSで確認してください。"))
				continue
			}
			req, missing, unmatched := shippingRequest(o, m)
			if unmatched != "" {
				results = append(results, fail(o, workflow.LinkShipReportError, fmt.Sprintf("出荷情報の送付先「%s」がRMSの注文にありません。注文詳細で送付先を選び直してください。", unmatched)))
				continue
			}
			if !missing {
				results = append(results, channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(workflow.LinkShipReported)})
				continue
			}
			requests = append(requests, req)
		}
		if len(requests) == 0 {
			return results, nil
		}
		requestID, err := c.UpdateShippingAsync(ctx, requests)
		if channel.ClassOf(err) == channel.UnknownOutcome && attempt < unknownOutcomeRetries {
			numbers = numbersOf(requests)
			continue // read back and send what is still missing
		}
		if err != nil {
			return results, err
		}
		got, err := c.collectShippingResults(ctx, requestID, orders)
		results = append(results, got...)
		return results, err
	}
}

// shippingRequest builds the adds an order needs: its shipments that RMS does not hold yet. With
// several destinations, a shipment must name one of RMS's baskets; the first that does not is
// returned as unmatched.
func shippingRequest(o order.Order, m OrderModel) (req UpdateOrderShippingRequest, missing bool, unmatched string) {
	req = UpdateOrderShippingRequest{OrderNumber: o.Number}
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

func numbersOf(reqs []UpdateOrderShippingRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.OrderNumber
	}
	return out
}

// collectShippingResults reads an async update's per-order results.
func (c *Client) collectShippingResults(ctx context.Context, requestID string, orders map[string]order.Order) ([]channel.Result, error) {
	var res []ResultShipping
	var err error
	for poll := 0; poll < resultPolls; poll++ {
		if res, err = c.ShippingResult(ctx, requestID); err == nil || channel.ClassOf(err) != channel.Rejected {
			break
		}
		select { // not ready yet
		case <-time.After(time.Second):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	var results []channel.Result
	for _, r := range res {
		o, ok := orders[r.OrderNumber]
		if !ok {
			continue
		}
		var errs []string
		for _, m := range r.MessageModelList {
			if m.MessageType == "ERROR" {
				errs = append(errs, fmt.Sprintf("%s (%s)", m.Message, m.MessageCode))
			}
		}
		if len(errs) > 0 {
			results = append(results, fail(o, workflow.LinkShipReportError, "発送完了報告がRMSに受け付けられませんでした: "+strings.Join(errs, " / ")))
			continue
		}
		results = append(results, channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(workflow.LinkShipReported)})
	}
	return results, nil
}
