package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// orderView is what 注文個別確認 shows.
type orderView struct {
	Order     order.Order
	Shop      shop.Shop
	Cat       *catalog
	Events    []order.Event
	Calls     []channel.Call
	Mails     []buyermail.Record // the buyer mails, with their text
	Rows      []shipmentRow
	CanUpdate bool
	Error     string
	// Management is what 管理区分 refers to: bundle parent, split origin, children.
	Management management
	// SplitWarning is what the operator confirms before splitting an order of the channel.
	SplitWarning string
	// Now is when the page is shown, for the days left until a card authorisation lapses.
	Now time.Time
	// Watch is the first question of the banner that watches a rule take this order.
	Watch string
}

// shipmentRow is one line of the shipments form, as stored or as entered, with its message.
type shipmentRow struct {
	PackageKey, ShipDate, Carrier, Tracking, Ref string
	Message                                      string
}

func (v orderView) manualLinks() []choice {
	var out []choice
	for _, l := range v.Shop.Channel.ManualLinkStatuses() {
		out = append(out, choice{string(l), l.Label()})
	}
	return out
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperror.New(apperror.NotFound, "注文が見つかりません。URLが誤っています。")
	}
	return id, nil
}

// byPath reads the record the URL's {id} names with get (an order, a shop, a rule, a user);
// false when it answered the error instead.
func byPath[T any](h *Handler, w http.ResponseWriter, r *http.Request, get func(context.Context, int64) (T, error)) (T, bool) {
	id, err := pathID(r)
	if err == nil {
		var v T
		if v, err = get(r.Context(), id); err == nil {
			return v, true
		}
	}
	h.fail(w, r, err)
	var zero T
	return zero, false
}

// loadOrderView reads everything the order page shows.
func (h *Handler) loadOrderView(ctx context.Context, id int64) (orderView, error) {
	var v orderView
	o, err := h.deps.Store.GetOrder(ctx, id)
	if err != nil {
		return v, err
	}
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		return v, err
	}
	events, err := h.deps.Store.ListOrderEvents(ctx, id)
	if err != nil {
		return v, err
	}
	calls, err := h.deps.Store.ListCalls(ctx, store.CallQuery{OrderID: id, PageSize: 100})
	if err != nil {
		return v, err
	}
	mails, err := h.deps.Store.ListOrderMails(ctx, id)
	if err != nil {
		return v, err
	}
	v = orderView{Order: o, Shop: cat.shopByID[o.ShopID], Cat: cat, Events: events, Calls: calls, Mails: mails,
		CanUpdate: stateOf(ctx).group.Allows(user.MenuOrders, user.Update)}
	v.Rows = storedRows(o)
	v.Now = h.deps.Now()
	if v.Management, err = h.loadManagement(ctx, o); err != nil {
		return v, err
	}
	v.SplitWarning = v.Shop.Channel.SplitWarning()
	return v, nil
}

// storedRows are the form's rows: the order's shipments, then a blank row for each package
// without one (or one blank row for an order that names no package).
func storedRows(o order.Order) []shipmentRow {
	var rows []shipmentRow
	has := map[string]bool{}
	for _, s := range o.Shipments {
		rows = append(rows, shipmentRow{PackageKey: s.PackageKey, ShipDate: s.ShipDate, Carrier: s.Carrier, Tracking: s.TrackingNumber, Ref: s.MarketplaceRef})
		has[s.PackageKey] = true
	}
	for _, p := range o.Packages {
		if !has[p.Key] {
			rows = append(rows, shipmentRow{PackageKey: p.Key})
		}
	}
	if len(rows) == 0 {
		rows = append(rows, shipmentRow{PackageKey: "1"})
	}
	return rows
}

// orderDetail is 注文個別確認.
func (h *Handler) orderDetail(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.loadOrderView(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Watch = watchStart(r, idPath(id), id)
	h.render(w, r, http.StatusOK, orderPage(v))
}

// saveShipments replaces the order's shipments with the form's rows. Each row with anything in
// it needs a ship date, a carrier and a tracking number that passes the carrier's check; a
// wrong one is refused with the check's message, never saved; so is a ship date outside the
// order's window or a package the order does not have.
func (h *Handler) saveShipments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	o, err := h.deps.Store.GetOrder(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, shipments, ok := readShipments(r, o, h.deps.Now())
	if ok {
		err = h.deps.Store.UpdateShipments(r.Context(), id, version, shipments, stateOf(r.Context()).user.Login)
		if err == nil {
			h.setFlash(w, r, "出荷情報を保存しました。")
			http.Redirect(w, r, idPath(id), http.StatusSeeOther)
			return
		}
		if statusOf(err) == http.StatusInternalServerError || apperror.Is(err, apperror.NotFound) {
			h.fail(w, r, err)
			return
		}
	}
	v, lerr := h.loadOrderView(r.Context(), id)
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	v.Rows = rows
	v.Error = "出荷情報を保存できませんでした。各行のメッセージを確認して入力し直してください。"
	status := http.StatusUnprocessableEntity
	if err != nil {
		v.Error, status = apperror.MessageOf(err), statusOf(err)
	}
	h.render(w, r, status, orderPage(v))
}

// readShipments reads and checks the form's rows against the order (channel.CheckShipmentFor);
// ok is false when a row has a message.
func readShipments(r *http.Request, o order.Order, now time.Time) ([]shipmentRow, []order.Shipment, bool) {
	f := r.PostForm
	n := len(f["package_key"])
	cell := func(name string, i int) string {
		if vals := f[name]; i < len(vals) {
			return strings.TrimSpace(vals[i])
		}
		return ""
	}
	ok := true
	var rows []shipmentRow
	var shipments []order.Shipment
	for i := range n {
		row := shipmentRow{PackageKey: cell("package_key", i), ShipDate: cell("ship_date", i), Carrier: cell("carrier", i),
			Tracking: order.NormaliseTrackingNumber(cell("tracking", i)), Ref: cell("ref", i)}
		if row.ShipDate == "" && row.Carrier == "" && row.Tracking == "" {
			rows = append(rows, row)
			continue // an empty row: this package is not shipped yet
		}
		s, problems := channel.CheckShipmentFor(o, order.Shipment{PackageKey: row.PackageKey, ShipDate: row.ShipDate, Carrier: row.Carrier,
			TrackingNumber: row.Tracking, MarketplaceRef: row.Ref}, now)
		if len(problems) > 0 {
			msgs := make([]string, len(problems))
			for j, p := range problems {
				msgs[j] = p.Message
			}
			row.Message = strings.Join(msgs, " ")
			rows = append(rows, row)
			ok = false
			continue
		}
		row.ShipDate = s.ShipDate
		rows = append(rows, row)
		shipments = append(shipments, s)
	}
	return rows, shipments, ok
}

// moveOne moves one order to a phase of its shop.
func (h *Handler) moveOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	phaseID, err := phaseIDOf(r.PostFormValue("phase_id"))
	var msg string
	var watch int64
	if err == nil {
		// One order moved from its own page is the operator's explicit choice, finished or not.
		var p orderops.Plan
		if p, err = orderops.PlanMoveTo(r.Context(), h.deps.Store, []int64{id}, phaseID, true); err == nil {
			msg, watch, err = h.move(r.Context(), p)
		}
	}
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, watchURL(idPath(id), watch), http.StatusSeeOther)
}

// orderFail goes back to the order page with the error's message; an internal error gets its
// page.
func (h *Handler) orderFail(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if statusOf(err) == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	h.setFlashError(w, r, apperror.MessageOf(err))
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// linkStatusOne sets one order's link status by hand.
func (h *Handler) linkStatusOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := workflow.LinkStatus(r.PostFormValue("link_status"))
	if err := orderops.SetLinkStatus(r.Context(), h.deps.Store, []int64{id}, status, stateOf(r.Context()).user.Login); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, fmt.Sprintf("連携ステータスを「%s」に変更しました。", status.Label()))
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

func (v orderView) lines(pkg string) []order.Line {
	var out []order.Line
	for _, l := range v.Order.Lines {
		if l.PackageKey == pkg || len(v.Order.Packages) == 0 {
			out = append(out, l)
		}
	}
	return out
}

func eventText(e order.Event, c *catalog) string { return e.Text(c.phaseName) }

func lineTotal(l order.Line) string { return order.YenOf(l.UnitPrice * l.Quantity).String() }
