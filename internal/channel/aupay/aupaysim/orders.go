package aupaysim

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// simTrade is one trade the simulator holds.
type simTrade struct {
	info      aupay.OrderInfo
	orderedAt time.Time
	// paysAt is when a prepaid trade's payment arrives; zero when the trade is paid at once
	// (card, carrier billing) or after shipment (代金引換, 後払い).
	paysAt time.Time
}

// paymentMethod is a settlementName with its weight in generated trades.
type paymentMethod struct {
	name    string
	weight  int
	paidNow bool  // authorised when ordered: paymentStatus Y at once
	prepaid bool  // the buyer pays before shipment, PaymentDelay after ordering
	fee     int64 // chargePrice
}

var paymentMethods = []paymentMethod{
	{"クレジットカード決済", 48, true, false, 0},
	{"au PAY(auかんたん決済)", 16, true, false, 0},
	{"コンビニ決済", 8, false, true, 0},
	{"Pay-easy決済", 3, false, true, 0},
	{"銀行振込", 6, false, true, 0},
	{"代金引換", 12, false, false, 330},
	{"後払い決済", 7, false, false, 0},
}

var devices = []string{"au PAY マーケット(PC)", "au PAY マーケット(SP)", "au PAY マーケット(SP(アプリ))"}

// orderIDBase makes order ids nine digits.
const orderIDBase = 100_000_000

// GenerateOptions steer generated trades.
type GenerateOptions struct {
	Count int       `json:"count"`
	At    time.Time `json:"at"` // order time; simulated now when zero
	// Status is the trades' orderStatus; 新規受付 when empty.
	Status string `json:"status"`
	// Settlement, when set, is every trade's settlementName, e.g. "代金引換".
	Settlement string `json:"settlement"`
}

func (o GenerateOptions) validate() error {
	if o.Status != "" && !aupay.IsStatus(o.Status) {
		return fmt.Errorf("status %q is not an au PAY order status", o.Status)
	}
	if o.Settlement != "" {
		if _, ok := methodNamed(o.Settlement); !ok {
			return fmt.Errorf("settlement %q is not one the simulator generates", o.Settlement)
		}
	}
	return nil
}

func methodNamed(name string) (paymentMethod, bool) {
	for _, m := range paymentMethods {
		if m.name == name {
			return m, true
		}
	}
	return paymentMethod{}, false
}

// Generate adds trades and returns their order ids. An unknown Status or Settlement is ignored
// here (the control API refuses it).
func (s *Server) Generate(opts GenerateOptions) []string {
	at := opts.At
	if at.IsZero() {
		at = s.Sim.Clock.Now()
	}
	status := opts.Status
	if !aupay.IsStatus(status) {
		status = aupay.StatusNew
	}
	forced, force := methodNamed(opts.Settlement)
	g := s.Sim.Gen
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, opts.Count)
	for range opts.Count {
		s.sequence++
		id := strconv.Itoa(orderIDBase + s.sequence)
		pm := pickPayment(g.IntN(100))
		if force {
			pm = forced
		}
		buyer, lines := g.Person(), g.Lines()
		recipient := buyer
		if g.Chance(0.15) { // a gift to someone else
			recipient = g.Person()
		}
		var goods, normal, reduced, untaxed int64
		details := make([]aupay.Detail, len(lines))
		limit := at.AddDate(0, 0, shippingDays).In(order.JST).Format(aupay.DateLayout)
		for i, l := range lines {
			s.nextDetail++
			sum := l.Item.Price * l.Quantity
			details[i] = aupay.Detail{OrderDetailID: strconv.Itoa(s.nextDetail), ItemCode: l.Item.ItemNumber, Lotnumber: lotNumber(l.Item.ManageNumber),
				ItemName: l.Item.Name, ItemOption: l.Choice, ItemPrice: l.Item.Price, Unit: l.Quantity, TotalItemPrice: sum,
				TaxRate: strconv.FormatInt(l.Item.TaxRate, 10), GiftPoint: sum / 100,
				ShippingDayDispText: shippingDayText, ShippingTimelimitDate: limit}
			goods += sum
			switch l.Item.TaxRate {
			case 10:
				normal += sum
			case 8:
				reduced += sum
			default:
				untaxed += sum
			}
		}
		postage := int64(660)
		if goods >= 5000 {
			postage = 0
		}
		var coupon, ponta, auPoints int64
		if g.Chance(0.1) {
			coupon = int64(100 * (1 + g.IntN(5)))
		}
		if g.Chance(0.2) {
			ponta = int64(10 * (1 + g.IntN(50)))
		}
		if g.Chance(0.1) {
			auPoints = int64(10 * (1 + g.IntN(30)))
		}
		total := goods + postage + pm.fee
		request := max(total-coupon-ponta-auPoints, 0)
		t := &simTrade{orderedAt: at}
		t.info = aupay.OrderInfo{
			OrderID: id, OrderDate: aupay.FormatDateTime(at), SellMethodSegment: "1", SiteAndDevice: devices[g.IntN(len(devices))],
			MailAddress: buyer.Email, OrdererName: buyer.FamilyName + " " + buyer.FirstName, OrdererKana: buyer.FamilyKana + " " + buyer.FirstKana,
			OrdererZipCode: buyer.Zip, OrdererAddress: buyer.Prefecture + buyer.City + buyer.SubAddress, OrdererPhoneNumber1: buyer.Phone,
			SenderName: recipient.FamilyName + " " + recipient.FirstName, SenderKana: recipient.FamilyKana + " " + recipient.FirstKana,
			SenderZipCode: recipient.Zip, SenderAddress: recipient.Prefecture + recipient.City + recipient.SubAddress, SenderPhoneNumber1: recipient.Phone,
			SettlementName: pm.name, OrderStatus: status, PaymentStatus: "N",
			TotalSalePrice: goods, PostagePrice: postage, ChargePrice: pm.fee, TotalPrice: total, CouponTotalPrice: coupon,
			UsePoint: ponta, UseAuPointPrice: auPoints, RequestPrice: request,
			DeliveryName: "宅配便", DeliveryMethodID: "1", Details: details,
			TotalSalePriceNormalTax: normal, TotalSalePriceReducedTax: reduced, TotalSalePriceNoTax: untaxed,
			PostagePriceTaxRate: "10", ChargePriceTaxRate: "10",
			TotalPriceNormalTax: normal + postage + pm.fee, TotalPriceReducedTax: reduced, TotalPriceNoTax: untaxed,
		}
		// One trade in four carries a delivery wish (deliveryRequestDay / deliveryRequestTime), set
		// by the trade's place in the sequence so that the random draws stay as they were.
		if s.sequence%4 == 0 {
			t.info.DeliveryRequestDay = at.In(order.JST).AddDate(0, 0, 4).Format(aupay.DateLayout)
			t.info.DeliveryRequestTime = deliverySlots[s.sequence/4%len(deliverySlots)]
		}
		if recipient != buyer && g.Chance(0.5) {
			t.info.UserComment = "ギフト包装をお願いします。"
		}
		switch {
		case pm.paidNow:
			t.info.PaymentStatus, t.info.PaymentDate = "Y", t.info.OrderDate
		case pm.prepaid:
			t.paysAt = at.Add(s.cfg.PaymentDelay)
		}
		s.trades[id] = t
		ids = append(ids, id)
	}
	return ids
}

// deliverySlots are the time slots a generated wish names, as a shop's slot words; "" is a day
// without a slot.
var deliverySlots = []string{"午前中", "14時～16時", "18時～20時", ""}

// shippingDays and shippingDayText are the generated lines' shipping time limit (発送日の目安):
// the simulator's choice, as the real texts and date format are not public.
const (
	shippingDays    = 3
	shippingDayText = "3日以内に発送"
)

func pickPayment(n int) paymentMethod {
	for _, m := range paymentMethods {
		if n < m.weight {
			return m
		}
		n -= m.weight
	}
	return paymentMethods[0]
}

// lotNumber is au's item number for a product: fixed per product.
func lotNumber(manageNumber string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(manageNumber))
	return strconv.FormatUint(uint64(h.Sum32()%900_000_000+100_000_000), 10)
}

// advance moves a trade along the way au PAY Market does by itself, up to now: a prepaid
// trade's payment arrives, and a trade that was waiting for it (発送前入金待ち) becomes ready to
// ship (発送待ち). Callers hold s.mu.
func (s *Server) advance(t *simTrade, now time.Time) {
	if !t.paysAt.IsZero() && !now.Before(t.paysAt) && t.info.PaymentStatus != "Y" && t.info.OrderStatus != aupay.StatusCancelled {
		t.info.PaymentStatus, t.info.PaymentDate = "Y", aupay.FormatDateTime(t.paysAt)
		if t.info.OrderStatus == aupay.StatusAwaitingPayment {
			t.info.OrderStatus = aupay.StatusAwaitingShipment
		}
	}
}

// sortedIDs returns the ids of the trades keep accepts, oldest order first. Callers hold s.mu.
func (s *Server) sortedIDs(keep func(*simTrade) bool) []string {
	var hits []*simTrade
	for _, t := range s.trades {
		if keep(t) {
			hits = append(hits, t)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if !a.orderedAt.Equal(b.orderedAt) {
			return a.orderedAt.Before(b.orderedAt)
		}
		if len(a.info.OrderID) != len(b.info.OrderID) {
			return len(a.info.OrderID) < len(b.info.OrderID)
		}
		return a.info.OrderID < b.info.OrderID
	})
	out := make([]string, len(hits))
	for i, t := range hits {
		out[i] = t.info.OrderID
	}
	return out
}

// Cancel cancels a trade as the buyer's cancellation in Wow! manager does.
func (s *Server) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[id]
	if !ok {
		return fmt.Errorf("no trade %s", id)
	}
	t.info.OrderStatus = aupay.StatusCancelled
	return nil
}
