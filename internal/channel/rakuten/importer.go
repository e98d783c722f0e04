package rakuten

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Fetch returns the orders to import that were placed, or reached 発送待ち, between from and to:
// common-settlement orders from 注文確認待ち to 発送待ち, selective-settlement orders at 発送待ち only
// (楽天ペイ: Rakuten settles the former, the shop the latter), and any order at 注文確認待ち whose
// amounts are not fixed (postage -9999), which waits for the shop. Windows longer than the API's 63
// days are split, and a window with more hits than the API lets one page through is halved, so
// no order is missed however long the gap to catch up.
func (c *Client) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	numbers := map[string]bool{}
	var ordered []string
	for start := from; start.Before(to); start = start.Add(MaxSearchWindow) {
		end := start.Add(MaxSearchWindow)
		if end.After(to) {
			end = to
		}
		// Placed in the window (any import target), and fixed in it (selective orders reach
		// 発送待ち long after they were placed).
		for _, q := range []struct {
			dateType int
			progress []int
		}{
			{DateOrdered, []int{ProgressUnconfirmed, ProgressInReview, ProgressAwaitingShip}},
			{DateFixed, []int{ProgressAwaitingShip}},
		} {
			found, err := c.searchAll(ctx, q.dateType, q.progress, start, end)
			if err != nil {
				return nil, err
			}
			for _, n := range found {
				if !numbers[n] {
					numbers[n] = true
					ordered = append(ordered, n)
				}
			}
		}
	}
	models, err := c.GetOrdersAll(ctx, ordered)
	if err != nil {
		return nil, err
	}
	var out []order.Order
	for _, m := range models {
		o, err := ToOrder(m)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		switch {
		case IsImportTarget(o.Settlement, m.OrderProgress):
			out = append(out, o)
		case m.OrderProgress == ProgressUnconfirmed && AmountsUnfixed(o):
			// Not confirmable until the shop fixes the postage, and cancelled by RMS 14 days
			// after the order if it does not: stored now, so that ichigen shows it and its
			// countdown (a selective-settlement order would otherwise wait for 発送待ち).
			out = append(out, o)
		case o.Settlement == order.SettlementSelective && m.OrderProgress == ProgressUnconfirmed:
			// Not imported before 発送待ち, but confirmed now all the same (seed 002): RMS
			// cancels orders left unconfirmed for 14 days.
			c.unimportedToConfirm = append(c.unimportedToConfirm, o)
		}
	}
	return out, nil
}

// UnimportedToConfirm returns the orders the last Fetch found awaiting confirmation that are not
// imported yet: selective-settlement orders at 注文確認待ち.
func (c *Client) UnimportedToConfirm() []order.Order { return c.unimportedToConfirm }

// AmountsUnfixed reports whether an order's postage, payment fee or total is not fixed yet
// (-9999 at RMS): RMS refuses to confirm it (ORDER_EXT_API_CONFIRM_ORDER_ERROR_105), so ichigen
// never sends it.
func AmountsUnfixed(o order.Order) bool {
	return !o.Amounts.Postage.Fixed() || !o.Amounts.PaymentFee.Fixed() || !o.Amounts.Total.Fixed()
}

// IsImportTarget reports whether an order at progress is imported.
func IsImportTarget(s order.Settlement, progress int) bool {
	if s == order.SettlementSelective {
		return progress == ProgressAwaitingShip
	}
	return progress >= ProgressUnconfirmed && progress <= ProgressAwaitingShip
}

// searchAll runs one search, halving the window until each part fits one page of 1,000: paging
// by offset while orders move (ichigen's own reports take them out of 発送待ち) could skip some.
func (c *Client) searchAll(ctx context.Context, dateType int, progress []int, from, to time.Time) ([]string, error) {
	resp, err := c.searchPage(ctx, dateType, progress, from, to, 1)
	if err != nil {
		return nil, err
	}
	p := resp.PaginationResponseModel
	if p == nil { // no hits
		return nil, nil
	}
	if p.TotalRecordsAmount <= MaxRecordsPerPage {
		return resp.OrderNumberList, nil
	}
	if to.Sub(from) <= 2*time.Second { // more than 1,000 in two seconds: page after all
		out := resp.OrderNumberList
		for page := 2; page <= p.TotalPages; page++ {
			next, err := c.searchPage(ctx, dateType, progress, from, to, page)
			if err != nil {
				return nil, err
			}
			out = append(out, next.OrderNumberList...)
		}
		return out, nil
	}
	mid := from.Add(to.Sub(from) / 2).Truncate(time.Second)
	first, err := c.searchAll(ctx, dateType, progress, from, mid)
	if err != nil {
		return nil, err
	}
	second, err := c.searchAll(ctx, dateType, progress, mid, to)
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}

// searchPage asks for one page of 1,000, oldest first.
func (c *Client) searchPage(ctx context.Context, dateType int, progress []int, from, to time.Time, page int) (SearchOrderResponse, error) {
	return c.SearchOrder(ctx, SearchOrderRequest{DateType: dateType, StartDatetime: FormatTime(from), EndDatetime: FormatTime(to),
		OrderProgressList:      progress,
		PaginationRequestModel: &PaginationRequest{RequestRecordsAmount: MaxRecordsPerPage, RequestPage: page, SortModelList: []SortModel{{SortColumn: 1, SortDirection: 1}}}})
}

// Refetch reads orders back from RMS by number ([RMSステータスを取得]), whatever their status.
func (c *Client) Refetch(ctx context.Context, numbers []string) ([]order.Order, error) {
	models, err := c.GetOrdersAll(ctx, numbers)
	out := make([]order.Order, 0, len(models))
	for _, m := range models {
		o, cerr := ToOrder(m)
		if cerr != nil {
			return out, cerr
		}
		out = append(out, o)
	}
	return out, err
}
