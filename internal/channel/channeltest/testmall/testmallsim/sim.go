// Package testmallsim is the test mall's simulator on simkit: GET /api/orders (a page of 20
// orders placed in a window), GET /api/orders/{id}, POST /api/orders/{id}/shipment, a Bearer
// token, and the shared control API under /_sim/. Importing it registers the mall and its
// simulator; only the conformance test does.
package testmallsim

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/channeltest/testmall"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// DefaultToken is the token the simulator accepts when none is configured.
const DefaultToken = "testmall-token-0123456789abcdef"

func init() {
	channel.RegisterSimulator(testmall.Channel, channel.Simulator{
		Usage: "test mall simulator (/api/orders, control API under /_sim/)", DefaultAddr: "127.0.0.1:8090",
		Flags: []channel.SimFlag{{Flag: "token", Env: "ICHIGEN_SIM_TOKEN", Key: "token", Default: DefaultToken, Usage: "token the simulator accepts (Authorization: Bearer)"}},
		New: func(c channel.SimConfig) channel.SimServer {
			return New(c.Credentials["token"], c.QuotaPerSecond, c.Seed)
		},
		Demo: channel.Demo{ShopName: "テストモール (テスト用)", Code: "testmall",
			Rules: func(p func(string) int64) []workflow.Rule {
				return []workflow.Rule{
					{Kind: workflow.JobImport, Interval: 30 * time.Second},
					{Kind: workflow.JobShipReport, TargetPhaseID: p("出荷済み"), SuccessPhaseID: p("完了"), ErrorPhaseID: p("エラー")},
				}
			},
			Orders: func(sim channel.SimServer, first bool, at time.Time) {
				s := sim.(*Server)
				if first {
					s.place(5, true, at)
					return
				}
				s.place(1+s.IntN(2), true, s.Now())
			},
		},
	})
}

// Server is the simulator.
type Server struct {
	Sim   *simkit.Sim
	token string

	mu     sync.Mutex
	orders map[string]*testmall.Order
	seq    int
}

// New returns a simulator accepting token (DefaultToken when empty).
func New(token string, quotaPerSecond float64, seed uint64) *Server {
	if token == "" {
		token = DefaultToken
	}
	return &Server{Sim: simkit.New(simkit.Config{QuotaPerSecond: quotaPerSecond, Seed: seed}), token: token, orders: map[string]*testmall.Order{}}
}

// Handler returns the mall's API and the control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/orders", s.guarded(testmall.OpListOrders, s.list))
	mux.HandleFunc("GET /api/orders/{id}", s.guarded(testmall.OpGetOrder, s.get))
	mux.HandleFunc("POST /api/orders/{id}/shipment", s.guarded(testmall.OpShip, s.ship))
	s.Sim.Mount(mux)
	return mux
}

// guarded checks the token, then simkit's faults and quota.
func (s *Server) guarded(op string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !ok || token != s.token {
			s.Sim.AuthFailed()
			refuse(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		w, pad := s.Sim.Padded(w, op)
		if s.Sim.Guard(w, r, s.token, op, refusals{}) {
			h(w, r)
		}
		pad()
	}
}

type refusals struct{}

func (refusals) Throttled(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	refuse(w, http.StatusTooManyRequests, "too many requests")
}

func (refusals) Maintenance(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	refuse(w, http.StatusServiceUnavailable, "maintenance")
}

func (refusals) ErrorInOK(w http.ResponseWriter, _ string) {
	refuse(w, http.StatusBadRequest, "bad request")
}

func refuse(w http.ResponseWriter, status int, msg string) {
	simkit.WriteJSON(w, status, map[string]string{"error": msg})
}

// list answers a page of the orders placed from from to to (both included), oldest first.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err1 := time.Parse(time.RFC3339, q.Get("from"))
	to, err2 := time.Parse(time.RFC3339, q.Get("to"))
	page, err3 := strconv.Atoi(q.Get("page"))
	if err1 != nil || err2 != nil || err3 != nil || page < 1 {
		refuse(w, http.StatusBadRequest, "from, to (RFC3339) and page (from 1) are required")
		return
	}
	s.mu.Lock()
	var found []testmall.Order
	for _, o := range s.orders {
		if !o.OrderedAt.Before(from) && !o.OrderedAt.After(to) {
			found = append(found, *o)
		}
	}
	s.mu.Unlock()
	sort.Slice(found, func(i, j int) bool { return found[i].Number < found[j].Number })
	start, end := min((page-1)*testmall.PageSize, len(found)), min(page*testmall.PageSize, len(found))
	p := testmall.Page{Orders: found[start:end]}
	if end < len(found) {
		p.NextPage = page + 1
	}
	simkit.WriteJSON(w, http.StatusOK, p)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o, ok := s.orders[r.PathValue("id")]
	var out testmall.Order
	if ok {
		out = *o
	}
	s.mu.Unlock()
	if !ok {
		refuse(w, http.StatusNotFound, "no such order")
		return
	}
	simkit.WriteJSON(w, http.StatusOK, out)
}

// ship records a shipment: a write, counted per order, that may hang after it is applied.
func (s *Server) ship(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.Sim.Counters.WriteRequest(id)
	var sh testmall.Shipment
	if !simkit.ReadJSON(w, r, &sh) {
		return
	}
	s.mu.Lock()
	o, ok := s.orders[id]
	switch {
	case !ok:
		s.mu.Unlock()
		refuse(w, http.StatusNotFound, "no such order")
		return
	case o.Status != testmall.StatusReady && o.Status != testmall.StatusShipped:
		s.mu.Unlock()
		refuse(w, http.StatusConflict, "order is "+o.Status)
		return
	}
	duplicate := o.Shipment != nil && *o.Shipment == sh
	o.Shipment, o.Status = &sh, testmall.StatusShipped
	out := *o
	s.mu.Unlock()
	s.Sim.Counters.Write(id, duplicate)
	s.Sim.HangAfterWrite(w, r)
	simkit.WriteJSON(w, http.StatusOK, out)
}

// Credentials are the token a shop enters.
func (s *Server) Credentials() map[string]string { return map[string]string{"token": s.token} }

// Banner is what `ichigen sim testmall` prints.
func (s *Server) Banner(url string) string {
	return fmt.Sprintf("test mall simulator on %s\n  token: %s\n", url, s.token)
}

// IntN is the simulator's random source.
func (s *Server) IntN(n int) int { return s.Sim.Gen.IntN(n) }

// Now is the simulator's clock.
func (s *Server) Now() time.Time { return s.Sim.Clock.Now() }

// Place has buyers place count orders now, ready to ship or new.
func (s *Server) Place(count int, readyToShip bool) []string {
	return s.place(count, readyToShip, s.Now())
}

func (s *Server) place(count int, ready bool, at time.Time) []string {
	status := testmall.StatusNew
	if ready {
		status = testmall.StatusReady
	}
	numbers := make([]string, count)
	for i := range numbers {
		p, item, quantity := s.Sim.Gen.Person(), simkit.Catalog[s.IntN(len(simkit.Catalog))], int64(1+s.IntN(3))
		s.mu.Lock()
		s.seq++
		o := &testmall.Order{Number: fmt.Sprintf("TM-%06d", s.seq), OrderedAt: at, Buyer: p.FamilyName + " " + p.FirstName,
			Item: item.Name, Price: item.Price, Quantity: quantity, Status: status}
		s.orders[o.Number] = o
		s.mu.Unlock()
		numbers[i] = o.Number
	}
	return numbers
}

// Cancel cancels an order.
func (s *Server) Cancel(number string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[number]
	if !ok {
		return fmt.Errorf("no order %s", number)
	}
	o.Status = testmall.StatusCancelled
	return nil
}
