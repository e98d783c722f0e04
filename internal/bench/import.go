package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// importShopCode is the shop the import figures write into, in transactions rolled back.
const importShopCode = "bench-import"

// importCount is how many new orders the import figures write.
const importCount = 10_000

// importOrders times the import of 10,000 new orders, their re-import, and a raw multi-row
// INSERT of the same order and line rows (the least work any import can do), each in a
// transaction rolled back.
func importOrders(ctx context.Context, st store.Store) ([]Figure, error) {
	sh, err := shopByCode(ctx, st, importShopCode)
	if err != nil {
		sh, err = st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(rakuten.Name), Name: "ベンチ取込店", Code: importShopCode,
			Credentials: shop.Credentials{"serviceSecret": "SP-bench", "licenseKey": "SL-bench"}})
		if err != nil {
			return nil, fmt.Errorf("bench: import shop: %w", err)
		}
	}
	phaseID, err := phaseOf(ctx, st, "新規受付")
	if err != nil {
		return nil, err
	}
	g := newOrderMaker(importCount)
	orders := g.orders(importCount, importCount) // newer than the maker's total: new orders, no shipments
	var imported, reimported, raw time.Duration
	err = st.InTx(ctx, func(tx store.Tx) error {
		start := time.Now()
		if _, err := tx.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{PhaseID: phaseID, Actor: "bench"}); err != nil {
			return err
		}
		imported = time.Since(start)
		start = time.Now()
		res, err := tx.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{PhaseID: phaseID, Actor: "bench"})
		if err != nil {
			return err
		}
		if res.Unchanged != len(orders) {
			return fmt.Errorf("bench: the re-import changed %d orders", len(orders)-res.Unchanged)
		}
		reimported = time.Since(start)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return nil, fmt.Errorf("bench: import: %w", err)
	}
	err = st.InTx(ctx, func(tx store.Tx) error {
		start := time.Now()
		if err := rawInsert(ctx, tx.SQL(), st.Engine(), sh.ID, phaseID, orders); err != nil {
			return err
		}
		raw = time.Since(start)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return nil, fmt.Errorf("bench: raw INSERT: %w", err)
	}
	rate := func(d time.Duration) string { return fmt.Sprintf("(%.0f orders/s)", importCount/d.Seconds()) }
	ratio := raw.Seconds() / imported.Seconds()
	return []Figure{
		{Name: "import: 10,000 new orders " + rate(imported), P50: imported, P95: imported},
		{Name: "re-import: 10,000 unchanged " + rate(reimported), P50: reimported, P95: reimported},
		{Name: "raw multi-row INSERT: the same rows " + rate(raw), P50: raw, P95: raw},
		{Name: "import ÷ raw multi-row INSERT", Rate: ratio, Goal: "≥ 0.5×", Ratio: ratio / ImportGoal},
	}, nil
}

// rawInsert writes the orders and their lines with multi-row INSERTs of 500 orders each.
func rawInsert(ctx context.Context, tx *sql.Tx, engine string, shopID, phaseID int64, orders []order.Order) error {
	now := time.Now().UTC()
	orderCols := []string{"shop_id", "number", "ordered_at", "buyer_name", "buyer_kana", "buyer_email", "buyer_phone", "buyer_zip",
		"buyer_address", "packages", "goods_yen", "postage_yen", "total_yen", "payment_method", "settlement", "marketplace_status_raw",
		"marketplace_status", "payment_status", "phase_id", "raw_payload", "created_at", "updated_at"}
	lineCols := []string{"order_id", "position", "package_key", "sku", "name", "options", "unit_price", "quantity", "tax_rate"}
	for start := 0; start < len(orders); start += 500 {
		batch := orders[start:min(start+500, len(orders))]
		var args []any
		for _, o := range batch {
			args = append(args, shopID, o.Number, o.OrderedAt.UTC(), o.Buyer.Name, o.Buyer.Kana, o.Buyer.Email, o.Buyer.Phone, o.Buyer.Zip,
				o.Buyer.Address, `[{"key":"1"}]`, o.Amounts.Goods.Int64Ptr(), o.Amounts.Postage.Int64Ptr(), o.Amounts.Total.Int64Ptr(),
				o.PaymentMethod, string(o.Settlement), o.MarketplaceStatusRaw, string(o.MarketplaceStatus), string(o.PaymentStatus), phaseID,
				o.RawPayload, now, now)
		}
		rows, err := tx.QueryContext(ctx, store.InsertText(engine, "orders", orderCols, len(batch))+" RETURNING id", args...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		args, n := args[:0], 0
		for i, o := range batch {
			for j, l := range o.Lines {
				args = append(args, ids[i], j+1, l.PackageKey, l.SKU, l.Name, l.Options, l.UnitPrice, l.Quantity, l.TaxRate)
				n++
			}
		}
		if _, err := tx.ExecContext(ctx, store.InsertText(engine, "order_lines", lineCols, n), args...); err != nil {
			return err
		}
	}
	return nil
}
