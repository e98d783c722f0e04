package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The store benchmarks report rates and, measured in the same run, the rate of the floor: a plain
// multi-row INSERT of the same order and line rows in one transaction. Run with
//
//	go test -run '^$' -bench . -benchtime 1x ./internal/store/storetest

const benchOrders = 10_000

func BenchmarkUpsertOrders(b *testing.B) {
	for _, engine := range Engines() {
		b.Run(engine.Name, func(b *testing.B) {
			st := engine.Open(b)
			ctx := context.Background()
			var upsert, reimport, floor time.Duration
			for i := range b.N {
				sh, _ := NewShop(b, st, fmt.Sprintf("bench%d", i))
				orders := MakeOrders(1, benchOrders, base)
				start := time.Now()
				if _, err := st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{}); err != nil {
					b.Fatal(err)
				}
				upsert += time.Since(start)
				start = time.Now()
				if _, err := st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{}); err != nil {
					b.Fatal(err)
				}
				reimport += time.Since(start)
				floorShop, floorPhases := NewShop(b, st, fmt.Sprintf("floor%d", i))
				start = time.Now()
				floorInsert(b, st, floorShop.ID, floorPhases["新規受付"].ID, orders)
				floor += time.Since(start)
			}
			n := float64(benchOrders * b.N)
			b.ReportMetric(n/upsert.Seconds(), "upsert_orders/s")
			b.ReportMetric(n/reimport.Seconds(), "reimport_orders/s")
			b.ReportMetric(n/floor.Seconds(), "floor_orders/s")
			b.ReportMetric(upsert.Seconds()/floor.Seconds(), "upsert/floor_time")
		})
	}
}

func BenchmarkMoveOrders(b *testing.B) {
	for _, engine := range Engines() {
		b.Run(engine.Name, func(b *testing.B) {
			st := engine.Open(b)
			ctx := context.Background()
			sh, phases := NewShop(b, st, "bench")
			orders := MakeOrders(1, benchOrders, base)
			res, err := st.UpsertOrders(ctx, sh.ID, orders, store.UpsertOptions{})
			if err != nil {
				b.Fatal(err)
			}
			floorShop, floorPhases := NewShop(b, st, "floor")
			var move, floor time.Duration
			for i := range b.N {
				to := phases["出荷待ち"].ID
				if i%2 == 1 {
					to = phases["出荷済み"].ID
				}
				start := time.Now()
				moved, err := st.MoveOrders(ctx, res.IDs, to, "bench")
				if err != nil || len(moved) != benchOrders {
					b.Fatalf("moved %d: %v", len(moved), err)
				}
				move += time.Since(start)
				floorOrders := MakeOrders(benchOrders*(i+1), benchOrders, base)
				start = time.Now()
				floorInsert(b, st, floorShop.ID, floorPhases["新規受付"].ID, floorOrders)
				floor += time.Since(start)
			}
			n := float64(benchOrders * b.N)
			b.ReportMetric(n/move.Seconds(), "move_orders/s")
			b.ReportMetric(n/floor.Seconds(), "floor_orders/s")
			b.ReportMetric(move.Seconds()/floor.Seconds(), "move/floor_time")
		})
	}
}

func BenchmarkSearchPage(b *testing.B) {
	const total = 100_000
	for _, engine := range Engines() {
		b.Run(engine.Name, func(b *testing.B) {
			st := engine.Open(b)
			ctx := context.Background()
			sh, phases := NewShop(b, st, "bench")
			other, otherPhases := NewShop(b, st, "other")
			for start := 0; start < total; start += benchOrders {
				shopID, phaseID := sh.ID, phases["新規受付"].ID
				if start%(4*benchOrders) == 0 {
					shopID, phaseID = other.ID, otherPhases["新規受付"].ID
				}
				floorInsert(b, st, shopID, phaseID, MakeOrders(start, benchOrders, base))
			}
			page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 3000})
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, len(page.Orders))
			for i, o := range page.Orders {
				ids[i] = o.ID
			}
			if _, err := st.MoveOrders(ctx, ids, phases["出荷待ち"].ID, "bench"); err != nil {
				b.Fatal(err)
			}
			if _, err := st.DB().ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			queries := map[string]store.OrderQuery{
				"shop":          {ShopID: sh.ID},
				"shop_phase":    {ShopID: sh.ID, PhaseID: phases["出荷待ち"].ID},
				"date_range":    {ShopID: sh.ID, OrderedFrom: base.Add(1000 * time.Hour), OrderedTo: base.Add(1100 * time.Hour)},
				"keyword_buyer": {Keyword: "佐藤 一郎"}, // MakeOrders: k ≡ 10 mod 40
				"keyword_order": {Keyword: fmt.Sprintf("-%08d", 54321)},
			}
			for name, q := range queries {
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						if _, err := st.SearchOrders(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// floorInsert writes the orders and their lines with multi-row INSERTs in one transaction: the
// least work any import can do.
func floorInsert(b *testing.B, st store.Store, shopID, phaseID int64, orders []order.Order) {
	b.Helper()
	ctx := context.Background()
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	const perStatement = 500
	for start := 0; start < len(orders); start += perStatement {
		batch := orders[start:min(start+perStatement, len(orders))]
		cols := "shop_id, number, ordered_at, buyer_name, buyer_email, buyer_phone, buyer_zip, buyer_address, packages, goods_yen, postage_yen, total_yen, payment_method, settlement, marketplace_status_raw, marketplace_status, payment_status, phase_id, raw_payload, created_at, updated_at"
		ncol := strings.Count(cols, ",") + 1
		var args []any
		for _, o := range batch {
			args = append(args, shopID, o.Number, o.OrderedAt, o.Buyer.Name, o.Buyer.Email, o.Buyer.Phone, o.Buyer.Zip, o.Buyer.Address, `[{"key":"1"}]`,
				o.Amounts.Goods.Int64Ptr(), o.Amounts.Postage.Int64Ptr(), o.Amounts.Total.Int64Ptr(), o.PaymentMethod, string(o.Settlement),
				o.MarketplaceStatusRaw, string(o.MarketplaceStatus), string(o.PaymentStatus), phaseID, o.RawPayload, now, now)
		}
		rows, err := tx.QueryContext(ctx, "INSERT INTO orders ("+cols+") VALUES "+store.Values(st.Engine(), len(batch), ncol)+" RETURNING id", args...)
		if err != nil {
			b.Fatal(err)
		}
		ids := scanIDs(b, rows)
		args = args[:0]
		nlines := 0
		for i, o := range batch {
			for j, l := range o.Lines {
				args = append(args, ids[i], j+1, l.PackageKey, l.SKU, l.Name, l.Options, l.UnitPrice, l.Quantity, l.TaxRate)
				nlines++
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO order_lines (order_id, position, package_key, sku, name, options, unit_price, quantity, tax_rate) VALUES "+store.Values(st.Engine(), nlines, 9), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func scanIDs(b *testing.B, rows *sql.Rows) []int64 {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return ids
}
