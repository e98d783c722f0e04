package amazon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Process runs an Amazon rule on a batch of orders (jobs.Processor): one call per order, at
// each operation's pace. Without a journal it sends nothing.
func (c *Client) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	return channel.PerOrder(ctx, Channel, "Amazon", kind, orders, journal, map[workflow.JobKind]channel.OrderStep{
		workflow.JobStatusFetch: c.fetchStatus,
		workflow.JobShipReport:  c.reportShipment,
	})
}

// fetchStatus reads the order (getOrder) and stores its status: an order Amazon has ready to
// ship (Unshipped, PartiallyShipped) or already shipped itself (FBA) goes on; a cancelled one
// goes to the error phase; one still waiting for payment stays for the next look.
func (c *Client) fetchStatus(ctx context.Context, o order.Order, _ channel.Journal) (channel.Result, bool, error) {
	a, err := c.GetOrder(ctx, o.MarketplaceNumber())
	if e := (*channel.Error)(nil); errors.As(err, &e) && e.Class == channel.Rejected {
		return fail(o, LinkStatusFetchError, e.Message), true, nil
	}
	if err != nil {
		return channel.Result{}, false, err
	}
	fresh := o
	fresh.MarketplaceStatusRaw, fresh.MarketplaceStatus = a.OrderStatus, StatusOf(a.OrderStatus)
	if t, err := ParseTime(a.LastUpdateDate); err == nil {
		fresh.MarketplaceUpdatedAt = t
	}
	switch a.OrderStatus {
	case StatusCanceled:
		r := fail(o, LinkStatusFetchError, MsgCancelled)
		r.Refreshed = &fresh
		return r, true, nil
	case StatusUnshipped, StatusPartiallyShipped, StatusShipped, StatusInvoiceUnconfirmed:
		return channel.Result{OrderID: o.ID, OK: true, LinkStatus: o.LinkStatus, Refreshed: &fresh}, true, nil
	}
	return channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Message: fmt.Sprintf("Amazonの注文ステータス「%s」のため、出荷できるようになるまで待ちます。", a.OrderStatus),
		Refreshed: &fresh, Pending: true, RecheckAfter: workflow.DefaultPollInterval}, true, nil
}

// MsgNoShipDate is the refusal of a ship report without a ship date: nothing is sent.
const MsgNoShipDate = "「発送日」が登録されていません。注文詳細で発送日・配送会社・配送番号を入力してから、連携ステータスが空欄のまま対象処理フェーズへ移動してください。"

// Package is the package an order is confirmed as: its items and quantities, its shipment.
func (c *Client) Package(ctx context.Context, o order.Order) (PackageDetail, *channel.Error) {
	refuse := func(msg string) (PackageDetail, *channel.Error) {
		return PackageDetail{}, &channel.Error{Channel: Channel, Operation: OpConfirmShipment, Class: channel.Rejected, Message: msg}
	}
	var s order.Shipment
	for _, sh := range o.Shipments {
		if strings.TrimSpace(sh.ShipDate) != "" {
			s = sh
		}
	}
	if s.ShipDate == "" {
		return refuse(MsgNoShipDate)
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s.ShipDate), order.JST)
	if err != nil {
		return refuse(fmt.Sprintf("発送日「%s」を日付として読めません。注文詳細で発送日を入力し直してください。", s.ShipDate))
	}
	if msg := order.CheckShipDate(day.Format(time.DateOnly), time.Time{}, time.Now()); msg != "" {
		return refuse(msg)
	}
	shipAt := day
	if shipAt.Before(o.OrderedAt) {
		shipAt = o.OrderedAt
	}
	number := order.NormaliseTrackingNumber(s.TrackingNumber)
	if s.Carrier == "" || number == "" {
		return refuse("Amazonへの出荷通知には配送会社と配送番号が必要です。注文詳細で入力してください。")
	}
	code, name, ok := CarrierCode(s.Carrier)
	if !ok {
		return refuse(fmt.Sprintf("配送会社コード「%s」は登録されていません。配送会社を選び直してください。", s.Carrier))
	}
	if msg := channel.ValidateTracking(s.Carrier, number); msg != "" {
		return refuse(msg)
	}
	p, ok := PayloadOf(o)
	items := p.Items
	if !ok { // a split child keeps no payload: its original's items are read from Amazon
		var err error
		if items, err = c.OrderItems(ctx, o.MarketplaceNumber()); err != nil {
			var e *channel.Error
			if errors.As(err, &e) {
				return PackageDetail{}, e
			}
			return refuse(err.Error())
		}
	}
	lines, msg := packageItems(o.Lines, items)
	if msg != "" {
		return refuse(msg)
	}
	return PackageDetail{PackageReferenceId: strconv.FormatInt(o.ID, 10), CarrierCode: code, CarrierName: name, TrackingNumber: number,
		ShipDate: FormatTime(shipAt), OrderItems: lines}, nil
}

// packageItems finds each line's OrderItemId (by SKU, then title) and its quantity.
func packageItems(lines []order.Line, items []OrderItem) ([]ConfirmShipmentOrderItem, string) {
	used := map[string]int{}
	var out []ConfirmShipmentOrderItem
	for _, l := range lines {
		if l.Quantity <= 0 {
			continue
		}
		found := ""
		for _, it := range items {
			if (it.SellerSKU == l.SKU || it.ASIN == l.SKU) && (found == "" || it.Title == l.Name) && used[it.OrderItemId]+int(l.Quantity) <= it.QuantityOrdered {
				found = it.OrderItemId
			}
		}
		if found == "" {
			return nil, fmt.Sprintf("商品「%s」(SKU %s)がAmazonの注文商品に見つかりません。注文の商品を確認してください。", l.Name, l.SKU)
		}
		used[found] += int(l.Quantity)
		out = append(out, ConfirmShipmentOrderItem{OrderItemId: found, Quantity: int(l.Quantity)})
	}
	if len(out) == 0 {
		return nil, "出荷する商品がありません。注文の商品と数量を確認してください。"
	}
	return out, ""
}

// reportShipment confirms the order's shipment (confirmShipment): once, read back when an
// earlier answer was lost.
func (c *Client) reportShipment(ctx context.Context, o order.Order, journal channel.Journal) (channel.Result, bool, error) {
	pkg, perr := c.Package(ctx, o)
	if perr != nil {
		if perr.Class == channel.Rejected {
			return fail(o, LinkShipReportError, perr.Message), true, nil
		}
		return channel.Result{}, false, perr
	}
	id := o.MarketplaceNumber()
	body, _ := json.Marshal(ConfirmShipmentRequest{MarketplaceId: MarketplaceJP, PackageDetail: pkg})
	return channel.WriteOnce(ctx, journal, channel.Once{Order: o, What: "出荷通知",
		Send: func(ctx context.Context) error {
			return c.call(ctx, OpConfirmShipment, http.MethodPost, OrderPath(PathShipConfirm, id), nil, body, nil, nil)
		},
		ReadBack: func(ctx context.Context, why string) (channel.Result, bool, error) {
			return c.settle(ctx, o, id, pkg, why)
		},
		Done:   func(message string) channel.Result { return done(o, message) },
		Failed: func(message string) channel.Result { return fail(o, LinkShipReportError, message) },
		Lost:   "出荷通知の応答がありませんでした。注文を再取得して反映されたかを確かめます。"})
}

// settle reads the order's items back after a confirmation whose outcome is unknown: when
// Amazon has the package's quantities shipped, it took effect. Either way the history says
// what was found; undecided, the caller sends.
func (c *Client) settle(ctx context.Context, o order.Order, id string, pkg PackageDetail, why string) (channel.Result, bool, error) {
	shipped, err := c.quantityShipped(ctx, id)
	if e := (*channel.Error)(nil); errors.As(err, &e) && e.Class == channel.Rejected {
		return fail(o, LinkShipReportError, e.Message), true, nil
	}
	if err != nil {
		return channel.Result{}, false, err
	}
	applied := true
	for _, it := range pkg.OrderItems {
		if shipped[it.OrderItemId] < it.Quantity {
			applied = false
		}
	}
	if applied {
		c.note(ctx, o, why+"注文を再取得しました: 出荷通知は反映済みでした。再送信はしていません。")
		return done(o, why+"注文を再取得し、出荷通知が反映済みであることを確認しました。"), true, nil
	}
	c.note(ctx, o, why+"注文を再取得しました: 出荷通知は反映されていなかったため、送信します。")
	return channel.Result{}, false, nil
}

// note adds a row to the API call history that says what a read-back found.
func (c *Client) note(ctx context.Context, o order.Order, what string) {
	channel.NoteReadBack(ctx, c.Recorder, c.IchigenShopID, o, what)
}

func done(o order.Order, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkShipReported), Message: msg}
}

func fail(o order.Order, status workflow.LinkStatus, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, LinkStatus: string(status), Message: msg}
}

func messageOf(err error) string { return channel.MessageOf(err) }
