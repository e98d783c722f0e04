package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// idsPerStatement bounds the ids bound into one statement; SQLite allows 32,766 variables.
const idsPerStatement = 1000

// errStale is the refusal of a write based on an old read.
var errStale = apperror.New(apperror.Conflict, "この注文は他の操作で更新されています。画面を再読み込みして最新の内容を確認してから、もう一度操作してください。")

// UpsertOrders implements store.OrderWriter.
func (s *Store) UpsertOrders(ctx context.Context, shopID int64, orders []order.Order, opts store.UpsertOptions) (res store.UpsertResult, err error) {
	err = s.write(ctx, func(t *tx) error {
		res, err = t.UpsertOrders(ctx, shopID, orders, opts)
		return err
	})
	return res, err
}

// MoveOrder implements store.OrderWriter.
func (s *Store) MoveOrder(ctx context.Context, orderID, version, phaseID int64, actor string) error {
	return s.write(ctx, func(t *tx) error { return t.MoveOrder(ctx, orderID, version, phaseID, actor) })
}

// MoveOrders implements store.OrderWriter.
func (s *Store) MoveOrders(ctx context.Context, orderIDs []int64, phaseID int64, actor string) (moved []int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		moved, err = t.MoveOrders(ctx, orderIDs, phaseID, actor)
		return err
	})
	return moved, err
}

// UpdateShipments implements store.OrderWriter.
func (s *Store) UpdateShipments(ctx context.Context, orderID, version int64, shipments []order.Shipment, actor string) error {
	return s.write(ctx, func(t *tx) error { return t.UpdateShipments(ctx, orderID, version, shipments, actor) })
}

// SetLinkStatus implements store.OrderWriter.
func (s *Store) SetLinkStatus(ctx context.Context, orderIDs []int64, link store.Link) error {
	return s.write(ctx, func(t *tx) error { return t.SetLinkStatus(ctx, orderIDs, link) })
}

// SetManagement implements store.OrderWriter.
func (s *Store) SetManagement(ctx context.Context, orderID, version int64, m store.Management) error {
	return s.write(ctx, func(t *tx) error { return t.SetManagement(ctx, orderID, version, m) })
}

// SetManagement implements store.OrderWriter.
func (t *tx) SetManagement(ctx context.Context, orderID, version int64, m store.Management) error {
	class := m.Class
	if class == "" {
		class = order.Normal
	}
	n, err := t.q.SetOrderManagement(ctx, sqlitedb.SetOrderManagementParams{ManagementClass: string(class), BundleParentID: nullID(m.BundleParentID),
		SplitFromID: nullID(m.SplitFromID), Now: t.s.now(), ID: orderID, Version: version})
	if err != nil {
		return fmt.Errorf("set management class of %d: %w", orderID, err)
	}
	if n == 0 {
		if _, err := t.q.GetOrder(ctx, orderID); err != nil {
			return notFound(err, "注文")
		}
		return errStale
	}
	return nil
}

// ReplaceLines implements store.OrderWriter.
func (s *Store) ReplaceLines(ctx context.Context, orderID, version int64, lines []order.Line) error {
	return s.write(ctx, func(t *tx) error { return t.ReplaceLines(ctx, orderID, version, lines) })
}

// ReplaceLines implements store.OrderWriter.
func (t *tx) ReplaceLines(ctx context.Context, orderID, version int64, lines []order.Line) error {
	n, err := t.q.BumpOrderVersion(ctx, sqlitedb.BumpOrderVersionParams{ID: orderID, Version: version, Now: t.s.now()})
	if err != nil {
		return fmt.Errorf("replace lines of %d: %w", orderID, err)
	}
	if n == 0 {
		if _, err := t.q.GetOrder(ctx, orderID); err != nil {
			return notFound(err, "注文")
		}
		return errStale
	}
	if err := t.q.DeleteOrderLines(ctx, orderID); err != nil {
		return err
	}
	u := upsert{t: t}
	u.addLines(orderID, lines)
	return u.flushLines(ctx)
}

// DeleteOrder implements store.OrderWriter.
func (s *Store) DeleteOrder(ctx context.Context, orderID int64) error {
	return s.write(ctx, func(t *tx) error { return t.DeleteOrder(ctx, orderID) })
}

// DeleteOrder implements store.OrderWriter.
func (t *tx) DeleteOrder(ctx context.Context, orderID int64) error {
	n, err := t.q.DeleteOrder(ctx, orderID)
	return mustAffect(n, err, "注文")
}

// AddOrderEvents implements store.OrderWriter.
func (s *Store) AddOrderEvents(ctx context.Context, events []order.Event) error {
	return s.write(ctx, func(t *tx) error { return t.AddOrderEvents(ctx, events) })
}

// AddOrderEvents implements store.OrderWriter.
func (t *tx) AddOrderEvents(ctx context.Context, events []order.Event) error {
	now := t.s.now()
	for _, e := range events {
		at := e.At
		if at.IsZero() {
			at = now
		}
		if err := t.event(ctx, e.OrderID, e.Kind, e.Actor, e.FromPhaseID, e.ToPhaseID, e.Message, at); err != nil {
			return fmt.Errorf("event of order %d: %w", e.OrderID, err)
		}
	}
	return nil
}

// UpsertOrders implements store.OrderWriter. Orders go in batches: one query finds which of a
// batch are known, and one statement writes all of its lines.
func (t *tx) UpsertOrders(ctx context.Context, shopID int64, orders []order.Order, opts store.UpsertOptions) (store.UpsertResult, error) {
	res := store.UpsertResult{IDs: make([]int64, 0, len(orders))}
	if opts.PhaseID == 0 {
		phases, err := t.q.ListPhases(ctx)
		if err != nil {
			return res, fmt.Errorf("import: list phases: %w", err)
		}
		if len(phases) == 0 {
			return res, apperror.New(apperror.Invalid, "処理フェーズがありません。設定画面で処理フェーズを作成してから取り込んでください。")
		}
		opts.PhaseID = phases[0].ID
	} else if err := t.checkPhase(ctx, opts.PhaseID); err != nil {
		return res, err
	}
	u := upsert{t: t, shopID: shopID, opts: opts, now: t.s.now(), res: &res}
	for start := 0; start < len(orders); start += upsertBatch {
		if err := u.batch(ctx, orders[start:min(start+upsertBatch, len(orders))]); err != nil {
			return res, err
		}
	}
	return res, nil
}

// upsertBatch is how many orders share one lookup and one INSERT of each table.
const upsertBatch = 500

// upsert is one UpsertOrders call in progress.
type upsert struct {
	t         *tx
	shopID    int64
	opts      store.UpsertOptions
	now       time.Time
	res       *store.UpsertResult
	lines     []lineRow
	shipments [][]any
}

// lineRow is an order line about to be written.
type lineRow struct {
	OrderID    int64
	Position   int
	PackageKey string
	SKU        string
	Name       string
	Options    string
	UnitPrice  int64
	Quantity   int64
	TaxRate    int64
}

// batch stores a batch of orders: the orders the shop has not stored yet go in with one INSERT,
// then each order is accounted for in input order, the ones already stored updated.
func (u *upsert) batch(ctx context.Context, orders []order.Order) error {
	numbers := make([]string, len(orders))
	for i, o := range orders {
		numbers[i] = o.Number
	}
	known, err := u.importStates(ctx, numbers)
	if err != nil {
		return err
	}
	var fresh []*order.Order
	first := make(map[string]int, len(orders)) // the same number twice in one import is one order
	for i := range orders {
		o := &orders[i]
		if o.PaymentStatus == "" {
			o.PaymentStatus = order.Unpaid
		}
		if _, ok := known[o.Number]; ok {
			continue
		}
		if _, ok := first[o.Number]; !ok {
			first[o.Number] = i
			fresh = append(fresh, o)
		}
	}
	inserted, err := u.insertOrders(ctx, fresh)
	if err != nil {
		return fmt.Errorf("import: insert orders: %w", err)
	}
	if err := u.lookUpRaced(ctx, fresh, inserted, known); err != nil {
		return err
	}
	for i := range orders {
		o := &orders[i]
		if id, ok := inserted[o.Number]; ok && first[o.Number] == i {
			u.inserted(id, o)
			known[o.Number] = sqlitedb.ListImportStatesRow{ID: id, Number: o.Number, MarketplaceStatus: string(o.MarketplaceStatus),
				MarketplaceStatusRaw: o.MarketplaceStatusRaw, PaymentStatus: string(o.PaymentStatus),
				MarketplaceUpdatedAt: nullTime(o.MarketplaceUpdatedAt), RawPayload: o.RawPayload}
			continue
		}
		if err := u.update(ctx, o, known[o.Number]); err != nil {
			return fmt.Errorf("import order %s: %w", o.Number, err)
		}
	}
	if err := u.flushShipments(ctx); err != nil {
		return err
	}
	return u.flushLines(ctx)
}

// importStates returns what the import compares of the stored orders among numbers, by number.
func (u *upsert) importStates(ctx context.Context, numbers []string) (map[string]sqlitedb.ListImportStatesRow, error) {
	rows, err := u.t.q.ListImportStates(ctx, sqlitedb.ListImportStatesParams{ShopID: u.shopID, Numbers: numbers})
	if err != nil {
		return nil, fmt.Errorf("import: look up orders: %w", err)
	}
	known := make(map[string]sqlitedb.ListImportStatesRow, len(rows))
	for _, r := range rows {
		known[r.Number] = r
	}
	return known, nil
}

// lookUpRaced adds to known the orders another import stored between the lookup and the
// insert: they take the update path.
func (u *upsert) lookUpRaced(ctx context.Context, fresh []*order.Order, inserted map[string]int64, known map[string]sqlitedb.ListImportStatesRow) error {
	var raced []string
	for _, o := range fresh {
		if _, ok := inserted[o.Number]; !ok {
			raced = append(raced, o.Number)
		}
	}
	if len(raced) == 0 {
		return nil
	}
	states, err := u.importStates(ctx, raced)
	if err != nil {
		return err
	}
	for _, number := range raced {
		state, ok := states[number]
		if !ok {
			return fmt.Errorf("import order %s: neither inserted nor found after a concurrent insert", number)
		}
		known[number] = state
	}
	return nil
}

// addLines gathers an order's lines for flushLines.
func (u *upsert) addLines(orderID int64, lines []order.Line) {
	for i, l := range lines {
		u.lines = append(u.lines, lineRow{OrderID: orderID, Position: i + 1, PackageKey: l.PackageKey, SKU: l.SKU, Name: l.Name,
			Options: l.Options, UnitPrice: l.UnitPrice, Quantity: l.Quantity, TaxRate: l.TaxRate})
	}
}

// inserted accounts for an order the batch's INSERT stored under id.
func (u *upsert) inserted(id int64, o *order.Order) {
	u.addLines(id, o.Lines)
	u.addShipments(id, o.Shipments)
	u.res.IDs = append(u.res.IDs, id)
	u.res.NewIDs = append(u.res.NewIDs, id)
	u.res.Inserted++
}

// update handles an order already stored: overwrite it when asked, else refresh only the
// marketplace-owned fields when they changed. A snapshot older than the stored one changes
// nothing, and neither does an identical one: a periodic import must not bump versions.
func (u *upsert) update(ctx context.Context, o *order.Order, state sqlitedb.ListImportStatesRow) error {
	u.res.IDs = append(u.res.IDs, state.ID)
	if state.MarketplaceUpdatedAt.Valid && !o.MarketplaceUpdatedAt.IsZero() && o.MarketplaceUpdatedAt.Before(state.MarketplaceUpdatedAt.Time) {
		u.res.Unchanged++
		return nil
	}
	if state.PaidOn.Valid {
		// A payment the operator confirmed by hand (入金確認) is one the marketplace never reports.
		o.PaymentStatus, o.PaidOn = order.Paid, state.PaidOn.String
	}
	statusChanged := state.MarketplaceStatus != string(o.MarketplaceStatus)
	changed := statusChanged || state.MarketplaceStatusRaw != o.MarketplaceStatusRaw || state.PaymentStatus != string(o.PaymentStatus)
	if !changed && bytes.Equal(state.RawPayload, o.RawPayload) {
		u.res.Unchanged++
		return nil
	}
	if statusChanged {
		msg := fmt.Sprintf("モールのステータス: %s → %s", order.MarketplaceStatus(state.MarketplaceStatus).Label(), o.MarketplaceStatus.Label())
		if err := u.t.event(ctx, state.ID, order.EventMarketplaceStatus, u.opts.Actor, 0, 0, msg, u.now); err != nil {
			return err
		}
	}
	switch {
	case u.opts.Overwrite:
		packages, err := json.Marshal(o.Packages)
		if err != nil {
			return err
		}
		a := o.Amounts
		if _, err := u.t.q.OverwriteOrder(ctx, sqlitedb.OverwriteOrderParams{
			ID: state.ID, OrderedAt: ts(o.OrderedAt),
			BuyerName: o.Buyer.Name, BuyerKana: o.Buyer.Kana, BuyerEmail: o.Buyer.Email, BuyerPhone: o.Buyer.Phone, BuyerZip: o.Buyer.Zip, BuyerAddress: o.Buyer.Address,
			Packages: string(packages), GoodsYen: nullYen(a.Goods), TaxYen: nullYen(a.Tax), PostageYen: nullYen(a.Postage), PaymentFeeYen: nullYen(a.PaymentFee),
			DiscountYen: nullYen(a.Discount), PointsYen: nullYen(a.Points), TotalYen: nullYen(a.Total), RequestedYen: nullYen(a.Requested),
			PaymentMethod: o.PaymentMethod, Settlement: string(o.Settlement), MarketplaceStatusRaw: o.MarketplaceStatusRaw,
			MarketplaceStatus: string(o.MarketplaceStatus), PaymentStatus: string(o.PaymentStatus),
			RawPayload: o.RawPayload, MarketplaceUpdatedAt: nullTime(o.MarketplaceUpdatedAt), Now: u.now,
			LatestShipDate: nullTime(o.LatestShipDate), IsPrime: o.Prime,
			BuyerRemarks: o.Remarks,
		}); err != nil {
			return err
		}
		// Shipments are the shop's own entries and survive an overwrite.
		if err := u.t.q.DeleteOrderLines(ctx, state.ID); err != nil {
			return err
		}
		u.lines = slices.DeleteFunc(u.lines, func(l lineRow) bool { return l.OrderID == state.ID })
		u.addLines(state.ID, o.Lines)
		u.res.Overwritten++
	case changed:
		if _, err := u.t.q.RefreshMarketplaceState(ctx, sqlitedb.RefreshMarketplaceStateParams{
			ID: state.ID, MarketplaceStatusRaw: o.MarketplaceStatusRaw, MarketplaceStatus: string(o.MarketplaceStatus),
			PaymentStatus: string(o.PaymentStatus), MarketplaceUpdatedAt: nullTime(o.MarketplaceUpdatedAt), Now: u.now,
			LatestShipDate: nullTime(o.LatestShipDate),
		}); err != nil {
			return err
		}
		u.res.Refreshed++
	default:
		u.res.Unchanged++
	}
	return nil
}

func (t *tx) event(ctx context.Context, orderID int64, kind order.EventKind, actor string, from, to int64, message string, at time.Time) error {
	return t.q.InsertOrderEvent(ctx, sqlitedb.InsertOrderEventParams{
		OrderID: orderID, At: at, Kind: string(kind), Actor: actor, FromPhaseID: nullID(from), ToPhaseID: nullID(to), Message: message,
	})
}

// MoveOrder implements store.OrderWriter.
func (t *tx) MoveOrder(ctx context.Context, orderID, version, phaseID int64, actor string) error {
	o, err := t.q.GetOrder(ctx, orderID)
	if err != nil {
		return notFound(err, "注文")
	}
	if err := t.checkPhase(ctx, phaseID); err != nil {
		return err
	}
	if o.Version != version {
		return errStale
	}
	now := t.s.now()
	n, err := t.q.MoveOrderPhase(ctx, sqlitedb.MoveOrderPhaseParams{ID: orderID, Version: version, PhaseID: phaseID, Now: now})
	if err != nil {
		return fmt.Errorf("move order %d: %w", orderID, err)
	}
	if n == 0 {
		return errStale
	}
	return t.event(ctx, orderID, order.EventPhaseMoved, actor, o.PhaseID, phaseID, "", now)
}

// MoveOrderFrom implements store.OrderWriter.
func (s *Store) MoveOrderFrom(ctx context.Context, orderID, fromPhaseID, toPhaseID int64, actor string) (moved bool, err error) {
	err = s.write(ctx, func(t *tx) error {
		moved, err = t.MoveOrderFrom(ctx, orderID, fromPhaseID, toPhaseID, actor)
		return err
	})
	return moved, err
}

// MoveOrderFrom implements store.OrderWriter.
func (t *tx) MoveOrderFrom(ctx context.Context, orderID, fromPhaseID, toPhaseID int64, actor string) (bool, error) {
	for range 3 { // another writer may change the order between the read and the update
		o, err := t.q.GetOrder(ctx, orderID)
		if err != nil {
			return false, notFound(err, "注文")
		}
		if o.PhaseID != fromPhaseID {
			return false, nil
		}
		err = t.MoveOrder(ctx, orderID, o.Version, toPhaseID, actor)
		if !errors.Is(err, errStale) {
			return err == nil, err
		}
	}
	return false, errStale
}

// MoveOrders implements store.OrderWriter. The orders may be of any shops (the phases are every
// shop's); orders already in the phase are left as they are.
func (t *tx) MoveOrders(ctx context.Context, orderIDs []int64, phaseID int64, actor string) ([]int64, error) {
	if err := t.checkPhase(ctx, phaseID); err != nil {
		return nil, err
	}
	now := t.s.now()
	moved := make([]int64, 0, len(orderIDs))
	for _, ids := range chunks(orderIDs, idsPerStatement) {
		if _, err := t.q.LockOrders(ctx, ids); err != nil {
			return nil, fmt.Errorf("move orders: lock: %w", err)
		}
		if err := t.q.InsertPhaseMoveEvents(ctx, sqlitedb.InsertPhaseMoveEventsParams{At: now, Actor: actor, ToPhaseID: nullID(phaseID), Ids: ids}); err != nil {
			return nil, fmt.Errorf("move orders: events: %w", err)
		}
		got, err := t.q.MoveOrdersPhase(ctx, sqlitedb.MoveOrdersPhaseParams{ToPhaseID: phaseID, Now: now, Ids: ids})
		if err != nil {
			return nil, fmt.Errorf("move orders: %w", err)
		}
		moved = append(moved, got...)
	}
	return moved, nil
}

func (t *tx) checkPhase(ctx context.Context, phaseID int64) error {
	if _, err := t.q.GetPhase(ctx, phaseID); err != nil {
		return notFound(err, "移動先の処理フェーズ")
	}
	return nil
}

// MarkPhaseDone implements store.OrderWriter.
func (s *Store) MarkPhaseDone(ctx context.Context, orderID, phaseID int64) error {
	return s.write(ctx, func(t *tx) error { return t.MarkPhaseDone(ctx, orderID, phaseID) })
}

// MarkPhaseDone implements store.OrderWriter.
func (t *tx) MarkPhaseDone(ctx context.Context, orderID, phaseID int64) error {
	if _, err := t.q.MarkPhaseDone(ctx, sqlitedb.MarkPhaseDoneParams{ID: orderID, PhaseID: phaseID, Now: t.s.now()}); err != nil {
		return fmt.Errorf("mark order %d done in phase %d: %w", orderID, phaseID, err)
	}
	return nil
}

// UpdateShipments implements store.OrderWriter.
func (t *tx) UpdateShipments(ctx context.Context, orderID, version int64, shipments []order.Shipment, actor string) error {
	now := t.s.now()
	n, err := t.q.BumpOrderVersion(ctx, sqlitedb.BumpOrderVersionParams{ID: orderID, Version: version, Now: now})
	if err != nil {
		return fmt.Errorf("update shipments of %d: %w", orderID, err)
	}
	if n == 0 {
		if _, err := t.q.GetOrder(ctx, orderID); err != nil {
			return notFound(err, "注文")
		}
		return errStale
	}
	if err := t.q.DeleteOrderShipments(ctx, orderID); err != nil {
		return err
	}
	u := upsert{t: t}
	u.addShipments(orderID, shipments)
	if err := u.flushShipments(ctx); err != nil {
		return err
	}
	return t.event(ctx, orderID, order.EventUpdated, actor, 0, 0, "出荷情報を更新しました", now)
}

// SetLinkStatus implements store.OrderWriter.
func (t *tx) SetLinkStatus(ctx context.Context, orderIDs []int64, link store.Link) error {
	now := t.s.now()
	link.Message = store.LinkMessage(link.Message)
	for _, id := range orderIDs {
		n, err := t.q.SetOrderLinkStatus(ctx, sqlitedb.SetOrderLinkStatusParams{ID: id, LinkStatus: link.Status, LinkMessage: link.Message, LinkRef: link.Ref, Now: now})
		if err := mustAffect(n, err, "注文"); err != nil {
			return err
		}
	}
	return nil
}

// GetOrder implements store.Store.
func (s *Store) GetOrder(ctx context.Context, id int64) (order.Order, error) {
	row, err := s.reader.GetOrder(ctx, id)
	if err != nil {
		return order.Order{}, notFound(err, "注文")
	}
	return s.withDetails(ctx, row)
}

// GetOrders implements store.Store.
func (s *Store) GetOrders(ctx context.Context, ids []int64) ([]order.Order, error) {
	if len(ids) > store.MaxPageSize {
		return nil, fmt.Errorf("read %d orders: at most %d at a time", len(ids), store.MaxPageSize)
	}
	orders, err := s.ordersByID(ctx, ids)
	if err != nil || len(orders) == 0 {
		return orders, err
	}
	found := make([]int64, len(orders))
	byID := make(map[int64]*order.Order, len(orders))
	for i := range orders {
		found[i], byID[orders[i].ID] = orders[i].ID, &orders[i]
	}
	lines, err := s.reader.ListLinesOfOrders(ctx, found)
	if err != nil {
		return nil, fmt.Errorf("read lines of %d orders: %w", len(found), err)
	}
	for _, l := range lines {
		o := byID[l.OrderID]
		o.Lines = append(o.Lines, lineFromRow(l))
	}
	shipments, err := s.reader.ListShipmentsOfOrders(ctx, found)
	if err != nil {
		return nil, fmt.Errorf("read shipments of %d orders: %w", len(found), err)
	}
	for _, sh := range shipments {
		o := byID[sh.OrderID]
		o.Shipments = append(o.Shipments, shipmentFromRow(sh))
	}
	return orders, nil
}

// GetOrderByNumber implements store.Store.
func (s *Store) GetOrderByNumber(ctx context.Context, shopID int64, number string) (order.Order, error) {
	row, err := s.reader.GetOrderByNumber(ctx, sqlitedb.GetOrderByNumberParams{ShopID: shopID, Number: number})
	if err != nil {
		return order.Order{}, notFound(err, "注文 "+number)
	}
	return s.withDetails(ctx, row)
}

func (s *Store) withDetails(ctx context.Context, row sqlitedb.Order) (order.Order, error) {
	o, err := orderFromRow(row)
	if err != nil {
		return o, err
	}
	lines, err := s.reader.ListOrderLines(ctx, row.ID)
	if err != nil {
		return o, fmt.Errorf("order %d lines: %w", row.ID, err)
	}
	for _, l := range lines {
		o.Lines = append(o.Lines, lineFromRow(l))
	}
	shipments, err := s.reader.ListOrderShipments(ctx, row.ID)
	if err != nil {
		return o, fmt.Errorf("order %d shipments: %w", row.ID, err)
	}
	for _, sh := range shipments {
		o.Shipments = append(o.Shipments, shipmentFromRow(sh))
	}
	return o, nil
}

func lineFromRow(l sqlitedb.OrderLine) order.Line {
	return order.Line{PackageKey: l.PackageKey, SKU: l.Sku, Name: l.Name, Options: l.Options, UnitPrice: l.UnitPrice, Quantity: l.Quantity, TaxRate: l.TaxRate}
}

func shipmentFromRow(sh sqlitedb.OrderShipment) order.Shipment {
	return order.Shipment{PackageKey: sh.PackageKey, ShipDate: sh.ShipDate, Carrier: sh.Carrier, TrackingNumber: sh.TrackingNumber, MarketplaceRef: sh.MarketplaceRef}
}

// ListOrderEvents implements store.Store.
func (s *Store) ListOrderEvents(ctx context.Context, orderID int64) ([]order.Event, error) {
	rows, err := s.reader.ListOrderEvents(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("list events of %d: %w", orderID, err)
	}
	out := make([]order.Event, len(rows))
	for i, r := range rows {
		out[i] = order.Event{ID: r.ID, OrderID: r.OrderID, At: r.At, Kind: order.EventKind(r.Kind), Actor: r.Actor,
			FromPhaseID: r.FromPhaseID.Int64, ToPhaseID: r.ToPhaseID.Int64, FromPhaseName: r.FromPhaseName, ToPhaseName: r.ToPhaseName,
			Message: r.Message}
	}
	return out, nil
}

func nullYen(y order.Yen) sql.NullInt64 {
	v, ok := y.Value()
	return sql.NullInt64{Int64: v, Valid: ok}
}

func yen(n sql.NullInt64) order.Yen {
	if !n.Valid {
		return order.Unfixed()
	}
	return order.YenOf(n.Int64)
}

func orderFromRow(r sqlitedb.Order) (order.Order, error) {
	o := order.Order{
		ID: r.ID, ShopID: r.ShopID, Number: r.Number, OrderedAt: r.OrderedAt,
		Buyer: order.Person{Name: r.BuyerName, Kana: r.BuyerKana, Email: r.BuyerEmail, Phone: r.BuyerPhone, Zip: r.BuyerZip, Address: r.BuyerAddress},
		Amounts: order.Amounts{Goods: yen(r.GoodsYen), Tax: yen(r.TaxYen), Postage: yen(r.PostageYen), PaymentFee: yen(r.PaymentFeeYen),
			Discount: yen(r.DiscountYen), Points: yen(r.PointsYen), Total: yen(r.TotalYen), Requested: yen(r.RequestedYen)},
		PaymentMethod: r.PaymentMethod, Settlement: order.Settlement(r.Settlement),
		MarketplaceStatusRaw: r.MarketplaceStatusRaw, MarketplaceStatus: order.MarketplaceStatus(r.MarketplaceStatus),
		PaymentStatus: order.PaymentStatus(r.PaymentStatus), ManagementClass: order.ManagementClass(r.ManagementClass),
		BundleParentID: r.BundleParentID.Int64, SplitFromID: r.SplitFromID.Int64, PhaseID: r.PhaseID, PhaseDone: r.PhaseDone, PhaseEnteredAt: r.PhaseEnteredAt.Time,
		LinkStatus: r.LinkStatus, LinkMessage: r.LinkMessage, LinkRef: r.LinkRef, RawPayload: r.RawPayload, Version: r.Version,
		MarketplaceUpdatedAt: r.MarketplaceUpdatedAt.Time, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, PaidOn: r.PaidOn.String,
		LatestShipDate: r.LatestShipDate.Time, Prime: r.IsPrime,
		Remarks: r.BuyerRemarks, Memo: r.Memo,
	}
	if err := json.Unmarshal([]byte(r.Packages), &o.Packages); err != nil {
		return o, fmt.Errorf("order %d packages: %w", r.ID, err)
	}
	return o, nil
}
