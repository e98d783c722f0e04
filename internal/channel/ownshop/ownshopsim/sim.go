// Package ownshopsim is the own cart's simulator: a small shop cart that takes card orders,
// authorises each on the クロネコwebコレクト simulator (webcollectsim, A08) and offers its orders
// in ichigen's cart format through a signed order feed (GET /cart/v1/orders?from=&to=&page=,
// X-Ichigen-Signature over the request URI), with the webコレクト gateway under /api/ on the same
// server, clock, faults and counters (simkit). `ichigen sim ownshop` runs both; the demo's
// 自社カート shop is built on it, so card orders flow from 仮売上 to 決済完了 by themselves.
package ownshopsim

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect/webcollectsim"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// DefaultSecret is the cart secret the simulator uses when none is configured.
const DefaultSecret = "ownshop-cart-secret-5b2e9c0d7a4f4e61b83c"

// Config sets up the simulator.
type Config struct {
	Secret, TraderCode string
	NoTransportOption  bool
	QuotaPerSecond     float64
	Seed               uint64
}

// Server is the simulator: the cart and the gateway.
type Server struct {
	Sim     *simkit.Sim
	Gateway *webcollectsim.Server
	secret  string

	mu     sync.Mutex
	orders map[string]*ownshop.CartOrder
	seq    int
	// pushURL is ichigen's intake the cart posts new orders to (push.go); "" when it does not.
	pushURL    string
	pushClient *http.Client
	pending    []ownshop.CartOrder
	pushed     int
}

// New returns a simulator.
func New(cfg Config) *Server {
	if cfg.Secret == "" {
		cfg.Secret = DefaultSecret
	}
	sim := simkit.New(simkit.Config{QuotaPerSecond: cfg.QuotaPerSecond, Seed: cfg.Seed})
	return &Server{Sim: sim, Gateway: webcollectsim.NewOn(sim, webcollectsim.Config{TraderCode: cfg.TraderCode, NoTransportOption: cfg.NoTransportOption}),
		secret: cfg.Secret, orders: map[string]*ownshop.CartOrder{}}
}

// Handler returns the cart's feed, the gateway and the control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cart/v1/orders", s.list)
	mux.HandleFunc("POST /_sim/orders", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Count int `json:"count"`
		}
		if !simkit.ReadJSON(w, r, &req) {
			return
		}
		if req.Count < 1 || req.Count > simkit.MaxGenerate {
			simkit.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "count must be between 1 and 100000"})
			return
		}
		simkit.WriteJSON(w, http.StatusOK, map[string][]string{"order_numbers": s.Place(req.Count, true)})
	})
	s.Gateway.Mount(mux)
	s.Sim.Mount(mux)
	return mux
}

type refusals struct{}

func (refusals) Throttled(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	simkit.WriteJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many requests"})
}

func (refusals) Maintenance(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	simkit.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "maintenance"})
}

func (refusals) ErrorInOK(w http.ResponseWriter, _ string) {
	simkit.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request"})
}

// list answers a page of the orders placed or changed from from to to, oldest first.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if !ownshop.Verify(s.secret, []byte(r.URL.RequestURI()), r.Header.Get(ownshop.SignatureHeader)) {
		s.Sim.AuthFailed()
		simkit.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "bad signature"})
		return
	}
	w, pad := s.Sim.Padded(w, ownshop.OpListOrders)
	defer pad()
	if !s.Sim.Guard(w, r, s.Gateway.TraderCode(), ownshop.OpListOrders, refusals{}) {
		return
	}
	q := r.URL.Query()
	from, err1 := time.Parse(time.RFC3339, q.Get("from"))
	to, err2 := time.Parse(time.RFC3339, q.Get("to"))
	page, err3 := strconv.Atoi(q.Get("page"))
	if err1 != nil || err2 != nil || err3 != nil || page < 1 {
		simkit.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "from, to (RFC3339) and page (from 1) are required"})
		return
	}
	s.mu.Lock()
	var found []ownshop.CartOrder
	for _, o := range s.orders {
		if !o.UpdatedAt.Before(from) && !o.UpdatedAt.After(to) {
			found = append(found, *o)
		}
	}
	s.mu.Unlock()
	sort.Slice(found, func(i, j int) bool { return found[i].Number < found[j].Number })
	start, end := min((page-1)*ownshop.FeedPageSize, len(found)), min(page*ownshop.FeedPageSize, len(found))
	p := ownshop.FeedPage{Orders: found[start:end]}
	if end < len(found) {
		p.NextPage = page + 1
	}
	simkit.WriteJSON(w, http.StatusOK, p)
}

// Place has buyers order count times now, each paid by card and authorised on the gateway.
func (s *Server) Place(count int, _ bool) []string { return s.place(count, s.Sim.Clock.Now()) }

func (s *Server) place(count int, at time.Time) []string {
	at = at.Truncate(time.Second)
	numbers := make([]string, count)
	fresh := make([]ownshop.CartOrder, 0, count)
	for i := range numbers {
		o := s.Order(at)
		s.Gateway.Authorize(o.Payment.OrderNo, o.Payment.Amount, at)
		s.mu.Lock()
		s.orders[o.Number] = &o
		s.mu.Unlock()
		numbers[i] = o.Number
		fresh = append(fresh, o)
	}
	s.push(fresh)
	return numbers
}

// Order makes a new card order of the cart, authorised at at (not yet on the gateway).
func (s *Server) Order(at time.Time) ownshop.CartOrder {
	p := s.Sim.Gen.Person()
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	buyer := ownshop.CartPerson{Name: p.FamilyName + " " + p.FirstName, Kana: p.FamilyKana + " " + p.FirstKana, Email: p.Email, Phone: p.Phone,
		Zip: p.Zip, Address: p.Prefecture + p.City + p.SubAddress}
	o := ownshop.CartOrder{Number: fmt.Sprintf("C-%07d", seq), OrderedAt: at, UpdatedAt: at, Buyer: buyer, ShipTo: buyer, Postage: 550}
	var goods int64
	for _, l := range s.Sim.Gen.Lines() {
		o.Lines = append(o.Lines, ownshop.CartLine{SKU: l.Item.ItemNumber, Name: l.Item.Name, Options: l.Choice, UnitPrice: l.Item.Price, Quantity: l.Quantity, TaxRate: l.Item.TaxRate})
		goods += l.Item.Price * l.Quantity
	}
	o.Total = goods + o.Postage
	o.Payment = ownshop.CartPay{Method: ownshop.MethodWebcollectCard, TraderCode: s.Gateway.TraderCode(), OrderNo: fmt.Sprintf("C%07d", seq), Amount: o.Total, AuthorizedAt: at}
	s.member(&o, seq)
	return o
}

// MemberEvery is how often the cart's buyer is a member: every MemberEvery-th order is placed by
// one of the cart's members, who ticked 「カードを登録する」 and so has a stored card.
const MemberEvery = 3

// member makes every MemberEvery-th order a member's (one of a few members, so that a member has
// several orders), with the member's card stored on the gateway as A08 stores it: up to three
// cards a member, a new one now and then. The key is the member's own, as WooCommerce's
// plugin makes one per member.
func (s *Server) member(o *ownshop.CartOrder, seq int) {
	if seq%MemberEvery != 0 {
		return
	}
	n := (seq/MemberEvery-1)%7 + 1
	m := webcollect.Member{ID: fmt.Sprintf("M-%04d", n), AuthenticationKey: fmt.Sprintf("key%04d", n*37)}
	o.Payment.MemberID, o.Payment.AuthenticationKey = m.ID, m.AuthenticationKey
	if seq%(2*MemberEvery) == 0 || seq <= 7*MemberEvery {
		s.Gateway.StoreCard(m, fmt.Sprintf("%04d", (seq*7919)%10000), fmt.Sprintf("%02d%02d", seq%12+1, 28+seq%5), o.Buyer.Kana)
	}
}

// Cancel cancels an order in the cart.
func (s *Server) Cancel(number string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[number]
	if !ok {
		return fmt.Errorf("no order %s", number)
	}
	o.Cancelled, o.UpdatedAt = true, s.Sim.Clock.Now()
	return nil
}

// Credentials are what a shop enters to use the simulator (the endpoint aside).
func (s *Server) Credentials() map[string]string {
	return map[string]string{"cartSecret": s.secret, "traderCode": s.Gateway.TraderCode(), "accessKey": s.Gateway.AccessKey(), "carrierSetting": ownshop.CarrierYamatoOnly}
}

// Banner is what `ichigen sim ownshop` prints.
func (s *Server) Banner(url string) string {
	return fmt.Sprintf("own cart + クロネコwebコレクト simulator on %s\n  cart secret:   %s\n  trader code:   %s\n  cart feed:     %s/cart/v1/orders\n  webコレクト:    %s/api/<function>\n"+
		"  make orders:   curl -X POST %s/_sim/orders -d '{\"count\":10}'\n", url, s.secret, s.Gateway.TraderCode(), url, url, url)
}

// IntN is the simulator's random source.
func (s *Server) IntN(n int) int { return s.Sim.Gen.IntN(n) }

// Now is the simulator's clock.
func (s *Server) Now() time.Time { return s.Sim.Clock.Now() }

// WriteKey is the key the shared counters count an order's writes under: the webコレクト trade's
// order_no (受付番号), since the writes (capture, cancel, amount change) go to the gateway, not to
// the cart. A drain or fault run reads an order's writes by it.
func (s *Server) WriteKey(number string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[number]; o != nil && o.Payment.OrderNo != "" {
		return o.Payment.OrderNo
	}
	return number
}
