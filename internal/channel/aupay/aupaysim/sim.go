// Package aupaysim is an au PAY Market (Wowma) shop API simulator: an HTTP server that speaks the
// wire format of /wmshopapi/<proc> (Bearer API key, GET searches with query parameters, POSTed
// XML writes, <response><result><status>0|1</status>…</result>…</response> answers), keeps trades
// with their Japanese order status and shipping data, marks prepaid trades paid when the buyer's
// payment arrives, refuses changes to a cancelled trade with 「指定の取引はキャンセル済みです。」,
// lets the API key lapse after 90 days, and injects faults on request through the /_sim/ control
// API it shares with the other simulators (simkit). `ichigen sim aupay` runs it alone.
//
// What the public record does not say (marketplace-apis.md §2, Gaps) is the simulator's own
// choice and marked so: the error codes, the HTTP statuses of the gateway errors, the quota.
package aupaysim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// Config sets up the simulator.
type Config struct {
	// APIKey is the key the simulator accepts (Authorization: Bearer <APIKey>).
	APIKey string
	// ShopID is the au shop id (店舗ID) every request names as shopId.
	ShopID string
	// QuotaPerSecond is requests per second per API key; 0 is unlimited. au publishes no limit;
	// `ichigen sim aupay` defaults to 1, the pace RMS clients keep.
	QuotaPerSecond float64
	// KeyLifetime is how long an API key is valid after it is issued (90 days in Wow! manager).
	KeyLifetime time.Duration
	// PaymentDelay is how long a prepaid trade (コンビニ, Pay-easy, 銀行振込) waits for the
	// buyer's payment.
	PaymentDelay time.Duration
	// ResultCountPerPage answers resultCount as the number of trades on the page rather than
	// the number the search matched (see searchTradeInfoList).
	ResultCountPerPage bool
	Seed               uint64
}

// The credentials a simulator accepts when Config leaves them empty. A real API key is 64 hex
// digits; the shop id is numeric.
const (
	DefaultAPIKey = "5f0c2a9e1b7d4c83a6e2f19d0b4c7a58e3d1f6b29c0a4e7d8b5f1c3a2e9d6b04"
	DefaultShopID = "64000123"
)

func (cfg Config) withDefaults() Config {
	if cfg.APIKey == "" {
		cfg.APIKey = DefaultAPIKey
	}
	if cfg.ShopID == "" {
		cfg.ShopID = DefaultShopID
	}
	if cfg.KeyLifetime == 0 {
		cfg.KeyLifetime = aupay.KeyLifetime
	}
	if cfg.PaymentDelay == 0 {
		cfg.PaymentDelay = 24 * time.Hour
	}
	return cfg
}

// Server is the simulator.
type Server struct {
	cfg Config
	Sim *simkit.Sim
	key *simkit.Key

	mu         sync.Mutex
	trades     map[string]*simTrade
	sequence   int
	nextDetail int
}

// New returns a simulator.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, Sim: simkit.New(simkit.Config{QuotaPerSecond: cfg.QuotaPerSecond, Seed: cfg.Seed}), trades: map[string]*simTrade{}}
	s.key = s.Sim.NewKey(cfg.APIKey, cfg.KeyLifetime)
	return s
}

// Credentials are the API key and the shop id the simulator accepts.
func (s *Server) Credentials() (apiKey, shopID string) { return s.key.Value(), s.cfg.ShopID }

// KeyExpiresAt is when the current API key lapses by itself.
func (s *Server) KeyExpiresAt() time.Time { return s.key.ExpiresAt() }

// Handler returns the HTTP handler: the shop API's trade operations and the control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for op, h := range map[string]http.HandlerFunc{
		aupay.OpSearchTradeInfoList: s.searchTradeInfoList,
		aupay.OpSearchTradeInfo:     s.searchTradeInfo,
	} {
		mux.HandleFunc("GET "+aupay.PathPrefix+op, s.guarded(op, h))
	}
	for op, h := range map[string]http.HandlerFunc{
		aupay.OpUpdateTradeInfo: s.updateTradeInfo,
		aupay.OpUpdateTradeSts:  s.updateTradeSts,
		aupay.OpCancelTrade:     s.cancelTrade,
	} {
		mux.HandleFunc("POST "+aupay.PathPrefix+op, s.guarded(op, h))
	}
	s.Sim.Mount(mux)
	s.mountControl(mux)
	return mux
}

// guarded checks the Bearer API key, then the shared faults and quota, before an operation.
func (s *Server) guarded(op string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		key = strings.TrimSpace(key)
		if !ok || !s.key.Valid(key) {
			s.Sim.AuthFailed()
			answer(w, http.StatusUnauthorized, aupay.CodeUnauthorized, aupay.MsgAuthFailed)
			return
		}
		w, pad := s.Sim.Padded(w, op)
		if s.Sim.Guard(w, r, key, op, refusals{}) {
			h(w, r)
		}
		pad()
	}
}

type refusals struct{}

// Throttled answers over the quota. au documents no limit and no answer for it: HTTP 429 with
// Retry-After, in the API's envelope, is the simulator's choice.
func (refusals) Throttled(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	answer(w, http.StatusTooManyRequests, aupay.CodeThrottled, "リクエスト数が上限を超えました。しばらく時間をおいてから再度実行してください。")
}

// Maintenance answers during a maintenance window (HTTP 503, the simulator's choice).
func (refusals) Maintenance(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	answer(w, http.StatusServiceUnavailable, aupay.CodeMaintenance, "ただいまメンテナンス中です。メンテナンス終了後に再度実行してください。")
}

// ErrorInOK answers HTTP 200 with status 1 and an error, the way the API refuses a request.
func (refusals) ErrorInOK(w http.ResponseWriter, op string) {
	refuse(w, aupay.CodeBadRequest, "リクエストの内容に誤りがあります。パラメータを確認してください。")
}

// writeXML writes an answer.
func writeXML(w http.ResponseWriter, status int, resp aupay.Response) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(resp)
}

// answer writes a refusal with the HTTP status given.
func answer(w http.ResponseWriter, status int, code, message string) {
	writeXML(w, status, aupay.Response{Result: aupay.Result{Status: aupay.ResultStatusError, Error: &aupay.ResultError{Code: code, Message: message}}})
}

// refuse writes an operation's refusal: HTTP 200 with status 1, as clients of the API read it.
func refuse(w http.ResponseWriter, code, message string) { answer(w, http.StatusOK, code, message) }

// succeed writes status 0 with what resp carries.
func succeed(w http.ResponseWriter, resp aupay.Response) {
	resp.Result = aupay.Result{Status: aupay.ResultStatusOK}
	writeXML(w, http.StatusOK, resp)
}

// decode reads a write's XML body; a malformed one is refused.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := xml.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		refuse(w, aupay.CodeBadRequest, fmt.Sprintf("リクエストの形式が正しくありません。<request>要素のXMLで送信してください。(%v)", err))
		return false
	}
	return true
}

// shopMatches refuses a request naming another shop than the key's.
func (s *Server) shopMatches(w http.ResponseWriter, shopID string) bool {
	switch strings.TrimSpace(shopID) {
	case s.cfg.ShopID:
		return true
	case "":
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("shopId"))
	default:
		refuse(w, aupay.CodeShopMismatch, fmt.Sprintf("shopId「%s」はこのAPIキーの店舗ではありません。", shopID))
	}
	return false
}
