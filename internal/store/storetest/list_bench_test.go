package storetest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/ordercsv"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// BenchmarkOrderList measures the order list (注文一括処理) on a store of 1,000,000 orders
// (ICHIGEN_BENCH_ORDERS to change it): p50 and p95 of the first page of a typical search (one
// shop, one phase, newest first, with its total) and of keyword searches, the side bar's counts
// per phase, the 要対応 page's link errors grouped by cause and the list of the largest group, the time to write the largest CSV (100,000 orders) and to move 10,000 selected
// orders. Targets: p95 under 100 ms; 10,000
// moved in under 2 s.
//
//	go test -run '^$' -bench OrderList -benchtime 1x -timeout 60m ./internal/store/storetest
func BenchmarkOrderList(b *testing.B) {
	total := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ICHIGEN_BENCH_ORDERS")); err == nil && v > 0 {
		total = v
	}
	for _, engine := range Engines() {
		b.Run(engine.Name, func(b *testing.B) {
			st := engine.Open(b)
			ctx := context.Background()
			sh, phases := NewShop(b, st, "bench")
			other, otherPhases := NewShop(b, st, "other")
			names := []string{"新規受付", "確認待ち", "入金待ち", "出荷待ち", "出荷済み", "完了", "完了", "完了", "完了", "完了"}
			start := time.Now()
			for chunk, from := 0, 0; from < total; chunk, from = chunk+1, from+benchOrders {
				shopID, phaseID := sh.ID, phases[names[chunk%len(names)]].ID
				if chunk%5 == 4 { // a fifth of the orders belong to another shop
					shopID, phaseID = other.ID, otherPhases["完了"].ID
				}
				floorInsert(b, st, shopID, phaseID, MakeOrders(from, min(benchOrders, total-from), base))
			}
			// Link statuses as such a store has them: a third reported, and 2% in error in a few
			// dozen groups of cause (the 要対応 page's groups).
			for _, stmt := range []string{
				"UPDATE orders SET link_status = 'rakuten_ship_reported' WHERE id % 3 = 0",
				"UPDATE orders SET link_status = CASE id % 150 WHEN 1 THEN 'rakuten_confirm_error' WHEN 51 THEN 'rakuten_payment_review_ng' ELSE 'rakuten_ship_report_error' END, " +
					"link_message = '送付先の郵便番号が正しくありません。注文詳細で送付先を確認してから、もう一度送ってください。(' || CAST(id % 7 AS TEXT) || ')' WHERE id % 50 = 1",
			} {
				if _, err := st.DB().ExecContext(ctx, stmt); err != nil {
					b.Fatal(err)
				}
			}
			// What autovacuum does after a bulk load on PostgreSQL: statistics, and the visibility
			// map that lets counts read the index alone.
			maintenance := "ANALYZE"
			if engine.Name == store.EnginePostgres {
				maintenance = "VACUUM ANALYZE"
			}
			if _, err := st.DB().ExecContext(ctx, maintenance); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d orders loaded in %v", engine.Name, total, time.Since(start).Round(time.Second))
			queries := []struct {
				name string
				q    store.OrderQuery
			}{
				{"typical", store.OrderQuery{ShopID: sh.ID, PhaseID: phases["出荷待ち"].ID}},
				{"shop_all", store.OrderQuery{ShopID: sh.ID}},
				// MakeOrders names buyer k after familyNames[k%10] and givenNames[k%8]: 佐藤 is
				// one buyer in ten, 佐藤 一郎 (k ≡ 10 mod 40) one in forty.
				{"keyword_family_name", store.OrderQuery{Keyword: "佐藤"}},
				{"keyword_name", store.OrderQuery{Keyword: "佐藤 一郎"}},
				{"keyword_number", store.OrderQuery{Keyword: fmt.Sprintf("%08d", total/2+321)}},
			}
			for _, tc := range queries {
				p50, p95 := percentiles(b, 40, func() error {
					page, err := st.SearchOrders(ctx, tc.q)
					if err == nil && page.Total == 0 {
						err = fmt.Errorf("%s finds no order: the benchmark would time an empty search", tc.name)
					}
					return err
				})
				b.ReportMetric(p50, tc.name+"_p50_ms")
				b.ReportMetric(p95, tc.name+"_p95_ms")
			}
			p50, p95 := percentiles(b, 20, func() error {
				_, err := st.CountOrdersByPhase(ctx, store.OrderQuery{ShopID: sh.ID})
				return err
			})
			b.ReportMetric(p50, "phase_counts_p50_ms")
			b.ReportMetric(p95, "phase_counts_p95_ms")
			// The 要対応 page: the orders in error grouped by shop, status and message, and the
			// order list of the largest group, where its link leads.
			var groups []store.LinkErrorGroup
			p50, p95 = percentiles(b, 40, func() (err error) {
				groups, err = st.LinkErrorGroups(ctx, store.LinkErrorQuery{})
				return err
			})
			if len(groups) == 0 {
				b.Fatal("no link error groups")
			}
			b.ReportMetric(p50, "link_error_groups_p50_ms")
			b.ReportMetric(p95, "link_error_groups_p95_ms")
			b.ReportMetric(float64(len(groups)), "link_error_groups")
			status, message := groups[0].LinkStatus, groups[0].LinkMessage
			group := store.OrderQuery{ShopID: groups[0].ShopID, LinkStatus: &status, LinkMessage: &message}
			p50, p95 = percentiles(b, 40, func() error {
				page, err := st.SearchOrders(ctx, group)
				if err == nil && page.Total != groups[0].Count {
					err = fmt.Errorf("the largest group's list finds %d orders, the group counts %d", page.Total, groups[0].Count)
				}
				return err
			})
			b.ReportMetric(p50, "link_error_list_p50_ms")
			b.ReportMetric(p95, "link_error_list_p95_ms")
			// The largest CSV 「CSV出力」 writes, 100,000 orders, in Shift_JIS (the slower encoding).
			csvIDs, err := st.OrderIDs(ctx, store.OrderQuery{ShopID: sh.ID}, ordercsv.MaxRows)
			if err != nil || len(csvIDs) == 0 {
				b.Fatalf("%d ids: %v", len(csvIDs), err)
			}
			csvStart := time.Now()
			file, err := ordercsv.Write(ctx, st, ordercsv.Selection{IDs: csvIDs}, ordercsv.ShiftJIS, time.Now())
			if err != nil || file.Rows != len(csvIDs) {
				b.Fatalf("csv: %v", err)
			}
			b.ReportMetric(time.Since(csvStart).Seconds(), "csv_s")
			b.ReportMetric(float64(file.Rows), "csv_rows")
			_ = file.Close()
			// 10,000 selected orders moved at once, as the bulk move does.
			ids, err := st.OrderIDs(ctx, store.OrderQuery{ShopID: sh.ID}, 10_000)
			if err != nil || len(ids) != 10_000 {
				b.Fatalf("%d ids: %v", len(ids), err)
			}
			moveStart := time.Now()
			moved, err := st.MoveOrders(ctx, ids, phases["保留"].ID, "bench")
			if err != nil || len(moved) != len(ids) {
				b.Fatalf("moved %d: %v", len(moved), err)
			}
			b.ReportMetric(time.Since(moveStart).Seconds(), "move_10000_s")
		})
	}
}

// percentiles runs f n times and returns the p50 and p95 of its durations, in milliseconds.
func percentiles(b *testing.B, n int, f func() error) (p50, p95 float64) {
	b.Helper()
	d := make([]time.Duration, n)
	for i := range d {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	ms := func(x time.Duration) float64 { return float64(x.Microseconds()) / 1000 }
	return ms(d[n/2]), ms(d[(n*95+99)/100-1])
}
