package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// An import writes new orders, their lines and their shipments with multi-row INSERTs: one
// statement per few hundred rows, each statement text prepared once per transaction. One INSERT
// per order spent a third of SQLite's time parsing the same statement again, and a round trip
// per order on PostgreSQL.

// paramsPerStatement bounds the values bound into one INSERT: SQLite allows 32,766 variables,
// PostgreSQL 65,535.
const paramsPerStatement = 16_000

// orderColumns are the columns a new order is written with, in the order newOrderRow binds them.
var orderColumns = []string{"shop_id", "number", "ordered_at", "buyer_name", "buyer_kana", "buyer_email", "buyer_phone",
	"buyer_zip", "buyer_address", "packages", "goods_yen", "tax_yen", "postage_yen", "payment_fee_yen", "discount_yen",
	"points_yen", "total_yen", "requested_yen", "payment_method", "settlement", "marketplace_status_raw", "marketplace_status",
	"payment_status", "phase_id", "raw_payload", "marketplace_updated_at", "created_at", "updated_at",
	"latest_ship_date", "is_prime", "phase_entered_at", "buyer_remarks"}

var (
	lineColumns     = []string{"order_id", "position", "package_key", "sku", "name", "options", "unit_price", "quantity", "tax_rate"}
	shipmentColumns = []string{"order_id", "position", "package_key", "ship_date", "carrier", "tracking_number", "marketplace_ref"}
)

// newOrderRow is the values of orderColumns for o.
func (u *upsert) newOrderRow(o *order.Order) ([]any, error) {
	packages, err := json.Marshal(o.Packages)
	if err != nil {
		return nil, err
	}
	a := o.Amounts
	return []any{u.shopID, o.Number, ts(o.OrderedAt), o.Buyer.Name, o.Buyer.Kana, o.Buyer.Email, o.Buyer.Phone,
		o.Buyer.Zip, o.Buyer.Address, string(packages), nullYen(a.Goods), nullYen(a.Tax), nullYen(a.Postage), nullYen(a.PaymentFee), nullYen(a.Discount),
		nullYen(a.Points), nullYen(a.Total), nullYen(a.Requested), o.PaymentMethod, string(o.Settlement), o.MarketplaceStatusRaw, string(o.MarketplaceStatus),
		string(o.PaymentStatus), u.opts.PhaseID, o.RawPayload, nullTime(o.MarketplaceUpdatedAt), u.now, u.now,
		nullTime(o.LatestShipDate), o.Prime, u.now, o.Remarks}, nil
}

// insertOrders inserts the orders whose number no order of the shop has yet and returns the id
// of each one stored, by number. An order another import stored meanwhile is left out (ON
// CONFLICT DO NOTHING), for the caller to update.
func (u *upsert) insertOrders(ctx context.Context, orders []*order.Order) (map[string]int64, error) {
	rows := make([][]any, len(orders))
	for i, o := range orders {
		row, err := u.newOrderRow(o)
		if err != nil {
			return nil, fmt.Errorf("order %s: %w", o.Number, err)
		}
		rows[i] = row
	}
	ids := make(map[string]int64, len(orders))
	err := u.t.insertRows(ctx, "orders", orderColumns, rows, " ON CONFLICT (shop_id, number) DO NOTHING RETURNING id, number", func(r *sql.Rows) error {
		var id int64
		var number string
		if err := r.Scan(&id, &number); err != nil {
			return err
		}
		ids[number] = id
		return nil
	})
	return ids, err
}

// addShipments gathers an order's shipments for flushShipments.
func (u *upsert) addShipments(orderID int64, shipments []order.Shipment) {
	for i, sh := range shipments {
		u.shipments = append(u.shipments, []any{orderID, int64(i + 1), sh.PackageKey, sh.ShipDate, sh.Carrier,
			order.NormaliseTrackingNumber(sh.TrackingNumber), sh.MarketplaceRef})
	}
}

// flushLines writes the lines gathered.
func (u *upsert) flushLines(ctx context.Context) error {
	rows := make([][]any, len(u.lines))
	for i, l := range u.lines {
		rows[i] = []any{l.OrderID, int64(l.Position), l.PackageKey, l.SKU, l.Name, l.Options, l.UnitPrice, l.Quantity, l.TaxRate}
	}
	u.lines = u.lines[:0]
	if err := u.t.insertRows(ctx, "order_lines", lineColumns, rows, "", nil); err != nil {
		return fmt.Errorf("import: lines: %w", err)
	}
	return nil
}

// flushShipments writes the shipments gathered.
func (u *upsert) flushShipments(ctx context.Context) error {
	rows := u.shipments
	u.shipments = u.shipments[:0]
	if err := u.t.insertRows(ctx, "order_shipments", shipmentColumns, rows, "", nil); err != nil {
		return fmt.Errorf("shipments: %w", err)
	}
	return nil
}

// insertRows writes rows into table with multi-row INSERTs, suffix after the values; scan, when
// not nil, reads each row the statements return.
func (t *tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any, suffix string, scan func(*sql.Rows) error) error {
	perStatement := paramsPerStatement / len(cols)
	for start := 0; start < len(rows); start += perStatement {
		batch := rows[start:min(start+perStatement, len(rows))]
		stmt, err := t.prepared(ctx, store.InsertText(t.s.cfg.Engine, table, cols, len(batch))+suffix)
		if err != nil {
			return err
		}
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		if scan == nil {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		if err := eachRow(rows, scan); err != nil {
			return err
		}
	}
	return nil
}

// eachRow calls scan on each row of a result and closes it.
func eachRow(rows *sql.Rows, scan func(*sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// prepared returns query prepared on the transaction, once: an import's batches share their
// statement texts, and the transaction closes the statements when it ends.
func (t *tx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if stmt, ok := t.stmts[query]; ok {
		return stmt, nil
	}
	stmt, err := t.sqlTx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = stmt
	return stmt, nil
}
