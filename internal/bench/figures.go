package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Goals of the order list and the import on a store of a million orders.
const (
	ListGoal   = 100 * time.Millisecond // p95 of a page, its count included
	MoveGoal   = 2 * time.Second        // 10,000 selected orders moved at once
	ImportGoal = 0.5                    // import rate ÷ the raw multi-row INSERT's
)

// runs is how many times each page is read for its percentiles.
const runs = 40

// Figure is one measurement.
type Figure struct {
	Name     string
	Found    int64         // orders the search counted (capped), for searches
	P50, P95 time.Duration // for timed reads and writes
	Rate     float64       // for ratios, such as import ÷ raw INSERT
	Goal     string
	Ratio    float64 // the figure ÷ its goal; at most 1 meets a time goal, at least 1 a rate goal
}

// Figures is what Run measured.
type Figures struct {
	Engine string
	Orders int64
	Rows   []Figure
}

// errRollback ends a transaction whose writes were only measured.
var errRollback = errors.New("bench: roll back")

// Run measures the store built by Seed: pages of the order list under each kind of filter and
// keyword, 10,000 orders moved at once, and the import of 10,000 new orders beside a raw
// multi-row INSERT of the same rows. The writes are rolled back, so the store stays as seeded.
func Run(ctx context.Context, st store.Store) (Figures, error) {
	f := Figures{Engine: st.Engine()}
	main, err := shopByCode(ctx, st, MainShopCode)
	if err != nil {
		return f, err
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return f, err
	}
	phase := map[string]int64{}
	for _, p := range phases {
		phase[p.Name] = p.ID
	}
	if err := st.ReadDB().QueryRowContext(ctx, "SELECT count(*) FROM orders").Scan(&f.Orders); err != nil {
		return f, err
	}
	errorStatus, errorMessage := "rakuten_ship_report_error", "送付先の郵便番号が正しくありません。注文詳細で送付先を確認してから、もう一度送ってください。(3)"
	last := Start.Add(time.Duration(f.Orders) * time.Minute)
	pages := []struct {
		name string
		q    store.OrderQuery
	}{
		{"list: one shop's phase 出荷待ち", store.OrderQuery{ShopID: main.ID, PhaseID: phase["出荷待ち"]}},
		{"list: one shop, all phases", store.OrderQuery{ShopID: main.ID}},
		{"list: every shop", store.OrderQuery{}},
		{"list: the week before last", store.OrderQuery{ShopID: main.ID, OrderedFrom: last.AddDate(0, 0, -14), OrderedTo: last.AddDate(0, 0, -7)}},
		{"list: marketplace status 発送待ち", store.OrderQuery{MarketplaceStatus: order.StatusAwaitingShipment}},
		{"list: postage unfixed", store.OrderQuery{ShopID: main.ID, PostageUnfixed: true}},
		{"list: a 要対応 group", store.OrderQuery{ShopID: main.ID, LinkStatus: &errorStatus, LinkMessage: &errorMessage}},
		{"search: 佐藤", store.OrderQuery{Keyword: "佐藤"}},
		{"search: 鈴木", store.OrderQuery{Keyword: "鈴木"}},
		{"search: 林 (one character)", store.OrderQuery{Keyword: "林"}},
		{"search: 佐藤 太郎", store.OrderQuery{Keyword: "佐藤 太郎"}},
		{"search: 黒崎 (rare name)", store.OrderQuery{Keyword: "黒崎"}},
		{"search: さと (kana as typed)", store.OrderQuery{Keyword: "さと"}},
		{"search: サトウ (reading)", store.OrderQuery{Keyword: "サトウ"}},
		{"search: 佐藤 in one shop's phase 完了", store.OrderQuery{ShopID: main.ID, PhaseID: phase["完了"], Keyword: "佐藤"}},
		{"search: order number tail", store.OrderQuery{Keyword: fmt.Sprintf("%010d", f.Orders/2+321)}},
		{"search: tracking number", store.OrderQuery{Keyword: trackingNumber(f.Orders / 3)}},
	}
	for _, p := range pages {
		var found int64
		p50, p95, err := percentiles(func() error {
			page, err := st.SearchOrders(ctx, p.q)
			found = page.Total
			return err
		})
		if err != nil {
			return f, fmt.Errorf("%s: %w", p.name, err)
		}
		f.Rows = append(f.Rows, Figure{Name: p.name, Found: found, P50: p50, P95: p95, Goal: "≤ 100 ms", Ratio: p95.Seconds() / ListGoal.Seconds()})
	}
	p50, p95, err := percentiles(func() error {
		_, err := st.CountOrdersByPhase(ctx, store.OrderQuery{ShopID: main.ID})
		return err
	})
	if err != nil {
		return f, err
	}
	f.Rows = append(f.Rows, Figure{Name: "side bar: counts per phase", P50: p50, P95: p95, Goal: "≤ 100 ms", Ratio: p95.Seconds() / ListGoal.Seconds()})
	move, err := moveOrders(ctx, st, main.ID, phase)
	if err != nil {
		return f, err
	}
	f.Rows = append(f.Rows, move)
	imp, err := importOrders(ctx, st)
	if err != nil {
		return f, err
	}
	f.Rows = append(f.Rows, imp...)
	return f, nil
}

// moveOrders times the bulk move of 10,000 completed orders to 保留, rolled back.
func moveOrders(ctx context.Context, st store.Store, shopID int64, phase map[string]int64) (Figure, error) {
	ids, err := st.OrderIDs(ctx, store.OrderQuery{ShopID: shopID, PhaseID: phase["完了"]}, 10_000)
	if err != nil {
		return Figure{}, err
	}
	var took time.Duration
	err = st.InTx(ctx, func(tx store.Tx) error {
		start := time.Now()
		moved, err := tx.MoveOrders(ctx, ids, phase["保留"], "bench")
		took = time.Since(start)
		if err != nil {
			return err
		}
		if len(moved) != len(ids) {
			return fmt.Errorf("bench: moved %d of %d orders", len(moved), len(ids))
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return Figure{}, fmt.Errorf("bench: move: %w", err)
	}
	return Figure{Name: fmt.Sprintf("move: %d orders at once", len(ids)), P50: took, P95: took, Goal: "≤ 2 s", Ratio: took.Seconds() / MoveGoal.Seconds()}, nil
}

// shopByCode finds a seeded shop.
func shopByCode(ctx context.Context, st store.Store, code string) (shop.Shop, error) {
	shops, err := st.ListShops(ctx)
	if err != nil {
		return shop.Shop{}, err
	}
	for _, s := range shops {
		if s.Code == code {
			return s, nil
		}
	}
	return shop.Shop{}, fmt.Errorf("bench: no shop %s in this database: build one first with `ichigen bench seed`", code)
}

// percentiles runs f runs times and returns the p50 and p95 of its durations.
func percentiles(f func() error) (p50, p95 time.Duration, err error) {
	d := make([]time.Duration, runs)
	for i := range d {
		start := time.Now()
		if err := f(); err != nil {
			return 0, 0, err
		}
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	return d[runs/2], d[(runs*95+99)/100-1], nil
}

// Print writes the figures as a table.
func (f Figures) Print(w io.Writer) error {
	fmt.Fprintf(w, "ichigen bench: %s, %d orders\n\n", f.Engine, f.Orders)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tfound\tp50\tp95 / rate\tgoal\tratio to goal\t")
	for _, r := range f.Rows {
		found, p50, value := "", "", fmt.Sprintf("%.2f×", r.Rate)
		if r.Rate == 0 {
			p50, value = ms(r.P50), ms(r.P95)
		}
		if r.Found > 0 {
			found = fmt.Sprint(r.Found)
			if store.Capped(r.Found) {
				found = fmt.Sprintf("> %d", store.CountCap)
			}
		}
		ratio := ""
		if r.Ratio != 0 {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, found, p50, value, r.Goal, ratio)
	}
	return tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
