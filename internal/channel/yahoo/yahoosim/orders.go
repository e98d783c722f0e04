package yahoosim

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
)

// simOrder is one order the simulator holds.
type simOrder struct {
	info      yahoo.OrderInfo
	orderedAt time.Time
	// paysAt is when a prepaid order's payment arrives; zero when paid at once (card, PayPay)
	// or on delivery (代引).
	paysAt time.Time
	// shipChangedAt is when the ship status last changed: completion is refused for
	// CompleteWait after it.
	shipChangedAt time.Time
	history       []yahoo.Change
}

// paymentMethod is a PayMethod with its weight in generated orders.
type paymentMethod struct {
	code, name string
	weight     int
	payKind    int  // 0 カード, 3 振込, 4 代引, 5 コンビニ, 6 電子マネー
	paidNow    bool // settled when ordered: PayStatus 1 at once
	prepaid    bool // the buyer pays before shipment, PaymentDelay after ordering
	fee        int64
}

var paymentMethods = []paymentMethod{
	{"payment_a1", "クレジットカード決済", 45, 0, true, false, 0},
	{"payment_a17", "PayPay残高等", 20, 6, true, false, 0},
	{"payment_a19", "PayPayクレジット", 8, 6, true, false, 0},
	{"payment_a6", "コンビニ(セブン-イレブン)", 5, 5, false, true, 0},
	{"payment_b1", "銀行振込", 7, 3, false, true, 0},
	{"payment_d1", "商品代引", 15, 4, false, false, 330},
}

func methodOf(code string) (paymentMethod, bool) {
	for _, m := range paymentMethods {
		if m.code == code {
			return m, true
		}
	}
	return paymentMethod{}, false
}

func pickPayment(n int) paymentMethod {
	for _, m := range paymentMethods {
		if n < m.weight {
			return m
		}
		n -= m.weight
	}
	return paymentMethods[0]
}

// orderIDBase makes order numbers <sellerId>-<8 digits>, as Yahoo's are.
const orderIDBase = 10_000_000

// GenerateOptions steer generated orders.
type GenerateOptions struct {
	Count int       `json:"count"`
	At    time.Time `json:"at"` // order time; simulated now when zero
	// PayMethod, when set, is every order's PayMethod, e.g. "payment_b1".
	PayMethod string `json:"pay_method"`
	// Seen marks the orders seen (taken by the store), as ready to ship.
	Seen bool `json:"seen"`
}

func (o GenerateOptions) validate() error {
	if o.PayMethod != "" {
		if _, ok := methodOf(o.PayMethod); !ok {
			return fmt.Errorf("pay_method %q is not one the simulator generates", o.PayMethod)
		}
	}
	return nil
}

// Generate adds orders (OrderStatus 2 処理中) and returns their numbers.
func (s *Server) Generate(opts GenerateOptions) []string {
	at := opts.At
	if at.IsZero() {
		at = s.Sim.Clock.Now()
	}
	at = at.Truncate(time.Second)
	forced, force := methodOf(opts.PayMethod)
	g := s.Sim.Gen
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, opts.Count)
	for range opts.Count {
		s.sequence++
		id := fmt.Sprintf("%s-%08d", s.cfg.SellerID, orderIDBase+s.sequence)
		pm := pickPayment(g.IntN(100))
		if force {
			pm = forced
		}
		buyer, lines := g.Person(), g.Lines()
		recipient := buyer
		if g.Chance(0.15) {
			recipient = g.Person()
		}
		var goods int64
		items := make([]yahoo.Item, len(lines))
		for i, l := range lines {
			items[i] = yahoo.Item{LineID: i + 1, ItemID: l.Item.ManageNumber, Title: l.Item.Name, SubCode: subCode(l.Item.ManageNumber, l.Choice),
				UnitPrice: l.Item.Price, Quantity: l.Quantity, ItemTaxRatio: l.Item.TaxRate}
			if name, value, ok := strings.Cut(l.Choice, ":"); ok {
				items[i].ItemOptions = []yahoo.ItemOption{{Index: 1, Name: name, Value: value}}
			}
			goods += l.Item.Price * l.Quantity
		}
		postage := int64(660)
		if goods >= 5000 {
			postage = 0
		}
		var coupon, points int64
		if g.Chance(0.1) {
			coupon = int64(100 * (1 + g.IntN(5)))
		}
		if g.Chance(0.25) {
			points = int64(10 * (1 + g.IntN(50)))
		}
		total := goods + postage + pm.fee - coupon
		o := &simOrder{orderedAt: at}
		o.info = yahoo.OrderInfo{OrderID: id, Version: 1, IsActive: true, IsSeen: opts.Seen, OrderTime: yahoo.FormatTime(at), LastUpdateTime: yahoo.FormatTime(at),
			OrderStatus: yahoo.OrderProcessing,
			Pay: yahoo.Pay{PayStatus: yahoo.PayUnpaid, PayType: 1, PayKind: pm.payKind, PayMethod: pm.code, PayMethodName: pm.name,
				BillLastName: buyer.FamilyName, BillFirstName: buyer.FirstName, BillLastNameKana: buyer.FamilyKana, BillFirstNameKana: buyer.FirstKana,
				BillZipCode: buyer.Zip, BillPrefecture: buyer.Prefecture, BillCity: buyer.City, BillAddress1: buyer.SubAddress,
				BillPhoneNumber: buyer.Phone, BillMailAddress: buyer.Email},
			Ship: yahoo.Ship{ShipStatus: yahoo.ShipReady, ShipMethod: "postage1", ShipMethodName: "宅配便",
				ShipLastName: recipient.FamilyName, ShipFirstName: recipient.FirstName, ShipLastNameKana: recipient.FamilyKana, ShipFirstNameKana: recipient.FirstKana,
				ShipZipCode: recipient.Zip, ShipPrefecture: recipient.Prefecture, ShipCity: recipient.City, ShipAddress1: recipient.SubAddress,
				ShipPhoneNumber: recipient.Phone},
			Detail: yahoo.Detail{PayCharge: pm.fee, ShipCharge: postage, TotalMallCouponDiscount: coupon, UsePoint: points,
				TotalPrice: total, SettleAmount: max(total-points, 0)},
			Items: items,
		}
		if pm.code == "payment_d1" {
			o.info.Pay.PayType = 0
		}
		if recipient != buyer && g.Chance(0.5) {
			o.info.BuyerComments = "ギフト包装をお願いします。"
		}
		switch {
		case pm.paidNow:
			o.info.Pay.PayStatus, o.info.Pay.PayDate = yahoo.PayPaid, at.Format(yahoo.DateLayout)
		case pm.prepaid:
			o.paysAt = at.Add(s.cfg.PaymentDelay)
			o.info.Ship.ShipStatus = yahoo.ShipNotReady
		}
		s.orders[id] = o
		ids = append(ids, id)
	}
	return ids
}

// subCode is the variant's code of an item with a choice (sencha-100 has none).
func subCode(item, choice string) string {
	if choice == "" {
		return ""
	}
	_, value, _ := strings.Cut(choice, ":")
	return item + "-" + value
}

// advance moves an order along the way Yahoo does by itself, up to now: a prepaid order's
// payment arrives and it can be shipped. Callers hold s.mu.
func (s *Server) advance(o *simOrder, now time.Time) {
	if !o.paysAt.IsZero() && !now.Before(o.paysAt) && o.info.Pay.PayStatus != yahoo.PayPaid && o.info.OrderStatus != yahoo.OrderCancelled {
		o.info.Pay.PayStatus, o.info.Pay.PayDate = yahoo.PayPaid, o.paysAt.In(jst).Format(yahoo.DateLayout)
		if o.info.Ship.ShipStatus == yahoo.ShipNotReady {
			o.info.Ship.ShipStatus = yahoo.ShipReady
		}
		s.touch(o, o.paysAt, "入金", "PayStatus 1")
	}
}

// touch records a change: LastUpdateTime, Version and the history. Callers hold s.mu.
func (s *Server) touch(o *simOrder, at time.Time, operation, detail string) {
	o.info.LastUpdateTime = yahoo.FormatTime(at)
	o.info.Version++
	if len(o.history) < maxHistory {
		o.history = append(o.history, yahoo.Change{Time: yahoo.FormatTime(at), Operation: operation, Detail: detail})
	}
}

// maxHistory bounds an order's change history.
const maxHistory = 100

// sortedIDs returns the numbers of the orders keep accepts, oldest order first (+order_time),
// or newest first when desc. Callers hold s.mu.
func (s *Server) sortedIDs(keep func(*simOrder) bool, desc bool) []string {
	var hits []*simOrder
	for _, o := range s.orders {
		if keep(o) {
			hits = append(hits, o)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if desc {
			a, b = b, a
		}
		if !a.orderedAt.Equal(b.orderedAt) {
			return a.orderedAt.Before(b.orderedAt)
		}
		return a.info.OrderID < b.info.OrderID
	})
	out := make([]string, len(hits))
	for i, o := range hits {
		out[i] = o.info.OrderID
	}
	return out
}

// Order returns an order as orderInfo answers it, advanced to the simulated now.
func (s *Server) Order(id string) (yahoo.OrderInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return yahoo.OrderInfo{}, false
	}
	s.advance(o, s.Sim.Clock.Now())
	return o.info, true
}

// Cancel cancels an order as the buyer's cancellation in ストアクリエイターPro does.
func (s *Server) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return fmt.Errorf("no order %s", id)
	}
	o.info.OrderStatus, o.info.CancelReason = yahoo.OrderCancelled, "100"
	s.touch(o, s.Sim.Clock.Now(), "キャンセル", "CancelReason 100")
	return nil
}
