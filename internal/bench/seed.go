// Package bench builds a realistic order store of any size (`ichigen bench seed`) and measures the
// order list, the keyword search, the bulk move and the import against it (`ichigen bench`), so
// anyone can check the speed goals on their own machine and engine.
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The seeded shops, found again by their codes: four orders in five belong to the main shop.
const (
	MainShopCode  = "bench-main"
	OtherShopCode = "bench-other"
)

// chunkOrders is how many orders one import call of the seed stores.
const chunkOrders = 5_000

// Start is the first seeded order's time; one order follows another each minute, so a million
// orders span two years, the newest ones the last to be stored.
var Start = time.Date(2024, 1, 1, 0, 0, 0, 0, order.JST)

// SeedOptions says how large a store Seed builds.
type SeedOptions struct {
	Orders int
	// Progress, when set, is told the orders stored so far after each chunk.
	Progress func(done int)
}

// Seed adds the bench shops and opts.Orders orders to st through the import, the way a shop's
// history accumulates: the oldest orders completed and reported with tracking numbers, the
// newest still in the first phases, buyers named at the national frequency of their family
// names, and link statuses, errors among them, as a working store has them.
func Seed(ctx context.Context, st store.Store, opts SeedOptions) error {
	shops := map[string]int64{}
	for _, s := range []shop.Shop{{Channel: shop.Channel(rakuten.Name), Name: "ベンチ本店", Code: MainShopCode}, {Channel: shop.Channel(rakuten.Name), Name: "ベンチ二号店", Code: OtherShopCode}} {
		s.Credentials = shop.Credentials{"serviceSecret": "SP-bench", "licenseKey": "SL-bench"}
		created, err := st.CreateShop(ctx, s)
		if err != nil {
			return fmt.Errorf("bench seed: create shop %s: %w", s.Code, err)
		}
		shops[s.Code] = created.ID
	}
	g := newOrderMaker(opts.Orders)
	for from, chunk := 0, 0; from < opts.Orders; from, chunk = from+chunkOrders, chunk+1 {
		shopID := shops[MainShopCode]
		if chunk%5 == 4 {
			shopID = shops[OtherShopCode]
		}
		n := min(chunkOrders, opts.Orders-from)
		if err := g.importRuns(ctx, st, shopID, from, n); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(from + n)
		}
	}
	return setLinkStatuses(ctx, st)
}

// importRuns imports the n orders from the from-th on, each run of one phase into that phase.
func (g *orderMaker) importRuns(ctx context.Context, st store.Store, shopID int64, from, n int) error {
	for start := from; start < from+n; {
		end := start + 1
		for end < from+n && g.phase(end) == g.phase(start) {
			end++
		}
		phase, err := phaseOf(ctx, st, g.phase(start))
		if err != nil {
			return err
		}
		if _, err := st.UpsertOrders(ctx, shopID, g.orders(start, end-start), store.UpsertOptions{PhaseID: phase, Actor: "bench"}); err != nil {
			return fmt.Errorf("bench seed: import orders %d–%d: %w", start, end, err)
		}
		start = end
	}
	return nil
}

// phaseOf finds a phase by name (the phases are every shop's).
func phaseOf(ctx context.Context, st store.Store, name string) (int64, error) {
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return 0, fmt.Errorf("bench seed: phases: %w", err)
	}
	for _, p := range phases {
		if p.Name == name {
			return p.ID, nil
		}
	}
	return 0, fmt.Errorf("bench seed: no phase %s", name)
}

// setLinkStatuses gives the orders the link statuses their phases imply, one order in fifty in
// error in a few dozen groups of cause, and puts some orders on hold or cancelled.
func setLinkStatuses(ctx context.Context, st store.Store) error {
	phase := func(name string) string {
		return "(SELECT p.id FROM phases p WHERE p.name = '" + name + "')"
	}
	inPhases := func(names ...string) string {
		cond := "phase_id IN (SELECT p.id FROM phases p WHERE p.name IN ("
		for i, n := range names {
			if i > 0 {
				cond += ", "
			}
			cond += "'" + n + "'"
		}
		return cond + "))"
	}
	for _, stmt := range []string{
		"UPDATE orders SET link_status = '" + string(rakuten.LinkShipReported) + "' WHERE " + inPhases("出荷済み", "完了"),
		"UPDATE orders SET link_status = '" + string(rakuten.LinkPaymentReviewed) + "' WHERE " + inPhases("入金待ち", "出荷待ち"),
		"UPDATE orders SET link_status = '" + string(rakuten.LinkConfirmed) + "' WHERE " + inPhases("確認待ち"),
		"UPDATE orders SET link_status = CASE id % 150 WHEN 1 THEN '" + string(rakuten.LinkConfirmError) + "' WHEN 51 THEN '" + string(rakuten.LinkPaymentReviewNG) +
			"' ELSE '" + string(rakuten.LinkShipReportError) + "' END, link_message = '送付先の郵便番号が正しくありません。注文詳細で送付先を確認してから、もう一度送ってください。(' || CAST(id % 7 AS TEXT) || ')', " +
			"phase_id = " + phase("エラー") + " WHERE id % 50 = 1",
		"UPDATE orders SET phase_id = " + phase("保留") + " WHERE id % 50 = 7",
		"UPDATE orders SET phase_id = " + phase("キャンセル") + ", marketplace_status = '" + string(order.StatusCancelled) + "', link_status = '' WHERE id % 50 = 13",
		"UPDATE orders SET link_status = '" + string(rakuten.LinkShipReporting) + "' WHERE id % 1000 = 3 AND " + inPhases("出荷待ち"),
	} {
		if _, err := st.DB().ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("bench seed: link statuses: %w", err)
		}
	}
	maintenance := "ANALYZE"
	if st.Engine() == store.EnginePostgres {
		maintenance = "VACUUM ANALYZE" // what autovacuum does after a bulk load
	}
	if _, err := st.DB().ExecContext(ctx, maintenance); err != nil {
		return fmt.Errorf("bench seed: %s: %w", maintenance, err)
	}
	return nil
}

// orderMaker makes the seed's orders, repeatably.
type orderMaker struct {
	total  int
	rnd    *rand.Rand
	family *familyNames
}

func newOrderMaker(total int) *orderMaker {
	return &orderMaker{total: total, rnd: rand.New(rand.NewPCG(14, 1_000_000)), family: newFamilyNames()}
}

// phase is the phase of the k-th order: most of a store's orders are old and done.
func (g *orderMaker) phase(k int) string {
	switch age := float64(g.total-k) / float64(g.total); {
	case age > 0.10:
		return "完了"
	case age > 0.06:
		return "出荷済み"
	case age > 0.03:
		return "出荷待ち"
	case age > 0.015:
		return "入金待ち"
	case age > 0.005:
		return "確認待ち"
	default:
		return "新規受付"
	}
}

// orders returns the orders from the k-th on.
func (g *orderMaker) orders(from, n int) []order.Order {
	out := make([]order.Order, n)
	for i := range out {
		out[i] = g.order(from + i)
	}
	return out
}

func (g *orderMaker) order(k int) order.Order {
	f, given := g.family.pick(g.rnd), givenNames[g.rnd.IntN(len(givenNames))]
	buyer := order.Person{Name: f.kanji + " " + given.kanji, Kana: f.kana + " " + given.kana,
		Email: fmt.Sprintf("buyer%07d@example.jp", g.rnd.IntN(10_000_000)), Phone: fmt.Sprintf("090-%04d-%04d", g.rnd.IntN(10_000), g.rnd.IntN(10_000)),
		Zip: fmt.Sprintf("%03d-%04d", 100+g.rnd.IntN(800), g.rnd.IntN(10_000)), Address: fmt.Sprintf("東京都千代田区丸の内%d-%d-%d", 1+g.rnd.IntN(9), 1+g.rnd.IntN(20), 1+g.rnd.IntN(30))}
	at := Start.Add(time.Duration(k) * time.Minute)
	o := order.Order{
		Number:               fmt.Sprintf("338005-%s-%010d", at.Format("20060102"), k),
		OrderedAt:            at,
		Buyer:                buyer,
		Packages:             []order.Package{{Key: "1", ShipTo: buyer}},
		PaymentMethod:        "クレジットカード",
		Settlement:           order.SettlementCommon,
		MarketplaceStatusRaw: "100",
		MarketplaceStatus:    order.StatusUnconfirmed,
		PaymentStatus:        order.Unpaid,
		RawPayload:           fmt.Appendf(nil, `{"orderNumber":"338005-%010d"}`, k),
	}
	var goods int64
	for _, k := range g.rnd.Perm(len(simkit.Catalog))[:1+g.rnd.IntN(3)] {
		item := simkit.Catalog[k]
		l := order.Line{PackageKey: "1", SKU: item.ItemNumber, Name: item.Name, UnitPrice: item.Price, Quantity: int64(1 + g.rnd.IntN(3)), TaxRate: item.TaxRate}
		if len(item.Choices) > 0 {
			l.Options = item.Choices[g.rnd.IntN(len(item.Choices))]
		}
		goods += l.UnitPrice * l.Quantity
		o.Lines = append(o.Lines, l)
	}
	postage := order.YenOf(660)
	if g.rnd.IntN(20) == 0 {
		postage = order.Unfixed() // Rakuten's -9999: 送料未確定
	}
	o.Amounts = order.Amounts{Goods: order.YenOf(goods), Tax: order.YenOf(goods / 11), Postage: postage, PaymentFee: order.YenOf(0),
		Discount: order.YenOf(0), Points: order.YenOf(0), Total: order.Add(order.YenOf(goods), postage), Requested: order.Add(order.YenOf(goods), postage)}
	switch g.phase(k) {
	case "完了", "出荷済み":
		o.MarketplaceStatusRaw, o.MarketplaceStatus, o.PaymentStatus = "600", order.StatusShipped, order.Paid
		if g.phase(k) == "完了" {
			o.MarketplaceStatusRaw, o.MarketplaceStatus = "700", order.StatusCompleted
		}
		o.Shipments = []order.Shipment{{PackageKey: "1", ShipDate: at.AddDate(0, 0, 2).Format(time.DateOnly), Carrier: "1001", TrackingNumber: trackingNumber(int64(k))}}
	case "出荷待ち", "入金待ち":
		o.MarketplaceStatusRaw, o.MarketplaceStatus = "300", order.StatusAwaitingShipment
	}
	return o
}

// trackingNumber is a Yamato number of the k-th shipment: eleven digits and their value
// modulo 7.
func trackingNumber(k int64) string {
	body := 40_000_000_000 + k*7_919%60_000_000_000
	return fmt.Sprintf("%011d%d", body, body%7)
}
