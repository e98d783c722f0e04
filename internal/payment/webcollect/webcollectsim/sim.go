// Package webcollectsim is a クロネコwebコレクト card gateway simulator on simkit: form POSTs to
// /api/<function name> (application/x-www-form-urlencoded, function_div and trader_code in every
// request), flat XML answers <return><returnCode>0|1</returnCode><errorCode>…</errorCode>
// <returnDate>YYYYMMDDHHMMSS</returnDate>…</return>, and the card trade's life: A08 token
// authorisation ⇒ 与信完了 (4); E01 shipment entry ⇒ 精算確定待ち (30), and 精算確定 (31) a day
// later on the simulated clock, when Yamato would have seen the parcel; E02 takes 30 back to 4;
// A06 cancel ⇒ 取消 (40) and A07 amount change, both refused once the shipment is entered;
// A11 re-authorisation from 4 or 40, which restarts the 58 days; E04 trade information. An
// authorisation left 58 days lapses: E01 and A07 then refuse it. Stored cards (お預かりカード):
// A03 lists a member's cards masked and A05 deletes one, each checking check_sum (SHA-256 of
// member_id + authentication_key + access key; A031010571 when wrong); StoreCard keeps a card as
// A08 with a member id would, at most three per member.
//
// E01 checks the slip number as webコレクト does for ヤマト配送 (delivery_service_code 00): 12
// half-width digits, else E011010401/402/404; for 他社配送 (99) any 1–23 characters, and only
// for a merchant with the 運送オプション (else E011010251). A second E01 of a trade already
// entered is refused with E012000001 伝票登録済み and counted as a duplicate write.
//
// Sources (marketplace-apis.md §5a): paths, fields and statuses from tarosky/kuroneko-pay
// (WooCommerce: Master/Endpoint.php, API/CreditCard.php), the CS-Cart addon kuroneko_webcollect
// (zeds/ec-glocal.biz: func.php and its ja .po of error texts), w2Commerce's YamatoKwc client
// (TradeInfoResponseData.cs, YamatoKwcErrorMessage.xml) and the EC-CUBE YamatoPayment plugins
// (A11 reAuth, action_status after E01). The simulator's own choices, where no source says, are:
// the HTTP status of quota (429, with Z012000006) and maintenance (503, with Z010000000)
// answers, Z012000008 for an unknown trader code, the A11 error codes, the day until 精算確定,
// and which codes a lapsed authorisation gets.
package webcollectsim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

// DefaultTraderCode is the 加盟店コード the simulator accepts when none is configured (the format
// of webコレクト's test codes: nine digits).
const DefaultTraderCode = "888888709"

// SettleAfter is how long after the shipment entry the simulated Yamato sees the parcel and the
// trade becomes 精算確定.
const SettleAfter = 24 * time.Hour

// Config sets up the simulator.
type Config struct {
	TraderCode string
	// AccessKey is the merchant's access key the stored-card functions' check_sum is made with
	// (DefaultAccessKey when empty).
	AccessKey string
	// NoTransportOption: the merchant has no 運送オプション, so E01 takes only ヤマト配送 (00).
	NoTransportOption bool
	QuotaPerSecond    float64
	Seed              uint64
}

// Server is the simulator.
type Server struct {
	Sim *simkit.Sim
	cfg Config

	mu       sync.Mutex
	trades   map[string]*trade
	members  map[string]*member
	nextCard int
}

type trade struct {
	orderNo     string
	price       int64
	status      webcollect.TradeStatus
	authAt      time.Time
	approval    string
	slipNo      string
	serviceCode string
	slipAt      time.Time
	cancelAt    time.Time
}

// New returns a simulator with its own simkit.
func New(cfg Config) *Server {
	return NewOn(simkit.New(simkit.Config{QuotaPerSecond: cfg.QuotaPerSecond, Seed: cfg.Seed}), cfg)
}

// NewOn returns a simulator on a simkit it shares with another (the own cart's), so that one clock,
// one set of faults and one set of counters govern both.
func NewOn(sim *simkit.Sim, cfg Config) *Server {
	if cfg.TraderCode == "" {
		cfg.TraderCode = DefaultTraderCode
	}
	if cfg.AccessKey == "" {
		cfg.AccessKey = DefaultAccessKey
	}
	return &Server{Sim: sim, cfg: cfg, trades: map[string]*trade{}, members: map[string]*member{}}
}

// TraderCode is the 加盟店コード the simulator accepts.
func (s *Server) TraderCode() string { return s.cfg.TraderCode }

// AccessKey is the access key the simulator checks check_sum with.
func (s *Server) AccessKey() string { return s.cfg.AccessKey }

// Handler returns the gateway and simkit's control API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	s.Sim.Mount(mux)
	return mux
}

// Mount adds the gateway's functions under /api/ and GET /_sim/trades/{orderNo}.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc("/api/{name}", s.handle)
	mux.HandleFunc("GET /_sim/trades/{orderNo}", func(w http.ResponseWriter, r *http.Request) {
		t, ok := s.Trade(r.PathValue("orderNo"))
		if !ok {
			simkit.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "no such trade"})
			return
		}
		simkit.WriteJSON(w, http.StatusOK, t)
	})
}

var byName = func() map[string]webcollect.Function {
	m := map[string]webcollect.Function{}
	for _, f := range webcollect.Functions {
		m[f.Name] = f
	}
	return m
}()

// maxForm bounds a request body: a function's fields are a few hundred bytes.
const maxForm = 16 << 10

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.reply(w, http.StatusOK, webcollect.Reply{ErrorCode: webcollect.CodeNotPost})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		s.reply(w, http.StatusOK, webcollect.Reply{ErrorCode: webcollect.CodeNoFunction})
		return
	}
	fn, ok := byName[r.PathValue("name")]
	switch div := r.PostForm.Get("function_div"); {
	case !ok || div == "":
		s.reply(w, http.StatusOK, webcollect.Reply{ErrorCode: webcollect.CodeNoFunction})
		return
	case div != fn.Code:
		s.reply(w, http.StatusOK, webcollect.Reply{ErrorCode: webcollect.CodeBadFunction})
		return
	}
	trader := r.PostForm.Get("trader_code")
	if trader != s.cfg.TraderCode {
		s.Sim.AuthFailed()
		s.reply(w, http.StatusOK, webcollect.Reply{ErrorCode: webcollect.CodeAPIUnavailable})
		return
	}
	w, pad := s.Sim.Padded(w, fn.Name)
	defer pad()
	if !s.Sim.Guard(w, r, trader, fn.Name, refusals{s}) {
		return
	}
	orderNo := r.PostForm.Get("order_no")
	if webcollect.IsWrite(fn.Name) && orderNo != "" {
		s.Sim.Counters.WriteRequest(orderNo)
	}
	var rep webcollect.Reply
	switch fn {
	case webcollect.FuncCreditToken:
		rep = s.creditToken(r)
	case webcollect.FuncShipmentEntry:
		rep = s.shipmentEntry(orderNo, r.PostForm.Get("slip_no"), r.PostForm.Get("delivery_service_code"))
	case webcollect.FuncShipmentCancel:
		rep = s.shipmentCancel(orderNo, r.PostForm.Get("slip_no"))
	case webcollect.FuncCreditCancel:
		rep = s.cancel(orderNo)
	case webcollect.FuncCreditChangePrice:
		rep = s.changePrice(orderNo, r.PostForm.Get("new_price"))
	case webcollect.FuncReAuth:
		rep = s.reAuth(orderNo)
	case webcollect.FuncTradeInfo:
		rep = s.tradeInfo(orderNo)
	case webcollect.FuncCreditInfoGet:
		rep = s.creditInfoGet(r)
	case webcollect.FuncCreditInfoDelete:
		rep = s.creditInfoDelete(r)
	}
	if webcollect.IsWrite(fn.Name) && rep.ErrorCode == "" {
		s.Sim.HangAfterWrite(w, r)
	}
	s.reply(w, http.StatusOK, rep)
}

// reply writes an answer: returnCode 1 when it carries an error code, and the returnDate.
func (s *Server) reply(w http.ResponseWriter, status int, rep webcollect.Reply) {
	rep.ReturnCode = "0"
	if rep.ErrorCode != "" {
		rep.ReturnCode = "1"
	}
	rep.ReturnDate = webcollect.FormatDateTime(s.Sim.Clock.Now())
	body, _ := xml.Marshal(rep)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

type refusals struct{ s *Server }

func (f refusals) Throttled(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	f.s.reply(w, http.StatusTooManyRequests, webcollect.Reply{ErrorCode: webcollect.CodePoolOver})
}

func (f refusals) Maintenance(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	f.s.reply(w, http.StatusServiceUnavailable, webcollect.Reply{ErrorCode: webcollect.CodeMaintenance})
}

func (f refusals) ErrorInOK(w http.ResponseWriter, _ string) {
	f.s.reply(w, http.StatusOK, webcollect.Reply{ErrorCode: webcollect.CodeSystemError})
}

// lapsed reports whether an authorisation has outlived its 58 days.
func (s *Server) lapsed(t *trade) bool {
	return t.status == webcollect.StatusAuthorized && !s.Sim.Clock.Now().Before(t.authAt.Add(webcollect.AuthorizationLife))
}

// advance moves a trade on as time passes: an entered shipment becomes 精算確定 after SettleAfter.
func (s *Server) advance(t *trade) {
	if t.status == webcollect.StatusAwaitingSettle && !s.Sim.Clock.Now().Before(t.slipAt.Add(SettleAfter)) {
		t.status = webcollect.StatusSettled
	}
}

// Authorize records an authorised card trade, as A08 does, for the carts of the same process
// (the demo's and the tests'); it reports false when the number is taken.
func (s *Server) Authorize(orderNo string, price int64, at time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.trades[orderNo]; taken {
		return false
	}
	s.trades[orderNo] = &trade{orderNo: orderNo, price: price, status: webcollect.StatusAuthorized, authAt: at,
		approval: fmt.Sprintf("%07d", s.Sim.Gen.IntN(10_000_000))}
	return true
}

// DeclinedToken is a token the simulator declines (A082000010 with card code G12), as a card
// the issuer refuses.
const DeclinedToken = "declined"

func (s *Server) creditToken(r *http.Request) webcollect.Reply {
	f := r.PostForm
	orderNo, token := f.Get("order_no"), f.Get("token")
	price, err := strconv.ParseInt(f.Get("settle_price"), 10, 64)
	switch {
	case orderNo == "":
		return webcollect.Reply{ErrorCode: "A081010401"}
	case utf8.RuneCountInString(orderNo) > 23:
		return webcollect.Reply{ErrorCode: "A081010402"}
	case !orderNoPattern.MatchString(orderNo):
		return webcollect.Reply{ErrorCode: "A081010404"}
	case err != nil || price < 1 || price > 9_999_999:
		return webcollect.Reply{ErrorCode: "A081010571"}
	case token == "":
		return webcollect.Reply{ErrorCode: "A081011201"}
	case token == DeclinedToken:
		return webcollect.Reply{ErrorCode: webcollect.CodeTokenDeclined, CreditErrorCode: "G12"}
	}
	if !s.Authorize(orderNo, price, s.Sim.Clock.Now()) {
		return webcollect.Reply{ErrorCode: webcollect.CodeTokenOrderNoTaken}
	}
	s.Sim.Counters.Write(orderNo, false)
	s.mu.Lock()
	defer s.mu.Unlock()
	return webcollect.Reply{CrdCResCd: s.trades[orderNo].approval}
}

var (
	orderNoPattern = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	yamatoSlip     = regexp.MustCompile(`^[0-9]+$`)
)

func (s *Server) shipmentEntry(orderNo, slipNo, code string) webcollect.Reply {
	switch {
	case slipNo == "":
		return webcollect.Reply{ErrorCode: webcollect.CodeShipSlipMissing}
	case code == webcollect.DeliveryOther && s.cfg.NoTransportOption:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipNoOption}
	case code == webcollect.DeliveryOther && utf8.RuneCountInString(slipNo) > 23:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipSlipLength}
	case code == webcollect.DeliveryOther:
	case !yamatoSlip.MatchString(slipNo):
		return webcollect.Reply{ErrorCode: webcollect.CodeShipSlipChars}
	case len(slipNo) != 12:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipSlipLength}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderNo]
	switch {
	case !ok || t.status == webcollect.StatusCancelled || s.lapsed(t):
		return webcollect.Reply{ErrorCode: webcollect.CodeShipBadTrade}
	case t.status.Captured():
		s.Sim.Counters.Write(orderNo, true)
		return webcollect.Reply{ErrorCode: webcollect.CodeShipRegistered}
	case t.status != webcollect.StatusAuthorized:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipBadTrade}
	}
	t.status, t.slipNo, t.serviceCode, t.slipAt = webcollect.StatusAwaitingSettle, slipNo, code, s.Sim.Clock.Now()
	s.Sim.Counters.Write(orderNo, false)
	return webcollect.Reply{SlipURLPC: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number=" + slipNo}
}

func (s *Server) shipmentCancel(orderNo, slipNo string) webcollect.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderNo]
	if ok {
		s.advance(t)
	}
	switch {
	case !ok || t.status == webcollect.StatusCancelled:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipCancelBadTrade}
	case t.status == webcollect.StatusSettled:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipCancelNotAllowed}
	case t.status != webcollect.StatusAwaitingSettle || t.slipNo != slipNo:
		return webcollect.Reply{ErrorCode: webcollect.CodeShipCancelSlip}
	}
	t.status, t.slipNo, t.serviceCode, t.slipAt = webcollect.StatusAuthorized, "", "", time.Time{}
	s.Sim.Counters.Write(orderNo, false)
	return webcollect.Reply{}
}

func (s *Server) cancel(orderNo string) webcollect.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderNo]
	if ok {
		s.advance(t)
	}
	switch {
	case !ok:
		return webcollect.Reply{ErrorCode: webcollect.CodeCancelNoTrade}
	case t.status == webcollect.StatusSettled:
		return webcollect.Reply{ErrorCode: webcollect.CodeCancelAfterBilled}
	case t.status == webcollect.StatusCancelled:
		s.Sim.Counters.Write(orderNo, true)
		return webcollect.Reply{ErrorCode: webcollect.CodeCancelBadStatus}
	case t.status != webcollect.StatusAuthorized && t.status != webcollect.StatusChangeFailed:
		return webcollect.Reply{ErrorCode: webcollect.CodeCancelBadStatus}
	}
	t.status, t.cancelAt = webcollect.StatusCancelled, s.Sim.Clock.Now()
	s.Sim.Counters.Write(orderNo, false)
	return webcollect.Reply{}
}

func (s *Server) changePrice(orderNo, newPrice string) webcollect.Reply {
	price, err := strconv.ParseInt(newPrice, 10, 64)
	if err != nil || price < 1 || price > 9_999_999 {
		return webcollect.Reply{ErrorCode: "A071010571"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderNo]
	switch {
	case !ok || t.status != webcollect.StatusAuthorized || s.lapsed(t):
		return webcollect.Reply{ErrorCode: webcollect.CodeChangeBadTrade}
	case t.price == price:
		s.Sim.Counters.Write(orderNo, true)
		return webcollect.Reply{ErrorCode: webcollect.CodeChangeSame}
	}
	t.price = price
	s.Sim.Counters.Write(orderNo, false)
	return webcollect.Reply{}
}

func (s *Server) reAuth(orderNo string) webcollect.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderNo]
	switch {
	case !ok:
		return webcollect.Reply{ErrorCode: webcollect.CodeReAuthNoTrade}
	case t.status != webcollect.StatusAuthorized && t.status != webcollect.StatusCancelled:
		return webcollect.Reply{ErrorCode: webcollect.CodeReAuthBadStatus}
	}
	t.status, t.authAt, t.cancelAt = webcollect.StatusAuthorized, s.Sim.Clock.Now(), time.Time{}
	s.Sim.Counters.Write(orderNo, false)
	return webcollect.Reply{}
}

func (s *Server) tradeInfo(orderNo string) webcollect.Reply {
	if orderNo == "" {
		return webcollect.Reply{ErrorCode: "E041010201"}
	}
	info, ok := s.Trade(orderNo)
	if !ok {
		return webcollect.Reply{ResultCount: "0"}
	}
	return webcollect.Reply{ResultCount: "1", ResultData: []webcollect.TradeInfo{info}}
}

// Trade returns a trade as E04 shows it.
func (s *Server) Trade(orderNo string) (webcollect.TradeInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderNo]
	if !ok {
		return webcollect.TradeInfo{}, false
	}
	s.advance(t)
	info := webcollect.TradeInfo{OrderNo: t.orderNo, SettleDate: webcollect.FormatDateTime(t.authAt), SettlePrice: t.price, SettleMethodDiv: "0",
		StatusInfo: t.status, CrdCResCd: t.approval, CrdCResDate: webcollect.FormatDateTime(t.authAt), SlipNo: t.slipNo, DeliveryServiceCode: t.serviceCode}
	if !t.slipAt.IsZero() {
		info.SlipDate = webcollect.FormatDateTime(t.slipAt)
	}
	if t.status == webcollect.StatusSettled {
		info.FinishDate = t.slipAt.Add(SettleAfter).In(time.FixedZone("JST", 9*3600)).Format("20060102")
	}
	if !t.cancelAt.IsZero() {
		info.CancelDate = webcollect.FormatDateTime(t.cancelAt)
	}
	return info, true
}
