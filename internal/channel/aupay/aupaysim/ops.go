package aupaysim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// defaultPageSize is the page when totalCount is left out; the API's own default is not public.
const defaultPageSize = 100

// searchTradeInfoList finds trades ordered in a date range (whole days, Japan time), oldest
// first, a page of totalCount from the 1-based startCount. resultCount is the number of trades
// the search matched, or with Config.ResultCountPerPage the number on this page: public clients
// read it both ways (search index file id 1880623770 pages while startCount <= resultCount, file
// id 63502570076 stops at a page whose resultCount is short), so ichigen's client pages on the
// orders it gets and never on resultCount.
func (s *Server) searchTradeInfoList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.shopMatches(w, q.Get("shopId")) {
		return
	}
	pageSize, startCount := defaultPageSize, 1
	if v := q.Get("totalCount"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > aupay.MaxPageSize {
			refuse(w, aupay.CodeBadRequest, "totalCountは1から1000の数値で指定してください。")
			return
		}
		pageSize = n
	}
	if v := q.Get("startCount"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			refuse(w, aupay.CodeBadRequest, "startCountは1以上の数値で指定してください。")
			return
		}
		startCount = n
	}
	if v := q.Get("dateType"); v != "" && v != strconv.Itoa(aupay.DateTypeOrdered) {
		refuse(w, aupay.CodeBadRequest, "dateTypeの値が不正です。0(受注日)を指定してください。")
		return
	}
	for _, k := range []string{"startDate", "endDate"} {
		if q.Get(k) == "" {
			refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage(k))
			return
		}
	}
	start, err1 := aupay.ParseDate(q.Get("startDate"))
	end, err2 := aupay.ParseDate(q.Get("endDate"))
	switch {
	case err1 != nil || err2 != nil:
		refuse(w, aupay.CodeBadRequest, "startDate / endDate の形式が不正です。yyyyMMdd形式で指定してください。")
		return
	case end.Before(start):
		refuse(w, aupay.CodeBadRequest, "endDateはstartDate以降の日付を指定してください。")
		return
	}
	statuses := map[string]bool{}
	for _, k := range []string{"orderStatus", "orderStatus2"} {
		if v := q.Get(k); v != "" {
			if !aupay.IsStatus(v) {
				refuse(w, aupay.CodeBadRequest, fmt.Sprintf("%sの値「%s」は受注ステータスではありません。", k, v))
				return
			}
			statuses[v] = true
		}
	}
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	ids := s.sortedIDs(func(t *simTrade) bool {
		if len(statuses) > 0 && !statuses[t.info.OrderStatus] {
			return false
		}
		day, _ := time.ParseInLocation(aupay.SearchDateLayout, t.orderedAt.In(order.JST).Format(aupay.SearchDateLayout), order.JST)
		return !day.Before(start) && !day.After(end)
	})
	total := len(ids)
	from, to := min(startCount-1, total), min(startCount-1+pageSize, total)
	count := total
	if s.cfg.ResultCountPerPage {
		count = to - from
	}
	resp := aupay.Response{ResultCount: &count, OrderInfo: make([]aupay.OrderInfo, 0, to-from)}
	for _, id := range ids[from:to] {
		t := s.trades[id]
		s.advance(t, now)
		resp.OrderInfo = append(resp.OrderInfo, t.info)
	}
	s.mu.Unlock()
	succeed(w, resp)
}

// searchTradeInfo answers one trade.
func (s *Server) searchTradeInfo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.shopMatches(w, q.Get("shopId")) {
		return
	}
	id := strings.TrimSpace(q.Get("orderId"))
	if id == "" {
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("orderId"))
		return
	}
	s.mu.Lock()
	t, ok := s.trades[id]
	var info aupay.OrderInfo
	if ok {
		s.advance(t, s.Sim.Clock.Now())
		info = t.info
	}
	s.mu.Unlock()
	if !ok {
		refuse(w, aupay.CodeNotFound, aupay.MsgTradeNotFound)
		return
	}
	succeed(w, aupay.Response{OrderInfo: []aupay.OrderInfo{info}})
}

// tradeInfoUpdate is updateTradeInfoProc's body as the simulator reads it: a field left out
// keeps its value, a field sent blank clears it.
type tradeInfoUpdate struct {
	XMLName         xml.Name `xml:"request"`
	ShopID          string   `xml:"shopId"`
	OrderID         string   `xml:"orderId"`
	ShippingDate    *string  `xml:"shippingDate"`
	ShippingCarrier *string  `xml:"shippingCarrier"`
	ShippingNumber  *string  `xml:"shippingNumber"`
}

// maxShippingNumber bounds a tracking number; au's own limit is not public.
const maxShippingNumber = 40

// updateTradeInfo sets a trade's shipping data: ship date, carrier and tracking number. The
// order status does not change; the shop moves it with updateTradeStsProc. Writing what the
// trade already holds is counted as a duplicate write.
func (s *Server) updateTradeInfo(w http.ResponseWriter, r *http.Request) {
	var req tradeInfoUpdate
	if !decode(w, r, &req) || !s.shopMatches(w, req.ShopID) {
		return
	}
	id := strings.TrimSpace(req.OrderID)
	if id == "" {
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("orderId"))
		return
	}
	s.Sim.Counters.WriteRequest(id)
	if req.ShippingDate == nil && req.ShippingCarrier == nil && req.ShippingNumber == nil {
		refuse(w, aupay.CodeBadRequest, "更新する項目(shippingDate, shippingCarrier, shippingNumber)が指定されていません。")
		return
	}
	var date, carrier, number string
	if req.ShippingDate != nil && strings.TrimSpace(*req.ShippingDate) != "" {
		d, err := aupay.ParseDate(*req.ShippingDate)
		if err != nil {
			refuse(w, aupay.CodeBadRequest, "shippingDateの形式が不正です。yyyyMMdd形式で指定してください。")
			return
		}
		date = d.Format(aupay.DateLayout)
	}
	if req.ShippingCarrier != nil {
		carrier = strings.TrimSpace(*req.ShippingCarrier)
		if carrier != "" && !aupay.IsShippingCarrier(carrier) {
			refuse(w, aupay.CodeBadRequest, fmt.Sprintf("shippingCarrierの値「%s」は配送会社コードではありません。", carrier))
			return
		}
	}
	if req.ShippingNumber != nil {
		number = strings.TrimSpace(*req.ShippingNumber)
		if len(number) > maxShippingNumber || strings.Trim(number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") != "" {
			refuse(w, aupay.CodeBadRequest, "shippingNumberは40文字以内の半角英数字とハイフンで指定してください。")
			return
		}
	}
	s.mu.Lock()
	t, ok := s.trades[id]
	if !ok {
		s.mu.Unlock()
		refuse(w, aupay.CodeNotFound, aupay.MsgTradeNotFound)
		return
	}
	s.advance(t, s.Sim.Clock.Now())
	if t.info.OrderStatus == aupay.StatusCancelled {
		s.mu.Unlock()
		refuse(w, aupay.CodeCancelled, aupay.MsgTradeCancelled)
		return
	}
	before := [3]string{t.info.ShipDate, t.info.ShippingCarrier, t.info.ShippingNumber}
	if req.ShippingDate != nil {
		t.info.ShipDate = date
	}
	if req.ShippingCarrier != nil {
		t.info.ShippingCarrier = carrier
	}
	if req.ShippingNumber != nil {
		t.info.ShippingNumber = number
	}
	s.Sim.Counters.Write(id, before == [3]string{t.info.ShipDate, t.info.ShippingCarrier, t.info.ShippingNumber})
	s.mu.Unlock()
	s.Sim.HangAfterWrite(w, r)
	succeed(w, aupay.Response{})
}

// updateTradeSts sets a trade's order status. Setting the status the trade already has is
// counted as a duplicate write.
func (s *Server) updateTradeSts(w http.ResponseWriter, r *http.Request) {
	var req aupay.UpdateTradeStsRequest
	if !decode(w, r, &req) || !s.shopMatches(w, req.ShopID) {
		return
	}
	id, label := strings.TrimSpace(req.OrderID), strings.TrimSpace(req.OrderStatus)
	if id == "" {
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("orderId"))
		return
	}
	s.Sim.Counters.WriteRequest(id)
	switch {
	case label == "":
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("orderStatus"))
		return
	case label == aupay.StatusCancelled:
		refuse(w, aupay.CodeBadRequest, "キャンセルはcancelTradeProcで行ってください。")
		return
	case !aupay.IsSettableStatus(label):
		refuse(w, aupay.CodeBadRequest, fmt.Sprintf("orderStatusの値「%s」は不正です。%sのいずれかを指定してください。", label, strings.Join(aupay.SettableStatuses, "・")))
		return
	}
	s.mu.Lock()
	t, ok := s.trades[id]
	if !ok {
		s.mu.Unlock()
		refuse(w, aupay.CodeNotFound, aupay.MsgTradeNotFound)
		return
	}
	s.advance(t, s.Sim.Clock.Now())
	if t.info.OrderStatus == aupay.StatusCancelled {
		s.mu.Unlock()
		refuse(w, aupay.CodeCancelled, aupay.MsgTradeCancelled)
		return
	}
	duplicate := t.info.OrderStatus == label
	t.info.OrderStatus = label
	s.Sim.Counters.Write(id, duplicate)
	s.mu.Unlock()
	s.Sim.HangAfterWrite(w, r)
	succeed(w, aupay.Response{})
}

// cancelTrade cancels a trade not yet completed.
func (s *Server) cancelTrade(w http.ResponseWriter, r *http.Request) {
	var req aupay.CancelTradeRequest
	if !decode(w, r, &req) || !s.shopMatches(w, req.ShopID) {
		return
	}
	id := strings.TrimSpace(req.OrderID)
	if id == "" {
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("orderId"))
		return
	}
	s.Sim.Counters.WriteRequest(id)
	if strings.TrimSpace(req.CancelReason) == "" {
		refuse(w, aupay.CodeBadRequest, aupay.RequiredMessage("cancelReason"))
		return
	}
	s.mu.Lock()
	t, ok := s.trades[id]
	var code, msg string
	switch {
	case !ok:
		code, msg = aupay.CodeNotFound, aupay.MsgTradeNotFound
	case t.info.OrderStatus == aupay.StatusCancelled:
		code, msg = aupay.CodeCancelled, aupay.MsgTradeCancelled
	case t.info.OrderStatus == aupay.StatusCompleted:
		code, msg = aupay.CodeNotCancellable, "完了した取引はキャンセルできません。"
	default:
		t.info.OrderStatus = aupay.StatusCancelled
		s.Sim.Counters.Write(id, false)
	}
	s.mu.Unlock()
	if code != "" {
		refuse(w, code, msg)
		return
	}
	s.Sim.HangAfterWrite(w, r)
	succeed(w, aupay.Response{})
}
