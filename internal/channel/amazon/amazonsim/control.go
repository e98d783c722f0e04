package amazonsim

import (
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// mountControl adds the order and key control the other simulators have, from simkit:
//
//	POST /_sim/orders            {"count":10,"status":"Pending","fulfillment":"AFN","payment_method":"COD"}
//	GET  /_sim/orders/{orderId}  one order as getOrder answers it under an RDT (as JSON)
//	POST /_sim/key               {"expire":true} revokes the refresh token; {"renew":"Atzr|…"} replaces it
func (s *Server) mountControl(mux *http.ServeMux) {
	simkit.MountOrders(mux, func(o GenerateOptions) int { return o.Count }, func(o GenerateOptions) ([]string, error) {
		if err := o.validate(); err != nil {
			return nil, err
		}
		return s.Generate(o), nil
	}, func(id string) (any, bool) {
		o, items, ok := s.Order(id)
		return map[string]any{"order": o, "items": items, "packages": s.Packages(id)}, ok
	})
	simkit.MountKey(mux, s.refresh)
}

// RevokeRefreshToken makes the seller's authorisation fail, as a revoked one does.
func (s *Server) RevokeRefreshToken() { s.refresh.Expire() }
