package rakutensim

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// AutoCancelAfter is how long RMS keeps an unconfirmed order before cancelling it.
const AutoCancelAfter = 14 * 24 * time.Hour

// simOrder is one order the simulator holds.
type simOrder struct {
	model     rakuten.OrderModel
	orderedAt time.Time
	selective bool
	// reviewNG marks an order whose review (審査) fails: after the delay RMS moves it to
	// キャンセル確定待ち instead of 発送待ち.
	reviewNG bool
	// reviewEnds is when 楽天処理中 ends; zero until the order is confirmed.
	reviewEnds time.Time
	// paymentWait is the extra time the review waits for the buyer's payment (bank transfer,
	// convenience-store prepayment).
	paymentWait time.Duration
}

// payment methods with their settlement family and weight in generated orders.
type paymentMethod struct {
	name      string
	selective bool
	weight    int
	review    time.Duration // extra time in 楽天処理中 (waiting for the buyer's payment)
}

var paymentMethods = []paymentMethod{
	{"クレジットカード", false, 60, 0},
	{"銀行振込", false, 8, 24 * time.Hour},
	{"セブンイレブン(前払)", false, 4, 36 * time.Hour},
	{"ローソン、郵便局ATM等(前払)", false, 3, 36 * time.Hour},
	{"代金引換", true, 15, 0},
	{"後払い", true, 10, 0},
}

// settlementMethodCodes are RMS's settlementMethodCode of each method the simulator sells with
// (oh0123/rakuten-spi-sdk rms/order.go, SettlementModel).
var settlementMethodCodes = map[string]int{"クレジットカード": 1, "代金引換": 2, "後払い": 21, "銀行振込": 9,
	"セブンイレブン(前払)": 13, "ローソン、郵便局ATM等(前払)": 14}

// taxSummary is the order's TaxSummaryModelList, one model per tax rate of its items, the
// postage and fee counted at 10%; the amounts are -9999 while the postage is not fixed. Callers
// hold s.mu or own m.
func taxSummary(m *rakuten.OrderModel) {
	byRate := map[float64]*rakuten.TaxSummaryModel{}
	var rates []float64
	at := func(r float64) *rakuten.TaxSummaryModel {
		if byRate[r] == nil {
			byRate[r] = &rakuten.TaxSummaryModel{TaxRate: r}
			rates = append(rates, r)
		}
		return byRate[r]
	}
	for _, p := range m.PackageModelList {
		for _, it := range p.ItemModelList {
			at(it.TaxRate).TotalPrice += it.Price * it.Units
		}
	}
	ten := at(0.1)
	ten.TotalPrice += max(m.PostagePrice, 0)
	ten.PaymentCharge = m.PaymentCharge
	ten.Point = m.PointModel.UsedPoint
	m.TaxSummaryModelList = m.TaxSummaryModelList[:0]
	for _, r := range rates {
		t := *byRate[r]
		t.ReqPrice = t.TotalPrice + t.PaymentCharge - t.Point
		rate := int64(r*100 + 0.5)
		t.ReqPriceTax = t.ReqPrice * rate / (100 + rate)
		if m.PostagePrice == rakuten.Unfixed {
			t.TotalPrice, t.ReqPrice, t.ReqPriceTax = rakuten.Unfixed, rakuten.Unfixed, rakuten.Unfixed
		}
		m.TaxSummaryModelList = append(m.TaxSummaryModelList, t)
	}
}

// GenerateOptions steer generated orders.
type GenerateOptions struct {
	Count int       `json:"count"`
	At    time.Time `json:"at"` // order time; simulated now when zero
	// UnfixedPostageShare is the share (0–1) of orders whose postage is -9999.
	UnfixedPostageShare float64 `json:"unfixed_postage_share"`
	// ReviewNGShare overrides the server's share of failed reviews when set.
	ReviewNGShare *float64 `json:"review_ng_share,omitempty"`
	// ReadyToShip places orders already confirmed and reviewed: 発送待ち, postage fixed.
	ReadyToShip bool `json:"ready_to_ship"`
	// PaymentMethod, when set, sells every order with that method (「銀行振込」, 「代金引換」…,
	// one of the simulator's), instead of drawing it.
	PaymentMethod string `json:"payment_method,omitempty"`
}

// Generate adds orders in 注文確認待ち (発送待ち with ReadyToShip) and returns their numbers.
func (s *Server) Generate(opts GenerateOptions) []string {
	now := s.Sim.Clock.Now()
	at := opts.At
	if at.IsZero() {
		at = now
	}
	ngShare := s.cfg.ReviewNGShare
	if opts.ReviewNGShare != nil {
		ngShare = *opts.ReviewNGShare
	}
	g := s.Sim.Gen
	s.mu.Lock()
	defer s.mu.Unlock()
	numbers := make([]string, 0, opts.Count)
	for range opts.Count {
		s.sequence++
		number := fmt.Sprintf("%s-%s-%08d", s.cfg.ShopID, at.In(order.JST).Format("20060102"), 10000000+s.sequence)
		pm := pickPayment(g.IntN(100)) // drawn even when the method is given, so the rest of the draws stay the same
		if i := slices.IndexFunc(paymentMethods, func(m paymentMethod) bool { return m.name == opts.PaymentMethod }); i >= 0 {
			pm = paymentMethods[i]
		}
		buyer, lines := g.Person(), g.Lines()
		recipient := buyer
		if g.Chance(0.15) { // a gift to someone else
			recipient = g.Person()
		}
		var goods, tax int64
		items := make([]rakuten.ItemModel, len(lines))
		for i, l := range lines {
			items[i] = rakuten.ItemModel{ItemDetailID: int64(s.sequence*10 + i), ItemName: l.Item.Name, ItemID: int64(1000 + i),
				ItemNumber: l.Item.ItemNumber, ManageNumber: l.Item.ManageNumber, Price: l.Item.Price, Units: l.Quantity,
				TaxRate: float64(l.Item.TaxRate) / 100, PriceTaxIncl: l.Item.Price, SelectedChoice: l.Choice,
				PointRate: 1, InventoryType: 1, SkuModelList: []rakuten.SkuModel{{VariantID: l.Item.ManageNumber}}}
			goods += l.Item.Price * l.Quantity
			tax += l.Item.Price * l.Quantity * l.Item.TaxRate / (100 + l.Item.TaxRate)
		}
		postage := int64(660)
		if goods >= 5000 {
			postage = 0
		}
		if g.Chance(opts.UnfixedPostageShare) {
			postage = rakuten.Unfixed
		}
		charge := int64(0)
		if pm.name == "代金引換" {
			charge = 330
		}
		total, request := int64(rakuten.Unfixed), int64(rakuten.Unfixed)
		if postage != rakuten.Unfixed {
			total = goods + postage + charge
			request = total
		}
		o := &simOrder{orderedAt: at, selective: pm.selective, paymentWait: pm.review, reviewNG: !pm.selective && g.Chance(ngShare)}
		o.model = rakuten.OrderModel{
			OrderNumber: number, OrderProgress: rakuten.ProgressUnconfirmed, OrderDatetime: rakuten.FormatTime(at), OrderType: 1,
			GoodsPrice: goods, GoodsTax: tax, PostagePrice: postage, PaymentCharge: charge, TotalPrice: total, RequestPrice: request,
			OrdererModel: rakuten.OrdererModel{ZipCode1: buyer.Zip[:3], ZipCode2: buyer.Zip[4:], Prefecture: buyer.Prefecture, City: buyer.City,
				SubAddress: buyer.SubAddress, FamilyName: buyer.FamilyName, FirstName: buyer.FirstName, FamilyNameKana: buyer.FamilyKana,
				FirstNameKana: buyer.FirstKana, PhoneNumber1: buyer.Phone[:3], PhoneNumber2: buyer.Phone[4:8], PhoneNumber3: buyer.Phone[9:],
				EmailAddress: buyer.Email},
			SettlementModel: rakuten.Settlement{SettlementMethodCode: settlementMethodCodes[pm.name], SettlementMethod: pm.name, RpaySettlementFlag: 1},
			DeliveryModel:   rakuten.DeliveryModel{DeliveryName: "宅配便"},
			PackageModelList: []rakuten.PackageModel{{
				BasketID: int64(s.sequence) * 10, PostagePrice: postage, DeliveryPrice: charge, GoodsPrice: goods, TotalPrice: total,
				SenderModel: rakuten.SenderModel{ZipCode1: recipient.Zip[:3], ZipCode2: recipient.Zip[4:], Prefecture: recipient.Prefecture,
					City: recipient.City, SubAddress: recipient.SubAddress, FamilyName: recipient.FamilyName, FirstName: recipient.FirstName,
					FamilyNameKana: recipient.FamilyKana, FirstNameKana: recipient.FirstKana, PhoneNumber1: recipient.Phone[:3],
					PhoneNumber2: recipient.Phone[4:8], PhoneNumber3: recipient.Phone[9:]},
				ItemModelList:     items,
				ShippingModelList: []rakuten.ShippingModel{},
				PostageTaxRate:    0.1, DeliveryTaxRate: 0.1, DefaultDeliveryCompanyCode: "1001",
			}},
		}
		// One order in four asks for a day and a time of delivery (お届け日指定, お届け時間帯), set
		// by the order's place in the sequence so that the random draws stay as they were.
		if s.sequence%4 == 0 {
			date, term := at.In(order.JST).AddDate(0, 0, 4).Format(time.DateOnly), []int{1, 1416, 1820, 2}[s.sequence/4%4]
			o.model.DeliveryDate, o.model.ShippingTerm = &date, &term
		}
		// One order in five carries the buyer's words in the remarks (備考欄); by sequence too, so
		// that the random draws stay as they were.
		if s.sequence%5 == 0 {
			o.model.Remarks = "贈り物です。金額のわかるものは同梱しないでください。"
		}
		if opts.ReadyToShip {
			fixed := rakuten.FormatTime(at)
			o.model.OrderProgress, o.model.OrderFixDatetime, o.reviewNG = rakuten.ProgressAwaitingShip, &fixed, false
		}
		o.model.NotNullOrderFields = rakuten.NotNullOrderFields{RakutenMemberFlag: 1, CarrierCode: 11, PaymentChargeTaxRate: 0.1,
			EqualSenderFlag: boolFlag(recipient == buyer)}
		taxSummary(&o.model)
		s.orders[number] = o
		numbers = append(numbers, number)
	}
	return numbers
}

func boolFlag(b bool) int {
	if b {
		return 1
	}
	return 0
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

// Cancel cancels an order as the buyer's or the shop's cancellation in RMS does (キャンセル確定).
func (s *Server) Cancel(number string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[number]
	if !ok {
		return fmt.Errorf("no order %s", number)
	}
	o.model.OrderProgress = rakuten.ProgressCancelConfirmed
	return nil
}

// advance moves an order along the way RMS does by itself, up to now: the review after
// confirmation, and the auto-cancel of orders left unconfirmed. Callers hold s.mu.
func (s *Server) advance(o *simOrder, now time.Time) {
	switch o.model.OrderProgress {
	case rakuten.ProgressUnconfirmed:
		if !now.Before(o.orderedAt.Add(AutoCancelAfter)) {
			o.model.OrderProgress = rakuten.ProgressCancelConfirmed
		}
	case rakuten.ProgressInReview:
		if o.reviewEnds.IsZero() || now.Before(o.reviewEnds) {
			return
		}
		if o.reviewNG {
			o.model.OrderProgress = rakuten.ProgressCancelPending
			o.model.Remarks = "[楽天] 決済審査の結果、ご注文をお受けできませんでした。"
			return
		}
		o.model.OrderProgress = rakuten.ProgressAwaitingShip
		fixed := rakuten.FormatTime(o.reviewEnds)
		o.model.OrderFixDatetime = &fixed
	}
}

// sortedNumbers returns the orders matching keep, oldest first by the given date.
func (s *Server) sortedNumbers(keep func(*simOrder) (time.Time, bool), desc bool) []string {
	type hit struct {
		number string
		at     time.Time
	}
	var hits []hit
	for n, o := range s.orders {
		if at, ok := keep(o); ok {
			hits = append(hits, hit{n, at})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].at.Equal(hits[j].at) {
			return hits[i].number < hits[j].number
		}
		return hits[i].at.Before(hits[j].at) != desc
	})
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.number
	}
	return out
}
