// Package rakutensim is a Rakuten RMS order API 2.0 simulator: an HTTP server that speaks the real
// wire format (/es/2.0/order/<op>/, ESA authorization, MessageModelList answers, the gateway's
// ES01-01 / 429 / 503 errors), keeps orders with their orderProgress, moves them the way RMS does
// (confirmation → 楽天処理中 → review → 発送待ち, 14-day auto-cancel of unconfirmed orders), and
// injects faults on request through the /_sim/ control API. `ichigen sim rakuten` runs it alone.
package rakutensim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// Config sets up the simulator.
type Config struct {
	ServiceSecret string
	LicenseKey    string
	ShopID        string // the shop's numeric id, the first part of every order number
	// QuotaPerSecond is requests per second per license key; RMS clients pace at about 1.
	QuotaPerSecond float64
	// ReviewDelay is how long an order stays 楽天処理中 after confirmation before its review
	// (審査) ends.
	ReviewDelay time.Duration
	// ReviewNGShare is the share (0–1) of generated common-settlement orders whose review fails.
	ReviewNGShare float64
	// PaymentWait, when set, is how long every prepaid order (bank transfer, convenience-store
	// prepayment) waits in 楽天処理中 for the buyer's payment, instead of its method's day or
	// more: the demo's buyers pay within minutes, so its orders do not sit in 審査中 for a day.
	// RMS sends the buyer the payment instructions once the shop has confirmed the order, and
	// cancels the order itself if the payment does not come by the deadline (Rakuten Ichiba FAQ
	// 000007041, ichiba.faq.rakuten.net/detail/000007041).
	PaymentWait time.Duration
	// KeyLifetime is how long a license key is valid after it is issued (90 days at RMS).
	KeyLifetime time.Duration
	// AsyncDelay is how long RMS takes to apply an updateOrderShippingAsync request: until then
	// getOrder does not show its parcels and getResultUpdateOrderShippingAsync answers "not yet".
	// Negative applies at once.
	AsyncDelay time.Duration
	Seed       uint64
}

// Defaults fills what cfg leaves empty.
func (cfg Config) withDefaults() Config {
	if cfg.ServiceSecret == "" {
		cfg.ServiceSecret = "SP338005_demoServiceSecret"
	}
	if cfg.LicenseKey == "" {
		cfg.LicenseKey = "SL338005_demoLicenseKey"
	}
	if cfg.ShopID == "" {
		cfg.ShopID = "338005"
	}
	if cfg.ReviewDelay == 0 {
		cfg.ReviewDelay = 2 * time.Minute
	}
	if cfg.AsyncDelay == 0 {
		cfg.AsyncDelay = 3 * time.Second
	}
	if cfg.KeyLifetime == 0 {
		cfg.KeyLifetime = 90 * 24 * time.Hour
	}
	return cfg
}

// Server is the simulator.
type Server struct {
	cfg Config
	Sim *simkit.Sim

	// key is the license key; the service secret never changes.
	key *simkit.Key

	mu          sync.Mutex
	orders      map[string]*simOrder
	sequence    int
	nextDetail  int64
	asyncResult map[string]rakuten.GetResultResponse
	asyncQueue  []asyncRequest // accepted, not applied yet, in order
	asyncSeq    int
}

// asyncRequest is an accepted updateOrderShippingAsync waiting to be applied.
type asyncRequest struct {
	id      string
	applyAt time.Time
	list    []rakuten.UpdateOrderShippingRequest
}

// New returns a simulator.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, Sim: simkit.New(simkit.Config{QuotaPerSecond: cfg.QuotaPerSecond, Seed: cfg.Seed}),
		orders: map[string]*simOrder{}, asyncResult: map[string]rakuten.GetResultResponse{}, nextDetail: 1}
	s.key = s.Sim.NewKey(cfg.LicenseKey, cfg.KeyLifetime)
	return s
}

// Credentials are the service secret and license key the simulator accepts.
func (s *Server) Credentials() (serviceSecret, licenseKey string) {
	return s.cfg.ServiceSecret, s.key.Value()
}

// Handler returns the HTTP handler: the RMS operations and the control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	ops := map[string]func(http.ResponseWriter, *http.Request){
		"searchOrder":                       s.searchOrder,
		"getOrder":                          s.getOrder,
		"confirmOrder":                      s.confirmOrder,
		"updateOrderShipping":               s.updateOrderShipping,
		"updateOrderShippingAsync":          s.updateOrderShippingAsync,
		"getResultUpdateOrderShippingAsync": s.getResultUpdateOrderShippingAsync,
		"cancelOrder":                       s.cancelOrder,
		"updateOrderSender":                 s.updateOrderSender,
	}
	for op, h := range ops {
		mux.HandleFunc("POST /es/2.0/order/"+op+"/", s.guarded(op, h))
	}
	// An operation RMS has and the simulator does not build (getPayment, updateOrderMemo, …)
	// still answers in RMS's JSON, never Go's plain-text 404, so a client reads its error.
	mux.HandleFunc("/es/2.0/order/", s.guarded("unbuilt", func(w http.ResponseWriter, r *http.Request) {
		op := strings.Trim(strings.TrimPrefix(r.URL.Path, "/es/2.0/order/"), "/")
		simkit.WriteJSON(w, http.StatusNotFound, rakuten.MessagesResponse{MessageModelList: []rakuten.Message{
			errorMessage(op, "ERROR_404", fmt.Sprintf("%s はこのシミュレーターにない操作です。", op)),
		}})
	}))
	mux.HandleFunc("GET /es/1.0/license-management/license-key/expiry-date", s.guarded("licenseExpiry", s.licenseExpiry))
	s.Sim.Mount(mux)
	s.mountControl(mux)
	return mux
}

// guarded checks the ESA authorization, then the shared faults and quota, before an operation.
func (s *Server) guarded(op string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, ok := s.authorize(r)
		if !ok {
			s.Sim.AuthFailed()
			gatewayError(w, http.StatusUnauthorized, "ES01-01", "Un-Authorised")
			return
		}
		w, pad := s.Sim.Padded(w, op)
		if s.Sim.Guard(w, r, key, op, refusals{}) {
			s.mu.Lock()
			s.applyAsync(s.Sim.Clock.Now())
			s.mu.Unlock()
			h(w, r)
		}
		pad()
	}
}

func (s *Server) authorize(r *http.Request) (licenseKey string, ok bool) {
	key := s.key.Value()
	if r.Header.Get("Authorization") != rakuten.Authorization(s.cfg.ServiceSecret, key) || !s.key.Valid(key) {
		return "", false
	}
	return key, true
}

type refusals struct{}

// Throttled answers as RMS does over its QPS limit. The ES code is not documented publicly; the
// message is the one shops see (GoQSystem's error table).
func (refusals) Throttled(w http.ResponseWriter) {
	gatewayError(w, http.StatusTooManyRequests, "ES04-02", "Forbidden-Exceeded QPS Limitation")
}

// Maintenance answers as RMS does during maintenance.
func (refusals) Maintenance(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	gatewayError(w, http.StatusServiceUnavailable, "ES03-01", "API In Maintenance")
}

// ErrorInOK answers HTTP 200 with an ERROR in MessageModelList and no order-level data, as RMS
// does for some validation errors (marketplace-apis.md §1: async validation errors come back in a
// 200).
func (refusals) ErrorInOK(w http.ResponseWriter, op string) {
	simkit.WriteJSON(w, http.StatusOK, rakuten.MessagesResponse{MessageModelList: []rakuten.Message{
		errorMessage(op, "ERROR_011", "リクエストの内容に誤りがあります。指定内容を確認してください。"),
	}})
}

func gatewayError(w http.ResponseWriter, status int, code, message string) {
	var body rakuten.GatewayError
	body.Results.ErrorCode, body.Results.Message = code, message
	simkit.WriteJSON(w, status, body)
}

// decode reads an operation's JSON body; a malformed one is answered 400 with an ERROR message,
// as RMS does for validation errors.
func decode(w http.ResponseWriter, r *http.Request, op string, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20)).Decode(v); err != nil {
		simkit.WriteJSON(w, http.StatusBadRequest, rakuten.MessagesResponse{MessageModelList: []rakuten.Message{
			errorMessage(op, "ERROR_001", fmt.Sprintf("リクエストの形式が正しくありません。(%v)", err)),
		}})
		return false
	}
	return true
}

// messageCode builds ORDER_EXT_API_<OP>_<suffix>, e.g. ORDER_EXT_API_CONFIRM_ORDER_ERROR_105.
func messageCode(op, suffix string) string {
	if name, ok := joinedCodeNames[op]; ok {
		return "ORDER_EXT_API_" + name + "_" + suffix
	}
	var b strings.Builder
	for i, r := range op {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return "ORDER_EXT_API_" + strings.ToUpper(b.String()) + "_" + suffix
}

// joinedCodeNames are the operations whose message codes write the object as one word:
// ORDER_EXT_API_UPDATE_ORDERSENDER_INFO_101 and ORDER_EXT_API_UPDATE_ORDERSHIPPING_ERROR_011 (RMS's
// documented examples as copied in public clients, search index file ids 69634449013,
// 69734658334), not UPDATE_ORDER_SENDER.
var joinedCodeNames = map[string]string{
	"updateOrderSender":   "UPDATE_ORDERSENDER",
	"updateOrderShipping": "UPDATE_ORDERSHIPPING",
}

func infoMessage(op, suffix, text string) rakuten.Message {
	return rakuten.Message{MessageType: "INFO", MessageCode: messageCode(op, suffix), Message: text}
}

func errorMessage(op, suffix, text string) rakuten.Message {
	return rakuten.Message{MessageType: "ERROR", MessageCode: messageCode(op, suffix), Message: text}
}
