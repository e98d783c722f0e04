package aupaysim

import (
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// mountControl adds the order and key control the Rakuten simulator has, from simkit:
//
//	POST /_sim/orders            {"count":10,"status":"発送待ち","settlement":"代金引換"}: generate trades
//	GET  /_sim/orders/{orderId}  one trade as searchTradeInfoProc answers it (as JSON)
//	POST /_sim/key               {"expire":true} or {"renew":"NEW_API_KEY"}
func (s *Server) mountControl(mux *http.ServeMux) {
	simkit.MountOrders(mux, func(o GenerateOptions) int { return o.Count }, func(o GenerateOptions) ([]string, error) {
		if err := o.validate(); err != nil {
			return nil, err
		}
		return s.Generate(o), nil
	}, func(id string) (any, bool) {
		t, ok := s.Trade(id)
		return t, ok
	})
	simkit.MountKey(mux, s.key)
}

// Trade returns a trade as searchTradeInfoProc would, advanced to the simulated now.
func (s *Server) Trade(orderID string) (aupay.OrderInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderID]
	if !ok {
		return aupay.OrderInfo{}, false
	}
	s.advance(t, s.Sim.Clock.Now())
	return t.info, true
}

// SetStatus changes a trade's status as the shop or au PAY Market does in Wow! manager (for
// instance a cancellation by the buyer), without an API call and without counting a write.
func (s *Server) SetStatus(orderID, label string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderID]
	if ok && aupay.IsStatus(label) {
		t.info.OrderStatus = label
		return true
	}
	return false
}

// ExpireKey makes the current API key fail, as an expired one does.
func (s *Server) ExpireKey() { s.key.Expire() }

// RenewKey replaces the API key with a new one valid for the key lifetime from now.
func (s *Server) RenewKey(apiKey string) { s.key.Renew(apiKey) }
