package amazon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// beforeMargin is how far before now LastUpdatedBefore may be: the model asks "at least two
// minutes before current time"; a window ending later is asked without it and cut here.
const beforeMargin = 3 * time.Minute

// maxPages bounds one search's paging, against a NextToken that never ends.
const maxPages = 1000

// Fetch returns the orders Amazon updated between from and to (LastUpdatedAfter/Before, so that
// a payment authorised late or a cancellation is caught by the import's overlap), with their
// items and, through a Restricted Data Token, their buyer and address. Orders whose payment is
// not authorised are left for a later window (ImportStatuses). FBA orders are imported as they
// are, to be seen; they are never reported as shipped.
func (c *Client) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	if !from.Before(to) {
		return nil, nil
	}
	q := url.Values{"MarketplaceIds": {MarketplaceJP}, "LastUpdatedAfter": {FormatTime(from)},
		"OrderStatuses": {strings.Join(ImportStatuses, ",")}, "MaxResultsPerPage": {"100"}}
	cut := !to.Before(time.Now().Add(-beforeMargin))
	if !cut {
		q.Set("LastUpdatedBefore", FormatTime(to))
	}
	found, err := c.searchOrders(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	out := make([]order.Order, 0, len(found))
	for _, a := range found {
		if updated, err := ParseTime(a.LastUpdateDate); cut && err == nil && updated.After(to) {
			continue // the next window has it
		}
		o, err := c.complete(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		out = append(out, o)
	}
	return out, nil
}

// searchOrders runs getOrders under an RDT for the buyer and address, through every page.
func (c *Client) searchOrders(ctx context.Context, q url.Values) ([]Order, error) {
	rdt := c.rdtFor(PathOrders, "buyerInfo", "shippingAddress")
	var all []Order
	for page := 0; page < maxPages; page++ {
		var resp Response[OrdersList]
		if err := c.call(ctx, OpGetOrders, http.MethodGet, PathOrders, q, nil, rdt, &resp); err != nil {
			return nil, err
		}
		if resp.Payload == nil {
			return nil, &channel.Error{Channel: Channel, Operation: OpGetOrders, Class: channel.Transient, Message: "Amazonの注文検索の応答に payload がありませんでした。自動で再試行します。"}
		}
		all = append(all, resp.Payload.Orders...)
		if resp.Payload.NextToken == "" {
			return all, nil
		}
		q = url.Values{"MarketplaceIds": {MarketplaceJP}, "NextToken": {resp.Payload.NextToken}}
	}
	return nil, &channel.Error{Channel: Channel, Operation: OpGetOrders, Class: channel.Transient, Message: "Amazonの注文検索のページが終わりませんでした。続く場合は連携履歴を添えてサポートに連絡してください。"}
}

// complete reads an order's items and maps it.
func (c *Client) complete(ctx context.Context, a Order) (order.Order, error) {
	items, err := c.OrderItems(ctx, a.AmazonOrderId)
	if err != nil {
		return order.Order{}, err
	}
	return ToOrder(a, items)
}

// OrderItems reads an order's items (getOrderItems), through every page.
func (c *Client) OrderItems(ctx context.Context, orderID string) ([]OrderItem, error) {
	var items []OrderItem
	q := url.Values{}
	for page := 0; page < maxPages; page++ {
		var resp Response[OrderItemsList]
		if err := c.call(ctx, OpGetOrderItems, http.MethodGet, OrderPath(PathOrderItems, orderID), q, nil, nil, &resp); err != nil {
			return nil, err
		}
		if resp.Payload == nil {
			return nil, &channel.Error{Channel: Channel, Operation: OpGetOrderItems, Class: channel.Transient, Message: "Amazonの注文商品の応答に payload がありませんでした。自動で再試行します。"}
		}
		items = append(items, resp.Payload.OrderItems...)
		if resp.Payload.NextToken == "" {
			return items, nil
		}
		q = url.Values{"NextToken": {resp.Payload.NextToken}}
	}
	return nil, &channel.Error{Channel: Channel, Operation: OpGetOrderItems, Class: channel.Transient, Message: "Amazonの注文商品のページが終わりませんでした。"}
}

// GetOrder reads one order (getOrder) under an RDT for its buyer and address.
func (c *Client) GetOrder(ctx context.Context, orderID string) (Order, error) {
	path := OrderPath(PathOrder, orderID)
	rdt := c.rdtFor(PathOrder, "buyerInfo", "shippingAddress")
	var resp Response[Order]
	if err := c.call(ctx, OpGetOrder, http.MethodGet, path, nil, nil, rdt, &resp); err != nil {
		return Order{}, err
	}
	if resp.Payload == nil {
		return Order{}, &channel.Error{Channel: Channel, Operation: OpGetOrder, Class: channel.Transient, Message: "Amazonの注文の応答に payload がありませんでした。自動で再試行します。"}
	}
	return *resp.Payload, nil
}

// Refetch reads orders back from Amazon by number, whatever their status. A number Amazon does
// not know is left out; any other failure ends the run with what was read so far.
func (c *Client) Refetch(ctx context.Context, numbers []string) ([]order.Order, error) {
	out := make([]order.Order, 0, len(numbers))
	for _, n := range numbers {
		a, err := c.GetOrder(ctx, n)
		var e *channel.Error
		if errors.As(err, &e) && e.HTTPStatus == http.StatusNotFound {
			continue
		}
		if err != nil {
			return out, err
		}
		o, err := c.complete(ctx, a)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

// quantityShipped reads how many of each item Amazon has as shipped.
func (c *Client) quantityShipped(ctx context.Context, orderID string) (map[string]int, error) {
	items, err := c.OrderItems(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(items))
	for _, it := range items {
		if it.QuantityShipped != nil {
			out[it.OrderItemId] = *it.QuantityShipped
		}
	}
	return out, nil
}
