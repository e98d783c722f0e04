package rakutensim

import (
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// mountControl adds the Rakuten-specific control API:
//
//	POST /_sim/orders            {"count":10,"unfixed_postage_share":0.1}: generate orders
//	GET  /_sim/orders/{number}   one order as getOrder returns it
//	POST /_sim/key               {"expire":true} or {"renew":"NEW_LICENSE_KEY"}
func (s *Server) mountControl(mux *http.ServeMux) {
	mux.HandleFunc("POST /_sim/orders", func(w http.ResponseWriter, r *http.Request) {
		var opts GenerateOptions
		if !simkit.ReadJSON(w, r, &opts) {
			return
		}
		if opts.Count < 1 || opts.Count > 100_000 {
			simkit.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "count must be between 1 and 100000"})
			return
		}
		simkit.WriteJSON(w, http.StatusOK, map[string][]string{"order_numbers": s.Generate(opts)})
	})
	mux.HandleFunc("GET /_sim/orders/{number}", func(w http.ResponseWriter, r *http.Request) {
		m, ok := s.Order(r.PathValue("number"))
		if !ok {
			simkit.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "no such order"})
			return
		}
		simkit.WriteJSON(w, http.StatusOK, m)
	})
	mux.HandleFunc("POST /_sim/key", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Expire bool   `json:"expire"`
			Renew  string `json:"renew"`
		}
		if !simkit.ReadJSON(w, r, &req) {
			return
		}
		if req.Expire {
			s.ExpireKey()
		}
		if req.Renew != "" {
			s.RenewKey(req.Renew)
		}
		w.WriteHeader(http.StatusNoContent)
	})
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
func (s *Server) ExpireKey() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keyExpired = true
}

// RenewKey replaces the license key with a new one valid for the key lifetime from now.
func (s *Server) RenewKey(licenseKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.LicenseKey, s.keyExpired, s.keyIssuedAt = licenseKey, false, s.Sim.Clock.Now()
}
