package yahoo

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

// MsgNoShipDate is the refusal of a ship report without a ship date: nothing is sent.
const MsgNoShipDate = "「発送日」が登録されていません。"

// SearchPage runs one orderList page: orders placed from..to (whole seconds, Japan time, both
// included), oldest first, pageSize of them from the 1-based start.
func (c *Client) SearchPage(ctx context.Context, from, to time.Time, start, pageSize int) (ListResult, error) {
	return c.searchPage(ctx, Condition{OrderTimeFrom: FormatTime(from), OrderTimeTo: FormatTime(to)}, start, pageSize)
}

// SearchChangedPage runs one orderList page of the orders last changed from..to (whole seconds,
// Japan time, both included), oldest order first.
func (c *Client) SearchChangedPage(ctx context.Context, from, to time.Time, start, pageSize int) (ListResult, error) {
	return c.searchPage(ctx, Condition{LastUpdateTimeFrom: FormatTime(from), LastUpdateTimeTo: FormatTime(to)}, start, pageSize)
}

func (c *Client) searchPage(ctx context.Context, cond Condition, start, pageSize int) (ListResult, error) {
	var out ListResult
	err := c.post(ctx, OpOrderList, OrderListRequest{SellerID: c.SellerID, Search: Search{Result: pageSize, Start: start, Sort: "+order_time",
		Condition: cond, Field: ListFields}}, &out)
	return out, err
}

// listAll pages through one search. Paging follows TotalCount; when TotalCount shrinks between
// two pages (orders changed during the run left a LastUpdateTime window, and those after them
// moved up), the next page starts that many earlier, so no order is skipped: the orders read
// twice, or already listed by an earlier search of the run (seen), are dropped by number. A page that brings no order not seen before stops the run
// rather than loop.
func (c *Client) listAll(ctx context.Context, page func(start int) (ListResult, error), seen map[string]bool) ([]ListOrder, error) {
	var listed []ListOrder
	mine := map[string]bool{} // this search's orders; seen holds those of every search of the run
	total := -1
	for start := 1; ; {
		p, err := page(start)
		if err != nil {
			return nil, err
		}
		if total >= 0 && p.Search.TotalCount < total {
			back := total - p.Search.TotalCount
			total = p.Search.TotalCount
			start = max(1, start-back)
			continue
		}
		total = p.Search.TotalCount
		fresh := 0
		for _, lo := range p.Search.OrderInfo {
			id := strings.TrimSpace(lo.OrderID)
			if id == "" || mine[id] {
				continue
			}
			mine[id], fresh = true, fresh+1
			if !seen[id] {
				seen[id] = true
				listed = append(listed, lo)
			}
		}
		start += len(p.Search.OrderInfo)
		if len(p.Search.OrderInfo) == 0 || start > p.Search.TotalCount {
			return listed, nil
		}
		if fresh == 0 {
			return nil, &channel.Error{Channel: Channel, Operation: OpOrderList, HTTPStatus: 200, Class: channel.Transient,
				Message: fmt.Sprintf("Yahoo!ショッピングが%d件目からのページに前のページと同じ注文を返しました。続く場合は連携履歴を添えてサポートに連絡してください。", start)}
		}
	}
}

// Fetch returns the orders placed between from and to and the orders ichigen holds that changed
// between from and to (searched by LastUpdateTime: payment, cancellation, changes made in
// ストアクリエイターPro), each read whole with orderInfo — one call an order, so only those
// ichigen does not hold as of their LastUpdateTime are read. A cancelled order is read only when
// ichigen holds it. Both ends are searched inclusively at whole seconds, so an order placed or
// changed in the second a window ends is found by this window or the next. When half the job's
// time is spent, it returns what it read with channel.ErrPartial: the next run of the window
// reads the rest.
func (c *Client) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	if !from.Before(to) {
		return nil, nil
	}
	began := time.Now()
	seen := map[string]bool{}
	placed, err := c.listAll(ctx, func(start int) (ListResult, error) { return c.SearchPage(ctx, from, to, start, PageSize) }, seen)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	changed, err := c.listAll(ctx, func(start int) (ListResult, error) { return c.SearchChangedPage(ctx, from, to, start, PageSize) }, seen)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	var listed []ListOrder
	for _, lo := range placed {
		if strings.TrimSpace(lo.OrderStatus) != strconv.Itoa(OrderCancelled) {
			listed = append(listed, lo)
		}
	}
	held, err := c.held(ctx, changed)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	for _, lo := range changed {
		if strings.TrimSpace(lo.OrderStatus) != strconv.Itoa(OrderCancelled) || held[strings.TrimSpace(lo.OrderID)] {
			listed = append(listed, lo)
		}
	}
	toRead, err := c.unread(ctx, listed)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	deadline, hasDeadline := ctx.Deadline()
	out := make([]order.Order, 0, len(toRead))
	for i, id := range toRead {
		if hasDeadline && i > 0 && time.Since(began) > deadline.Sub(began)/2 {
			return out, fmt.Errorf("import: %d of %d orders read: %w", i, len(toRead), channel.ErrPartial)
		}
		info, err := c.GetOrder(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		o, err := ToOrder(info)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		out = append(out, o)
	}
	return out, nil
}

// held says which of the listed orders ichigen holds (none without Stored).
func (c *Client) held(ctx context.Context, listed []ListOrder) (map[string]bool, error) {
	out := map[string]bool{}
	if c.Stored == nil || len(listed) == 0 {
		return out, nil
	}
	ids := make([]string, len(listed))
	for i, lo := range listed {
		ids[i] = strings.TrimSpace(lo.OrderID)
	}
	at, err := c.Stored(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id := range at {
		out[id] = true
	}
	return out, nil
}

// unread returns the numbers of the listed orders ichigen does not hold as of their
// LastUpdateTime: all of them without Stored.
func (c *Client) unread(ctx context.Context, listed []ListOrder) ([]string, error) {
	ids := make([]string, len(listed))
	for i, lo := range listed {
		ids[i] = strings.TrimSpace(lo.OrderID)
	}
	if c.Stored == nil {
		return ids, nil
	}
	held, err := c.Stored(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := ids[:0]
	for i, lo := range listed {
		at, ok := held[ids[i]]
		updated, perr := ParseTime(lo.LastUpdateTime)
		if ok && perr == nil && !at.Before(updated) {
			continue
		}
		out = append(out, ids[i])
	}
	return out, nil
}

// GetOrder reads one order (orderInfo).
func (c *Client) GetOrder(ctx context.Context, id string) (OrderInfo, error) {
	var out ResultSet
	if err := c.post(ctx, OpOrderInfo, OrderInfoRequest{Target: InfoTarget{OrderID: id, Field: InfoFields}, SellerID: c.SellerID}, &out); err != nil {
		return OrderInfo{}, err
	}
	if out.Result.OrderInfo == nil || out.Result.OrderInfo.OrderID != id {
		return OrderInfo{}, &channel.Error{Channel: Channel, Operation: OpOrderInfo, HTTPStatus: 200, Class: channel.Transient,
			Message: "Yahoo!ショッピングが別の注文、または空の注文を返しました。続く場合は連携履歴を添えてサポートに連絡してください。"}
	}
	return *out.Result.OrderInfo, nil
}

// Refetch reads orders back by number, whatever their status. A number Yahoo does not know is
// left out; any other failure ends the run with what was read so far.
func (c *Client) Refetch(ctx context.Context, numbers []string) ([]order.Order, error) {
	out := make([]order.Order, 0, len(numbers))
	for _, n := range numbers {
		info, err := c.GetOrder(ctx, n)
		var e *channel.Error
		if errors.As(err, &e) && e.Code == CodeNotFound {
			continue
		}
		if err != nil {
			return out, err
		}
		o, err := ToOrder(info)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

// Count reads the store's order boxes (orderCount).
func (c *Client) Count(ctx context.Context) (Counts, error) {
	var out CountResult
	err := c.get(ctx, OpOrderCount, url.Values{}, &out)
	return out.Result.Count, err
}

// History reads an order's changes (orderChangeHistory).
func (c *Client) History(ctx context.Context, id string) ([]Change, error) {
	var out HistoryResult
	err := c.get(ctx, OpOrderChangeHistory, url.Values{"orderId": {id}}, &out)
	return out.Result.Changes, err
}

func pointFix(v bool) *bool { return &v }

// SetStatus sets an order's OrderStatus (orderStatusChange): 2 marks a new order taken, 5
// completes it (with IsPointFix true, as Yahoo requires), 4 cancels it with cancelReason.
func (c *Client) SetStatus(ctx context.Context, id string, status int, cancelReason string) error {
	return c.post(ctx, OpOrderStatusChange, StatusChangeRequest{Target: ChangeTarget{OrderID: id, IsPointFix: pointFix(status == OrderCompleted)},
		Order: StatusChange{OrderStatus: status, CancelReason: cancelReason}, SellerID: c.SellerID}, nil)
}

// SetPayStatus sets an order's PayStatus and PayDate (orderPayStatusChange).
func (c *Client) SetPayStatus(ctx context.Context, id string, status int, payDate time.Time) error {
	pc := PayChange{PayStatus: status}
	if !payDate.IsZero() {
		pc.PayDate = payDate.In(order.JST).Format(DateLayout)
	}
	return c.post(ctx, OpOrderPayStatusChange, PayStatusChangeRequest{Target: ChangeTarget{OrderID: id}, Order: PayOrder{Pay: pc}, SellerID: c.SellerID}, nil)
}

// ReportShipment reports a shipment (orderShipStatusChange, ShipStatus 3).
func (c *Client) ReportShipment(ctx context.Context, id string, ship ShipChange) error {
	return c.post(ctx, OpOrderShipStatusChange, ShipStatusChangeRequest{Target: ChangeTarget{OrderID: id, IsPointFix: pointFix(false)},
		Order: ShipOrder{Ship: ship}, SellerID: c.SellerID}, nil)
}

// ShipChangeFor is the ship report of a shipment, or the refusal, before anything is sent, of
// one that cannot go: no ship date, a carrier Yahoo cannot take, a tracking number that fails its
// carrier's check. A shipment without a tracking number goes with ShipInvoiceNumberEmptyReason
// 105 (配送方法上伝票番号なし).
func ShipChangeFor(s order.Shipment, now time.Time) (ShipChange, string) {
	if strings.TrimSpace(s.ShipDate) == "" {
		return ShipChange{}, MsgNoShipDate + "注文詳細で発送日を入力してから、連携ステータスが空欄のまま対象処理フェーズへ移動してください。"
	}
	date, err := ParseDate(s.ShipDate)
	if err != nil {
		return ShipChange{}, fmt.Sprintf("発送日「%s」を日付として読めません。注文詳細で発送日を入力し直してください。", s.ShipDate)
	}
	if msg := order.CheckShipDate(date.Format(time.DateOnly), time.Time{}, now); msg != "" {
		return ShipChange{}, msg
	}
	sc := ShipChange{ShipStatus: ShipShipped, ShipDate: date.Format(DateLayout)}
	if s.Carrier != "" {
		code, ok := CompanyCode(s.Carrier)
		if !ok {
			name := s.Carrier
			if cr, known := channel.CarrierByCode(s.Carrier); known {
				name = cr.Name
			}
			return ShipChange{}, fmt.Sprintf("配送会社「%s」はYahoo!ショッピングへ連携できません。配送会社を選び直すか、ストアクリエイターProで登録してください。", name)
		}
		sc.ShipCompanyCode = code
	}
	number := order.NormaliseTrackingNumber(s.TrackingNumber)
	if number == "" {
		sc.ShipInvoiceNumberEmptyReason = EmptyUntracked
		return sc, ""
	}
	if s.Carrier == "" {
		return ShipChange{}, "配送番号が入力されていますが配送会社が選ばれていません。注文詳細で配送会社を選んでください。"
	}
	if msg := channel.ValidateTracking(s.Carrier, number); msg != "" {
		return ShipChange{}, msg
	}
	sc.ShipInvoiceNumber1 = number
	return sc, ""
}

// HoldsShipment reports whether the order already holds this ship report: how a report whose
// answer was lost is settled.
func (info OrderInfo) HoldsShipment(sc ShipChange) bool {
	s := info.Ship
	return s.ShipStatus >= sc.ShipStatus && s.ShipDate == sc.ShipDate && (sc.ShipCompanyCode == "" || s.ShipCompanyCode == sc.ShipCompanyCode) &&
		order.NormaliseTrackingNumber(s.ShipInvoiceNumber1) == sc.ShipInvoiceNumber1 &&
		(sc.ShipInvoiceNumberEmptyReason == "" || s.ShipInvoiceNumberEmptyReason == sc.ShipInvoiceNumberEmptyReason)
}
