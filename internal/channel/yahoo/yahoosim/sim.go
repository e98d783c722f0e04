// Package yahoosim is a Yahoo!ショッピング ストア運営API (order API) simulator: an HTTP server that
// speaks the wire format of /ShoppingWebService/V1/<op> (Bearer access tokens from an OAuth 2.0
// token endpoint, POSTed <Req> XML, <Result> and <ResultSet> answers, <Error><Message/><Code/>
// </Error> refusals), keeps orders with their OrderStatus, PayStatus and ShipStatus, marks
// prepaid orders paid when the buyer's payment arrives, and injects faults on request through
// the /_sim/ control API it shares with the other simulators (simkit). `ichigen sim yahoo` runs
// it alone.
//
// What it copies, and from where (docs/marketplace-apis.md §3, §3a, whose sources it
// cites):
//   - operations, methods and request XML: JSPSystem/yahoo-shopping-api-client (src/Order/*.php),
//     kunitake1028/yahoo-shopping-jp-php (src/YahooShoppingJp/Request/*), the Python ship and
//     completion flow (search index id 59111499339) and the official orderList,
//     orderStatusChange and orderShipStatusChange pages (developer.yahoo.co.jp/webapi/shopping/);
//   - answers: orderList's <Result><Search><TotalCount/><OrderInfo/>… (one OrderInfo per order,
//     none when nothing matched) from the C# YahooOrderList (id 41274945705) and the Ruby client
//     (id 20689503689); orderInfo's <ResultSet><Result><OrderInfo> with its Pay, Ship, Detail and
//     Item groups from the W2 Mall.Yahoo client (ids 27619564379, 28136535801);
//   - errors: px-04102 and its message, the 401 with WWW-Authenticate error="invalid_token",
//     error_description="expired token" (qiita.com/suin/items/5241f461d8ced89f1091), px-04303,
//     and the daily cap's 403 "Your Request was Forbidden" (developer.yahoo.co.jp FAQ and
//     appendix/errors);
//   - OAuth: the Yahoo! ID連携 v2 authorization and token endpoints, Basic client authentication,
//     JSON token answers and invalid_grant (developer.yahoo.co.jp/yconnect/v2/authorization_code/);
//     access tokens live an hour, refresh tokens four weeks, the order APIs' session twelve hours
//     without the public-key headers;
//   - limits: 1 request a second to the same URL, then a temporary block (the official order-API
//     index), and 50,000 requests a day per application ID, reset at 00:00 JST;
//   - the status transitions (official orderStatusChange page) and completion failing right
//     after the ship-status change (the Python client waits 10 s).
//
// The simulator's own choices, where the record is silent: the od… codes and messages of the
// order refusals (yahoo.Code…), the block's answer (HTTP 429 with Retry-After) and length,
// orderChangeHistory's answer shape, that reading an order through orderInfo does not mark it
// seen (updates do), and that setting OrderStatus 2 on a new order is how the API marks it taken.
package yahoosim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// Config sets up the simulator.
type Config struct {
	// ClientID and ClientSecret are the application's (アプリケーションID, シークレット).
	ClientID, ClientSecret string
	// SellerID is the store account (ストアアカウント) every request names as SellerId.
	SellerID string
	// RefreshToken is a refresh token issued at start, as if the store had authorised the
	// application once; Credentials hands it out.
	RefreshToken string
	// QuotaPerSecond is requests per second to one URL per application; 0 is unlimited. Yahoo
	// allows 1.
	QuotaPerSecond float64
	// BlockFor is how long an application is refused on a URL after going over the quota (10 s
	// when zero; Yahoo does not say).
	BlockFor time.Duration
	// DailyCap is requests a day per application, reset at 00:00 JST (50,000 when zero).
	DailyCap int
	// CompleteWait is how long after a ship-status change completion is refused (10 s when zero;
	// negative: never).
	CompleteWait time.Duration
	// PaymentDelay is how long a prepaid order waits for the buyer's payment (24 h when zero).
	PaymentDelay time.Duration
	// AccessLifetime is an access token's life (an hour when zero).
	AccessLifetime time.Duration
	Seed           uint64
}

// The credentials a simulator accepts when Config leaves them empty.
const (
	DefaultClientID     = "dj00aiZpPXNpbXVsYXRvciZzPWNvbnN1bWVyc2VjcmV0Jng9aWNoaWdlbg--"
	DefaultClientSecret = "9f3c1e7a2b5d8c0f4a6e1b3d7c9a2e5f0b8d4c6a"
	DefaultSellerID     = "ichigen-tea"
	DefaultRefreshToken = "AAV0ZWFzaW11bGF0b3ItcmVmcmVzaC10b2tlbi0wMDAx"
)

func (cfg Config) withDefaults() Config {
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = DefaultClientSecret
	}
	if cfg.SellerID == "" {
		cfg.SellerID = DefaultSellerID
	}
	if cfg.RefreshToken == "" {
		cfg.RefreshToken = DefaultRefreshToken
	}
	if cfg.BlockFor == 0 {
		cfg.BlockFor = 10 * time.Second
	}
	if cfg.DailyCap == 0 {
		cfg.DailyCap = yahoo.DailyCap
	}
	if cfg.CompleteWait == 0 {
		cfg.CompleteWait = 10 * time.Second
	}
	if cfg.PaymentDelay == 0 {
		cfg.PaymentDelay = 24 * time.Hour
	}
	if cfg.AccessLifetime == 0 {
		cfg.AccessLifetime = yahoo.AccessTokenLifetime
	}
	return cfg
}

// Server is the simulator.
type Server struct {
	cfg Config
	Sim *simkit.Sim

	mu       sync.Mutex
	orders   map[string]*simOrder
	sequence int
	auth     authState
	// blocked is, per application and URL, until when requests are refused after going over
	// the quota (real time, as the quota is).
	blocked map[string]time.Time
	// day and used count the application's requests of one day (Japan time) against the cap.
	day  string
	used int
	// orderAPI is false when the application is not registered for the order API (px-04303).
	orderAPI bool
}

// New returns a simulator.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, Sim: simkit.New(simkit.Config{QuotaPerSecond: cfg.QuotaPerSecond, Seed: cfg.Seed}),
		orders: map[string]*simOrder{}, blocked: map[string]time.Time{}, orderAPI: true}
	s.auth = newAuthState()
	s.auth.refresh[cfg.RefreshToken] = &refreshToken{issuedAt: s.Sim.Clock.Now()}
	return s
}

// Credentials are the application ID, secret, seller ID and refresh token the simulator
// accepts.
func (s *Server) Credentials() map[string]string {
	return map[string]string{"clientId": s.cfg.ClientID, "clientSecret": s.cfg.ClientSecret, "sellerId": s.cfg.SellerID,
		"refreshToken": s.cfg.RefreshToken, "publicKey": storePublicKeyPEM(), "keyVersion": storeKeyVersion}
}

// Handler returns the HTTP handler: the order API, the OAuth endpoints and the control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for op, h := range map[string]http.HandlerFunc{
		yahoo.OpOrderList:             s.orderList,
		yahoo.OpOrderInfo:             s.orderInfo,
		yahoo.OpOrderStatusChange:     s.orderStatusChange,
		yahoo.OpOrderShipStatusChange: s.orderShipStatusChange,
		yahoo.OpOrderPayStatusChange:  s.orderPayStatusChange,
	} {
		mux.HandleFunc("POST "+yahoo.PathPrefix+op, s.guarded(op, h))
	}
	mux.HandleFunc("GET "+yahoo.PathPrefix+yahoo.OpOrderCount, s.guarded(yahoo.OpOrderCount, s.orderCount))
	mux.HandleFunc("GET "+yahoo.PathPrefix+yahoo.OpOrderChangeHistory, s.guarded(yahoo.OpOrderChangeHistory, s.orderChangeHistory))
	mux.HandleFunc("GET "+yahoo.AuthorizePath, s.authorizePage)
	mux.HandleFunc("POST "+yahoo.AuthorizePath, s.authorizeConsent)
	mux.HandleFunc("POST "+yahoo.TokenPath, s.token)
	s.Sim.Mount(mux)
	s.mountControl(mux)
	return mux
}

// guarded checks the access token, the order-API registration, the daily cap and the block
// after going over the quota, then the shared faults and the per-URL quota, before an operation.
func (s *Server) guarded(op string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		presented, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !s.checkToken(w, r, strings.TrimSpace(presented), ok) {
			s.Sim.AuthFailed()
			return
		}
		key := s.cfg.ClientID + " " + op // the quota is per URL
		now := time.Now()
		s.mu.Lock()
		registered := s.orderAPI
		day := s.Sim.Clock.Now().In(order.JST).Format(time.DateOnly)
		if day != s.day {
			s.day, s.used = day, 0
		}
		s.used++
		overCap := s.used > s.cfg.DailyCap
		until := s.blocked[key]
		s.mu.Unlock()
		switch {
		case !registered:
			answerError(w, http.StatusForbidden, yahoo.CodeNotRegistered, yahoo.MsgNotRegistered)
			return
		case overCap:
			answerError(w, http.StatusForbidden, "", yahoo.MsgForbidden)
			return
		case now.Before(until):
			blockedAnswer(w, until.Sub(now))
			return
		}
		w, pad := s.Sim.Padded(w, op)
		if s.Sim.Guard(w, r, key, op, refusals{s}) {
			h(w, r)
		}
		pad()
	}
}

type refusals struct{ s *Server }

// Throttled answers an injected 429: refused once, no block.
func (refusals) Throttled(w http.ResponseWriter) { blockedAnswer(w, time.Second) }

// OverQuota answers a request over the per-URL quota and blocks the application on that URL
// for BlockFor: "一定時間利用できなくなる". The answer's status and length are the simulator's.
func (r refusals) OverQuota(w http.ResponseWriter, key string) {
	r.s.mu.Lock()
	r.s.blocked[key] = time.Now().Add(r.s.cfg.BlockFor)
	r.s.mu.Unlock()
	blockedAnswer(w, r.s.cfg.BlockFor)
}

// Maintenance answers during a maintenance window: HTTP 503, as Yahoo's error list has it.
func (refusals) Maintenance(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	answerError(w, http.StatusServiceUnavailable, "", "Service Unavailable. The service is under maintenance.")
}

// ErrorInOK answers HTTP 200 with the API's refusal inside: nothing applied.
func (refusals) ErrorInOK(w http.ResponseWriter, op string) {
	answerError(w, http.StatusOK, yahoo.CodeBadRequest, "Invalid Request : "+op)
}

func blockedAnswer(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int((wait+time.Second-1)/time.Second))))
	answerError(w, http.StatusTooManyRequests, "", "Too Many Requests. Please retry after a while (1 query per second to the same URL).")
}

// writeXML writes an answer.
func writeXML(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}

// answerError writes <Error><Message/><Code/></Error>.
func answerError(w http.ResponseWriter, status int, code, message string) {
	writeXML(w, status, yahoo.ErrorAnswer{Code: code, Message: message})
}

// refuse writes an order refusal (HTTP 400, the simulator's choice; 404 for an unknown order).
func refuse(w http.ResponseWriter, code, message string) {
	status := http.StatusBadRequest
	if code == yahoo.CodeNotFound {
		status = http.StatusNotFound
	}
	answerError(w, status, code, message)
}

// succeed writes a write's or orderInfo's ResultSet.
func succeed(w http.ResponseWriter, info *yahoo.OrderInfo) {
	writeXML(w, http.StatusOK, yahoo.ResultSet{Available: 1, Returned: 1, First: 1, Result: yahoo.InfoResult{Status: "OK", OrderInfo: info}})
}

// decode reads a POSTed <Req>; a malformed one is refused.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := xml.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		refuse(w, yahoo.CodeBadRequest, fmt.Sprintf("Invalid Request : the body must be <Req> XML (%v)", err))
		return false
	}
	return true
}

// sellerMatches refuses a request naming another store than the application's: px-14304 (L).
func (s *Server) sellerMatches(w http.ResponseWriter, sellerID string) bool {
	switch strings.TrimSpace(sellerID) {
	case s.cfg.SellerID:
		return true
	case "":
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : SellerId is required.")
	default:
		answerError(w, http.StatusForbidden, yahoo.CodeSellerNotAllowed, "Seller not allowed : "+sellerID)
	}
	return false
}
