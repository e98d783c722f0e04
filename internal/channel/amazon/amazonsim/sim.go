// Package amazonsim is an Amazon Selling Partner API simulator for the Japanese marketplace: an
// HTTP server that speaks the wire format of Login with Amazon's token exchange
// (POST /auth/o2/token), the Tokens API's createRestrictedDataToken and the Orders API v0
// (getOrders, getOrder, getOrderItems, getOrderAddress, getOrderBuyerInfo, confirmShipment),
// with the access token in x-amz-access-token, x-amzn-RequestId on every answer,
// x-amzn-RateLimit-Limit on 2xx/400/404, and errors as {"errors":[{"code","message","details"}]}.
// Each operation has its own token bucket with the rate and burst of the model's usage plan; a
// request over it is answered 429 QuotaExceeded.
//
// What it copies from where: paths, parameters, fields, enums, statuses and usage plans from
// amzn/selling-partner-api-models @34dc93f models/orders-api-model/ordersV0.json (including the
// model's note that getOrderItems gives no prices while an order is Pending, and the 400
// example {"code":"InvalidInput","message":"Invalid Input"}); the RDT exchange from
// models/tokens-api-model/tokens_2021-03-01.json; the LWA exchange (JSON body grant_type,
// refresh_token, client_id, client_secret; answer access_token, expires_in; refusals
// invalid_grant / invalid_client) from clients/sellingpartner-api-aa-java LWAClient.java and
// LWAExceptionErrorCode.java; the 429 body and the token-bucket semantics from
// docs/marketplace-apis.md §4.
//
// The simulator's own choices, which the public record does not settle: the wording of the
// 400s of confirmShipment and of the 403s, a second confirmation of the same packageReferenceId
// refused with 400, and tokens that are signed rather than stored (so that no client can grow
// the simulator's memory by asking for tokens). PII (BuyerInfo, the full ShippingAddress) is
// answered only under a Restricted Data Token naming the resource, never for a Pending order.
package amazonsim

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// Config sets up the simulator.
type Config struct {
	// ClientID and ClientSecret are the LWA application credentials, RefreshToken the seller's
	// authorisation of the application, SellerID the merchant token.
	ClientID, ClientSecret, RefreshToken, SellerID string
	// RateFactor scales every operation's usage plan (rate and burst); 0 enforces none.
	RateFactor float64
	// QuotaPerSecond is simkit's overall quota per seller on top of the plans; 0 is none.
	QuotaPerSecond float64
	// PaymentDelay is how long a Pending order (convenience-store payment) waits for the
	// buyer's payment before it becomes Unshipped; AFNShipDelay how long Amazon takes to ship an
	// FBA order.
	PaymentDelay, AFNShipDelay time.Duration
	Seed                       uint64
}

// The credentials the simulator accepts when Config leaves them empty, shaped like real ones.
const (
	DefaultClientID     = "amzn1.application-oa2-client.0f3c5e7a9b1d4f6a8c2e0b4d6f8a1c3e"
	DefaultClientSecret = "amzn1.oa2-cs.v1.7d2b9e4f1a6c3e8b5d0f2a7c4e9b1d6f3a8c5e0b2d7f4a9c"
	DefaultRefreshToken = "Atzr|IwEBIDemoRefreshTokenForIchigenSimulator0123456789abcdef"
	DefaultSellerID     = "A2ICHIGENDEMO01"
)

// AccessTokenLifetime is how long an LWA access token and an RDT live (expires_in 3600).
const AccessTokenLifetime = time.Hour

func (cfg Config) withDefaults() Config {
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = DefaultClientSecret
	}
	if cfg.RefreshToken == "" {
		cfg.RefreshToken = DefaultRefreshToken
	}
	if cfg.SellerID == "" {
		cfg.SellerID = DefaultSellerID
	}
	if cfg.PaymentDelay == 0 {
		cfg.PaymentDelay = 24 * time.Hour
	}
	if cfg.AFNShipDelay == 0 {
		cfg.AFNShipDelay = 6 * time.Hour
	}
	return cfg
}

// Server is the simulator.
type Server struct {
	cfg     Config
	Sim     *simkit.Sim
	refresh *simkit.Key
	buckets *buckets
	signKey []byte

	mu       sync.Mutex
	orders   map[string]*simOrder
	sequence int
	nextItem int64
}

// New returns a simulator.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s := &Server{cfg: cfg, Sim: simkit.New(simkit.Config{QuotaPerSecond: cfg.QuotaPerSecond, Seed: cfg.Seed}),
		buckets: newBuckets(cfg.RateFactor), signKey: key, orders: map[string]*simOrder{}}
	s.refresh = s.Sim.NewKey(cfg.RefreshToken, 0)
	return s
}

// Refused counts the requests answered 429: over an operation's bucket (also counted per
// operation as "429:<op>" in the counters' operations) or injected.
func (s *Server) Refused() int {
	c := s.Sim.Counters.Snapshot()
	n := c.Throttled
	for op, k := range c.Operations {
		if strings.HasPrefix(op, "429:") {
			n += k
		}
	}
	return n
}

// Credentials are what a shop enters to use the simulator.
func (s *Server) Credentials() map[string]string {
	return map[string]string{"clientId": s.cfg.ClientID, "clientSecret": s.cfg.ClientSecret, "refreshToken": s.refresh.Value(), "sellerId": s.cfg.SellerID}
}

// Handler returns the HTTP handler: LWA, the Tokens API, the Orders API and the control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+amazon.PathLWA, s.lwaToken)
	mux.HandleFunc("POST "+amazon.PathRDT, s.guarded(amazon.OpCreateRDT, s.createRDT))
	mux.HandleFunc("GET "+amazon.PathOrders, s.guarded(amazon.OpGetOrders, s.getOrders))
	mux.HandleFunc("GET "+amazon.PathOrder, s.guarded(amazon.OpGetOrder, s.getOrder))
	mux.HandleFunc("GET "+amazon.PathOrderItems, s.guarded(amazon.OpGetOrderItems, s.getOrderItems))
	mux.HandleFunc("GET "+amazon.PathAddress, s.guarded(amazon.OpGetOrderAddress, s.getOrderAddress))
	mux.HandleFunc("GET "+amazon.PathBuyerInfo, s.guarded(amazon.OpGetOrderBuyerInfo, s.getOrderBuyerInfo))
	mux.HandleFunc("POST "+amazon.PathShipConfirm, s.guarded(amazon.OpConfirmShipment, s.confirmShipment))
	s.Sim.Mount(mux)
	s.mountControl(mux)
	return mux
}

// token is what a signed access token or RDT carries.
type token struct {
	Kind      string                      `json:"k"` // "a" access token, "r" RDT
	Expires   int64                       `json:"e"` // unix seconds, simulated clock
	Resources []amazon.RestrictedResource `json:"r,omitempty"`
}

// issue signs a token: prefix + payload + "." + HMAC.
func (s *Server) issue(prefix string, t token) string {
	body, _ := json.Marshal(t)
	p := base64.RawURLEncoding.EncodeToString(body)
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte(p))
	return prefix + p + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// parse checks a token's signature; expired tells a well-formed token past its life.
func (s *Server) parse(v string) (t token, ok, expired bool) {
	_, rest, found := strings.Cut(v, "|")
	if !found {
		return t, false, false
	}
	p, sig, found := strings.Cut(rest, ".")
	if !found {
		return t, false, false
	}
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte(p))
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return t, false, false
	}
	body, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil || json.Unmarshal(body, &t) != nil {
		return t, false, false
	}
	if s.Sim.Clock.Now().Unix() >= t.Expires {
		return t, false, true
	}
	return t, true, false
}

// caller is who a request was authorised as.
type caller struct{ rdt []amazon.RestrictedResource }

// opens reports whether an RDT opens path (a concrete path, or the model's with {orderId}) for
// GET and, when element is set, that data element.
func (c caller) opens(path, pattern, element string) bool {
	for _, r := range c.rdt {
		if r.Method != http.MethodGet || (r.Path != path && r.Path != pattern) {
			continue
		}
		if element == "" {
			return true
		}
		for _, e := range r.DataElements {
			if e == element {
				return true
			}
		}
	}
	return false
}

type handler func(w http.ResponseWriter, r *http.Request, c caller)

// guarded gives every answer its request id, checks the access token (or RDT), then the shared
// faults and quota, then the operation's token bucket.
func (s *Server) guarded(op string, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(amazon.RequestIDHeader, requestID())
		t, ok, expired := s.parse(r.Header.Get(amazon.AccessTokenHeader))
		switch {
		case expired:
			s.Sim.AuthFailed()
			writeErrors(w, http.StatusForbidden, amazon.CodeUnauthorized, "The access token you provided has expired.", "")
			return
		case !ok:
			s.Sim.AuthFailed()
			writeErrors(w, http.StatusForbidden, amazon.CodeUnauthorized, "Access to requested resource is denied.", "The access token you provided is revoked, malformed or invalid.")
			return
		}
		w, pad := s.Sim.Padded(w, op)
		defer pad()
		if !s.Sim.Guard(w, r, s.cfg.SellerID, op, refusals{}) {
			return
		}
		if !s.buckets.allow(op) {
			s.Sim.Counters.Operation("429:" + op)
			refusals{}.Throttled(w)
			return
		}
		if plan, ok := s.buckets.plan(op); ok {
			w.Header().Set(amazon.RateLimitHeader, strconv.FormatFloat(plan.Rate, 'f', -1, 64))
		}
		c := caller{}
		if t.Kind == "r" {
			c.rdt = t.Resources
		}
		h(w, r, c)
	}
}

// requestID is a fresh x-amzn-RequestId, a UUID as Amazon's are.
func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type refusals struct{}

// Throttled is the 429 of marketplace-apis.md §4. SP-API sends no Retry-After.
func (refusals) Throttled(w http.ResponseWriter) {
	writeErrors(w, http.StatusTooManyRequests, amazon.CodeQuotaExceeded, "You exceeded your quota for the requested resource.", "")
}

// Maintenance is the model's 503 "Temporary overloading or maintenance of the server".
func (refusals) Maintenance(w http.ResponseWriter) {
	writeErrors(w, http.StatusServiceUnavailable, amazon.CodeUnavailable, "Service is temporarily unavailable. Please try again later.", "")
}

// ErrorInOK is an answer of errors with HTTP 200, which the response schemas allow.
func (refusals) ErrorInOK(w http.ResponseWriter, op string) {
	writeErrors(w, http.StatusOK, amazon.CodeInternal, "We encountered an internal error. Please try again.", "")
}

// writeJSON writes an answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErrors(w http.ResponseWriter, status int, code, message, details string) {
	writeJSON(w, status, amazon.ErrorList{Errors: []amazon.Error{{Code: code, Message: message, Details: details}}})
}

func invalid(w http.ResponseWriter, message string) {
	writeErrors(w, http.StatusBadRequest, amazon.CodeInvalidInput, message, "")
}
