package yahoosim

import (
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// mountControl adds the order and token control beside simkit's:
//
//	POST /_sim/orders            {"count":10,"pay_method":"payment_b1","seen":true}: generate orders
//	GET  /_sim/orders/{orderId}  one order as orderInfo answers it (as JSON)
//	POST /_sim/token             {"expire_access":true} or {"revoke_refresh":true} or {"order_api":false}
//	GET  /_sim/usage             today's requests against the daily cap
func (s *Server) mountControl(mux *http.ServeMux) {
	simkit.MountOrders(mux, func(o GenerateOptions) int { return o.Count }, func(o GenerateOptions) ([]string, error) {
		if err := o.validate(); err != nil {
			return nil, err
		}
		return s.Generate(o), nil
	}, func(id string) (any, bool) {
		o, ok := s.Order(id)
		return o, ok
	})
	mux.HandleFunc("POST /_sim/token", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ExpireAccess  bool  `json:"expire_access"`
			RevokeRefresh bool  `json:"revoke_refresh"`
			OrderAPI      *bool `json:"order_api"`
		}
		if !simkit.ReadJSON(w, r, &req) {
			return
		}
		if req.ExpireAccess {
			s.ExpireAccessTokens()
		}
		if req.RevokeRefresh {
			s.RevokeRefreshTokens()
		}
		if req.OrderAPI != nil {
			s.SetOrderAPI(*req.OrderAPI)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_sim/usage", func(w http.ResponseWriter, r *http.Request) {
		used, limit := s.Usage()
		simkit.WriteJSON(w, http.StatusOK, map[string]int{"used_today": used, "daily_cap": limit})
	})
}

// SetOrderAPI registers the application for the order API or withdraws it (px-04303).
func (s *Server) SetOrderAPI(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orderAPI = on
}

// Usage is the application's requests today (Japan time) and the daily cap.
func (s *Server) Usage() (used, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used, s.cfg.DailyCap
}

// SetDailyCap changes the daily cap (tests reach it without 50,000 requests).
func (s *Server) SetDailyCap(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.DailyCap = n
}
