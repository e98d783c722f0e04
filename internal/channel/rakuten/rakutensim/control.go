package rakutensim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// mountControl adds the Rakuten-specific control API, on simkit's shared handlers:
//
//	POST /_sim/orders            {"count":10,"unfixed_postage_share":0.1}: generate orders ("payment_method":"銀行振込" sells them all so)
//	GET  /_sim/orders/{number}   one order as getOrder returns it
//	POST /_sim/key               {"expire":true} or {"renew":"NEW_LICENSE_KEY"}
func (s *Server) mountControl(mux *http.ServeMux) {
	simkit.MountOrders(mux, func(o GenerateOptions) int { return o.Count }, func(o GenerateOptions) ([]string, error) {
		if o.PaymentMethod != "" && !slices.ContainsFunc(paymentMethods, func(m paymentMethod) bool { return m.name == o.PaymentMethod }) {
			names := make([]string, len(paymentMethods))
			for i, m := range paymentMethods {
				names[i] = m.name
			}
			return nil, fmt.Errorf("payment_method「%s」はシミュレーターにありません。%sのどれかを指定してください。", o.PaymentMethod, strings.Join(names, "・"))
		}
		return s.Generate(o), nil
	}, func(number string) (any, bool) {
		m, ok := s.Order(number)
		return m, ok
	})
	simkit.MountKey(mux, s.key)
}

// Order returns an order as getOrder would, advanced to the simulated now.
func (s *Server) Order(number string) (rakuten.OrderModel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[number]
	if !ok {
		return rakuten.OrderModel{}, false
	}
	now := s.Sim.Clock.Now()
	s.applyAsync(now)
	s.advance(o, now)
	return o.model, true
}

// ExpireKey makes the current license key fail with ES01-01, as an expired key does.
func (s *Server) ExpireKey() { s.key.Expire() }

// RenewKey replaces the license key with a new one valid for the key lifetime from now.
func (s *Server) RenewKey(licenseKey string) { s.key.Renew(licenseKey) }
