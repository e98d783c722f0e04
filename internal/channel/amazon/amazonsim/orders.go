package amazonsim

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// simOrder is one order the simulator holds.
type simOrder struct {
	order   amazon.Order // without ShippingAddress and BuyerInfo, which are answered by rights
	items   []amazon.OrderItem
	address amazon.Address
	buyer   amazon.BuyerInfo
	// packages are the confirmed packages by packageReferenceId.
	packages  map[string]amazon.PackageDetail
	purchased time.Time
	updated   time.Time
	// paysAt is when a Pending order's payment arrives; shipsAt when Amazon ships an AFN order.
	paysAt, shipsAt time.Time
}

// GenerateOptions steer generated orders.
type GenerateOptions struct {
	Count int       `json:"count"`
	At    time.Time `json:"at"` // purchase time; simulated now when zero
	// Status is Unshipped (the default) or Pending (waiting for a convenience-store payment).
	Status string `json:"status"`
	// Fulfillment is MFN (the default) or AFN (Amazon ships: FBA).
	Fulfillment string `json:"fulfillment"`
	// PaymentMethod, when set, is every order's: COD, CVS or Other.
	PaymentMethod string `json:"payment_method"`
	// AFNShare, when Fulfillment is empty, is the share of orders Amazon ships.
	AFNShare float64 `json:"afn_share"`
}

func (o GenerateOptions) validate() error {
	switch o.Status {
	case "", amazon.StatusUnshipped, amazon.StatusPending:
	default:
		return fmt.Errorf("status %q: generated orders are Unshipped or Pending", o.Status)
	}
	switch o.Fulfillment {
	case "", amazon.FulfillmentMFN, amazon.FulfillmentAFN:
	default:
		return fmt.Errorf("fulfillment %q is not MFN or AFN", o.Fulfillment)
	}
	switch o.PaymentMethod {
	case "", amazon.PaymentCOD, amazon.PaymentCVS, amazon.PaymentOther:
	default:
		return fmt.Errorf("payment_method %q is not COD, CVS or Other", o.PaymentMethod)
	}
	return nil
}

// codFee is the 代引手数料 the simulated shop charges.
const codFee = 330

// Generate adds orders and returns their AmazonOrderIds.
func (s *Server) Generate(opts GenerateOptions) []string {
	now := s.Sim.Clock.Now()
	at := opts.At
	if at.IsZero() {
		at = now
	}
	at = at.Truncate(time.Second)
	g := s.Sim.Gen
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, opts.Count)
	for range opts.Count {
		s.sequence++
		id := fmt.Sprintf("503-%07d-%07d", s.sequence, g.IntN(10_000_000))
		fulfillment := opts.Fulfillment
		if fulfillment == "" {
			fulfillment = amazon.FulfillmentMFN
			if opts.AFNShare > 0 && g.Chance(opts.AFNShare) {
				fulfillment = amazon.FulfillmentAFN
			}
		}
		payment := opts.PaymentMethod
		if payment == "" {
			payment = amazon.PaymentOther
			switch n := g.IntN(100); {
			case n < 8:
				payment = amazon.PaymentCOD
			case n < 14 && opts.Status == amazon.StatusPending:
				payment = amazon.PaymentCVS
			}
		}
		if fulfillment == amazon.FulfillmentAFN && payment == amazon.PaymentCOD {
			payment = amazon.PaymentOther
		}
		status := amazon.StatusUnshipped
		if opts.Status == amazon.StatusPending {
			status = amazon.StatusPending
		}
		o := s.newOrder(id, at, status, fulfillment, payment, g)
		switch {
		case status == amazon.StatusPending:
			o.paysAt = at.Add(s.cfg.PaymentDelay)
		case fulfillment == amazon.FulfillmentAFN:
			o.shipsAt = at.Add(s.cfg.AFNShipDelay)
		}
		s.orders[id] = o
		ids = append(ids, id)
	}
	return ids
}

// newOrder builds one order. Callers hold s.mu.
func (s *Server) newOrder(id string, at time.Time, status, fulfillment, payment string, g *simkit.Generator) *simOrder {
	buyer, lines := g.Person(), g.Lines()
	recipient := buyer
	if g.Chance(0.1) {
		recipient = g.Person()
	}
	prime := fulfillment == amazon.FulfillmentAFN || g.Chance(0.3)
	var goods int64
	items := make([]amazon.OrderItem, len(lines))
	for i, l := range lines {
		s.nextItem++
		price := l.Item.Price * l.Quantity
		goods += price
		title := l.Item.Name
		if l.Choice != "" {
			title += " (" + l.Choice + ")"
		}
		items[i] = amazon.OrderItem{ASIN: asin(l.Item.ManageNumber), SellerSKU: l.Item.ItemNumber, OrderItemId: fmt.Sprintf("%014d", 31_000_000_000_000+s.nextItem),
			Title: title, QuantityOrdered: int(l.Quantity), QuantityShipped: intPtr(0), ItemPrice: amazon.YenMoney(price),
			ItemTax: amazon.YenMoney(price * l.Item.TaxRate / (100 + l.Item.TaxRate)), ShippingPrice: amazon.YenMoney(0), PromotionDiscount: amazon.YenMoney(0),
			ConditionId: "New", IsGift: "false"}
	}
	postage := int64(410)
	if prime || goods >= 3500 {
		postage = 0
	}
	items[0].ShippingPrice = amazon.YenMoney(postage)
	items[0].ShippingTax = amazon.YenMoney(postage * 10 / 110)
	fee := int64(0)
	if payment == amazon.PaymentCOD {
		fee = codFee
		items[0].CODFee = amazon.YenMoney(fee)
	}
	var discount int64
	if g.Chance(0.1) {
		discount = int64(100 * (1 + g.IntN(3)))
		items[0].PromotionDiscount = amazon.YenMoney(discount)
	}
	jst := at.In(order.JST)
	latest := time.Date(jst.Year(), jst.Month(), jst.Day()+2, 23, 59, 59, 0, order.JST)
	details := []string{"Standard"}
	switch payment {
	case amazon.PaymentCOD:
		details = []string{"COD"}
	case amazon.PaymentCVS:
		details = []string{"CVS"}
	}
	o := &simOrder{purchased: at, updated: at, packages: map[string]amazon.PackageDetail{}, items: items}
	o.order = amazon.Order{AmazonOrderId: id, PurchaseDate: amazon.FormatTime(at), LastUpdateDate: amazon.FormatTime(at), OrderStatus: status,
		FulfillmentChannel: fulfillment, SalesChannel: "Amazon.co.jp", ShipServiceLevel: "Std JP Kanto8", OrderTotal: amazon.YenMoney(goods + postage + fee - discount),
		PaymentMethod: payment, PaymentMethodDetails: details, MarketplaceId: amazon.MarketplaceJP, ShipmentServiceLevelCategory: "Standard",
		OrderType: "StandardOrder", EarliestShipDate: amazon.FormatTime(at), LatestShipDate: amazon.FormatTime(latest),
		EarliestDeliveryDate: amazon.FormatTime(latest.Add(time.Second)), LatestDeliveryDate: amazon.FormatTime(latest.AddDate(0, 0, 3)),
		IsPrime: prime}
	o.address = amazon.Address{Name: recipient.FamilyName + " " + recipient.FirstName, AddressLine1: recipient.SubAddress, City: recipient.City,
		StateOrRegion: recipient.Prefecture, PostalCode: recipient.Zip, CountryCode: "JP", Phone: recipient.Phone, AddressType: "Residential"}
	o.buyer = amazon.BuyerInfo{BuyerEmail: strings.Replace(buyer.Email, "@example.jp", "@marketplace.amazon.co.jp", 1), BuyerName: buyer.FamilyName + " " + buyer.FirstName}
	o.counts()
	return o
}

func intPtr(n int) *int { return &n }

// asin is a product's ASIN: fixed per product.
func asin(manageNumber string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(manageNumber))
	return fmt.Sprintf("B0%08X", h.Sum64()%0xFFFFFFFF)
}

// counts sets NumberOfItemsShipped / Unshipped from the items.
func (o *simOrder) counts() {
	shipped, unshipped := 0, 0
	for _, it := range o.items {
		q := 0
		if it.QuantityShipped != nil {
			q = *it.QuantityShipped
		}
		shipped += q
		unshipped += it.QuantityOrdered - q
	}
	o.order.NumberOfItemsShipped, o.order.NumberOfItemsUnshipped = intPtr(shipped), intPtr(unshipped)
}

// setStatus changes the order's status at a time, which becomes its LastUpdateDate.
func (o *simOrder) setStatus(status string, at time.Time) {
	o.order.OrderStatus = status
	o.updated = at.Truncate(time.Second)
	o.order.LastUpdateDate = amazon.FormatTime(o.updated)
}

// advance moves an order along the way Amazon does by itself, up to now: a Pending order's
// payment arrives (Unshipped), an FBA order is shipped by Amazon. Callers hold s.mu.
func (s *Server) advance(o *simOrder, now time.Time) {
	if o.order.OrderStatus == amazon.StatusPending && !o.paysAt.IsZero() && !now.Before(o.paysAt) {
		o.setStatus(amazon.StatusUnshipped, o.paysAt)
		if o.order.FulfillmentChannel == amazon.FulfillmentAFN {
			o.shipsAt = o.paysAt.Add(s.cfg.AFNShipDelay)
		}
	}
	if o.order.OrderStatus == amazon.StatusUnshipped && !o.shipsAt.IsZero() && !now.Before(o.shipsAt) {
		for i := range o.items {
			o.items[i].QuantityShipped = intPtr(o.items[i].QuantityOrdered)
		}
		o.counts()
		o.setStatus(amazon.StatusShipped, o.shipsAt)
	}
}

// view is the order as a caller may see it: PII only under an RDT naming it, and never for a
// Pending order; without an RDT only the coarse address (city, prefecture, postcode, country).
func (o *simOrder) view(c caller, path, pattern string) amazon.Order {
	v := o.order
	if v.OrderStatus == amazon.StatusPending {
		return v
	}
	if c.opens(path, pattern, "shippingAddress") {
		a := o.address
		v.ShippingAddress = &a
	} else {
		v.ShippingAddress = &amazon.Address{City: o.address.City, StateOrRegion: o.address.StateOrRegion, PostalCode: o.address.PostalCode, CountryCode: o.address.CountryCode}
	}
	if c.opens(path, pattern, "buyerInfo") {
		b := o.buyer
		v.BuyerInfo = &b
	}
	return v
}

// itemsView is getOrderItems' answer: without prices while the order is Pending (ordersV0.json).
func (o *simOrder) itemsView() []amazon.OrderItem {
	out := make([]amazon.OrderItem, len(o.items))
	for i, it := range o.items {
		if o.order.OrderStatus == amazon.StatusPending {
			it = amazon.OrderItem{ASIN: it.ASIN, SellerSKU: it.SellerSKU, OrderItemId: it.OrderItemId, Title: it.Title, QuantityOrdered: it.QuantityOrdered, QuantityShipped: it.QuantityShipped}
		}
		out[i] = it
	}
	return out
}

// sorted returns the orders keep accepts, by LastUpdateDate then id. Callers hold s.mu.
func (s *Server) sorted(keep func(*simOrder) bool) []*simOrder {
	var hits []*simOrder
	for _, o := range s.orders {
		if keep(o) {
			hits = append(hits, o)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if !hits[i].updated.Equal(hits[j].updated) {
			return hits[i].updated.Before(hits[j].updated)
		}
		return hits[i].order.AmazonOrderId < hits[j].order.AmazonOrderId
	})
	return hits
}

// Cancel cancels an order as the buyer's cancellation does.
func (s *Server) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return fmt.Errorf("no order %s", id)
	}
	o.setStatus(amazon.StatusCanceled, s.Sim.Clock.Now())
	return nil
}

// Order returns an order as getOrder answers it under an RDT for everything, advanced to now.
func (s *Server) Order(id string) (amazon.Order, []amazon.OrderItem, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return amazon.Order{}, nil, false
	}
	s.advance(o, s.Sim.Clock.Now())
	all := caller{rdt: []amazon.RestrictedResource{{Method: "GET", Path: amazon.PathOrder, DataElements: []string{"buyerInfo", "shippingAddress"}}}}
	return o.view(all, amazon.PathOrder, amazon.PathOrder), o.itemsView(), true
}

// Packages returns the packages confirmed for an order.
func (s *Server) Packages(id string) []amazon.PackageDetail {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return nil
	}
	out := make([]amazon.PackageDetail, 0, len(o.packages))
	for _, p := range o.packages {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PackageReferenceId < out[j].PackageReferenceId })
	return out
}
