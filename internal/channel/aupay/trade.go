package aupay

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// MsgNoShipDate is the refusal of a ship report without a ship date (seed 000): nothing is sent.
const MsgNoShipDate = "「発送日」が登録されていません。"

// SearchPage runs one searchTradeInfoListProc page: trades ordered on the days from..to (Japan
// time, both included), pageSize of them from the 1-based startCount, oldest first.
func (c *Client) SearchPage(ctx context.Context, from, to time.Time, startCount, pageSize int) (Response, error) {
	return c.get(ctx, OpSearchTradeInfoList, url.Values{
		"totalCount": {strconv.Itoa(pageSize)},
		"startCount": {strconv.Itoa(startCount)},
		"dateType":   {strconv.Itoa(DateTypeOrdered)},
		"startDate":  {from.In(order.JST).Format(SearchDateLayout)},
		"endDate":    {to.In(order.JST).Format(SearchDateLayout)},
	})
}

// Fetch returns the trades to import that were ordered between from and to: every one but a
// cancelled trade (IsImportTarget). The API searches whole days, so the days from..to are paged
// through and the trades outside the window left out. Paging stops at the first page shorter
// than a full one; resultCount is not relied on, as clients of the API read it differently.
func (c *Client) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	if !from.Before(to) {
		return nil, nil
	}
	seen := map[string]bool{}
	var out []order.Order
	start := from.Truncate(time.Minute) // orderDate has minutes only
	for startCount := 1; ; {
		resp, err := c.SearchPage(ctx, from, to, startCount, MaxPageSize)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		fresh := 0
		for _, t := range resp.OrderInfo {
			id := strings.TrimSpace(t.OrderID)
			if seen[id] {
				continue
			}
			seen[id] = true
			fresh++
			if !IsImportTarget(t.OrderStatus) {
				continue
			}
			o, err := ToOrder(t)
			if err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
			if o.OrderedAt.Before(start) || o.OrderedAt.After(to) {
				continue
			}
			out = append(out, o)
		}
		if len(resp.OrderInfo) < MaxPageSize {
			return out, nil
		}
		if fresh == 0 { // a full page of trades already seen: the paging does not move on
			return nil, &channel.Error{Channel: Channel, Operation: OpSearchTradeInfoList, HTTPStatus: 200, Class: channel.Transient,
				Message: fmt.Sprintf("au PAY マーケットが%d件目からのページに前のページと同じ取引を返しました。続く場合は連携履歴を添えてサポートに連絡してください。", startCount)}
		}
		startCount += len(resp.OrderInfo)
	}
}

// GetTrade reads one trade back (searchTradeInfoProc).
func (c *Client) GetTrade(ctx context.Context, orderID string) (OrderInfo, error) {
	resp, err := c.get(ctx, OpSearchTradeInfo, url.Values{"orderId": {orderID}})
	if err != nil {
		return OrderInfo{}, err
	}
	if len(resp.OrderInfo) != 1 {
		return OrderInfo{}, &channel.Error{Channel: Channel, Operation: OpSearchTradeInfo, HTTPStatus: 200, Class: channel.Transient,
			Message: fmt.Sprintf("au PAY マーケットがこの取引を%d件で返しました。続く場合は連携履歴を添えてサポートに連絡してください。", len(resp.OrderInfo))}
	}
	return resp.OrderInfo[0], nil
}

// Refetch reads orders back from au PAY Market by number, whatever their status (注文情報ステータス
// 取得). A number au does not know is left out; any other failure ends the run with what was
// read so far.
func (c *Client) Refetch(ctx context.Context, numbers []string) ([]order.Order, error) {
	out := make([]order.Order, 0, len(numbers))
	for _, n := range numbers {
		t, err := c.GetTrade(ctx, n)
		var e *channel.Error
		if errors.As(err, &e) && e.Code == CodeNotFound {
			continue
		}
		if err != nil {
			return out, err
		}
		o, err := ToOrder(t)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

// UpdateShipping reports a shipment (updateTradeInfoProc): the ship date (YYYY-MM-DD), ichigen's
// carrier code and the tracking number. A blank tracking number is allowed (seed 000); a missing
// ship date, a carrier au cannot take or a tracking number that fails its carrier's check is
// refused before anything is sent. The order status is not changed: UpdateStatus does that.
//
// On a channel.UnknownOutcome error, ShippingApplied tells whether the report took effect.
func (c *Client) UpdateShipping(ctx context.Context, orderID, shipDate, carrier, number string) error {
	req, err := c.shippingRequest(orderID, shipDate, carrier, number)
	if err != nil {
		return err
	}
	_, err = c.post(ctx, OpUpdateTradeInfo, req)
	return err
}

func (c *Client) shippingRequest(orderID, shipDate, carrier, number string) (UpdateTradeInfoRequest, error) {
	refuse := func(msg string) (UpdateTradeInfoRequest, error) {
		return UpdateTradeInfoRequest{}, &channel.Error{Channel: Channel, Operation: OpUpdateTradeInfo, Class: channel.Rejected, Message: msg}
	}
	if strings.TrimSpace(shipDate) == "" {
		return refuse(MsgNoShipDate + "注文詳細で発送日を入力してから、もう一度処理フェーズを移動してください。")
	}
	date, err := ParseDate(shipDate)
	if err != nil {
		return refuse(fmt.Sprintf("発送日「%s」を日付として読めません。注文詳細で発送日を入力し直してください。", shipDate))
	}
	// The last check before au hears of it: a date far ahead (a typo, or one stored before the
	// order page checked it) would be reflected and the trade completed. The lower bound, the
	// order's date, is the order page's and the API's to check when the date is entered.
	if msg := order.CheckShipDate(date.Format(time.DateOnly), time.Time{}, time.Now()); msg != "" {
		return refuse(msg)
	}
	number = order.NormaliseTrackingNumber(number)
	auCarrier := ""
	if carrier != "" {
		var ok bool
		if auCarrier, ok = CarrierCode(carrier); !ok {
			name := carrier
			if cr, known := channel.CarrierByCode(carrier); known {
				name = cr.Name
			}
			return refuse(fmt.Sprintf("配送会社「%s」はau PAY マーケットへ連携できません(連携できるのはヤマト運輸・佐川急便・日本郵便です)。配送会社を選び直すか、Wow! managerで登録してください。", name))
		}
	}
	if number != "" {
		if carrier == "" {
			return refuse("配送番号が入力されていますが配送会社が選ばれていません。注文詳細で配送会社を選んでください。")
		}
		if msg := channel.ValidateTracking(carrier, number); msg != "" {
			return refuse(msg)
		}
	}
	return UpdateTradeInfoRequest{ShopID: c.ShopID, OrderID: orderID, ShippingDate: date.Format(SearchDateLayout),
		ShippingCarrier: auCarrier, ShippingNumber: number}, nil
}

// UpdateStatus sets the trade's order status (updateTradeStsProc), e.g. StatusCompleted (完了)
// for 受注完了ステータス反映. On a channel.UnknownOutcome error, StatusApplied tells whether it
// took effect.
func (c *Client) UpdateStatus(ctx context.Context, orderID, label string) error {
	if !IsSettableStatus(label) {
		return &channel.Error{Channel: Channel, Operation: OpUpdateTradeSts, Class: channel.Rejected,
			Message: fmt.Sprintf("受注ステータス「%s」はau PAY マーケットに反映できません(%s)。", label, strings.Join(SettableStatuses, "・"))}
	}
	_, err := c.post(ctx, OpUpdateTradeSts, UpdateTradeStsRequest{ShopID: c.ShopID, OrderID: orderID, OrderStatus: label})
	return err
}

// CancelTrade cancels a trade (cancelTradeProc). reason is au's cancelReason code ("9" is what
// clients send; the table is not public).
func (c *Client) CancelTrade(ctx context.Context, orderID, reason, comment string) error {
	_, err := c.post(ctx, OpCancelTrade, CancelTradeRequest{ShopID: c.ShopID, OrderID: orderID, CancelReason: reason, CancelComment: comment})
	return err
}

// ShippingApplied reads the trade back and says whether it holds this shipment report: how an
// UpdateShipping that timed out is settled. The trade read is returned too, so its status can
// be stored and the history can say what was found.
func (c *Client) ShippingApplied(ctx context.Context, orderID, shipDate, carrier, number string) (bool, OrderInfo, error) {
	t, err := c.GetTrade(ctx, orderID)
	if err != nil {
		return false, t, err
	}
	return t.HoldsShipping(shipDate, carrier, number), t, nil
}

// StatusApplied reads the trade back and says whether its status is label: how an UpdateStatus
// that timed out is settled.
func (c *Client) StatusApplied(ctx context.Context, orderID, label string) (bool, OrderInfo, error) {
	t, err := c.GetTrade(ctx, orderID)
	if err != nil {
		return false, t, err
	}
	return t.HoldsStatus(label), t, nil
}
