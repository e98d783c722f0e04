package yahoosim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/order"
)

var jst = order.JST

// defaultResult is orderList's page size when Result is left out.
const defaultResult = 10

// maxResult bounds a page: Yahoo sets no limit, clients use up to 2000; the simulator refuses
// more so that no request makes it hold an unbounded answer.
const maxResult = 2000

// orderList searches orders: by OrderId, by an OrderTimeFrom/To range or a
// LastUpdateTimeFrom/To range (yyyyMMddHHmmss, both included; the latter's spelling is the
// simulator's own), with OrderStatus (a comma list) and IsSeen; sorted by order time, paged by Result
// and the 1-based Start; the Field list says which fields each OrderInfo carries.
func (s *Server) orderList(w http.ResponseWriter, r *http.Request) {
	var req yahoo.OrderListRequest
	if !decode(w, r, &req) || !s.sellerMatches(w, req.SellerID) {
		return
	}
	q, c := req.Search, req.Search.Condition
	if strings.TrimSpace(q.Field) == "" {
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : Field is required.")
		return
	}
	byUpdate := c.LastUpdateTimeFrom != "" || c.LastUpdateTimeTo != ""
	if c.OrderID == "" && (c.OrderTimeFrom == "" || c.OrderTimeTo == "") && (c.LastUpdateTimeFrom == "" || c.LastUpdateTimeTo == "") {
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderId, OrderTimeFrom and OrderTimeTo, or LastUpdateTimeFrom and LastUpdateTimeTo are required.")
		return
	}
	result, start := cmpOr(q.Result, defaultResult), cmpOr(q.Start, 1)
	if result < 1 || result > maxResult || start < 1 {
		refuse(w, yahoo.CodeBadRequest, fmt.Sprintf("Invalid Request : Result must be 1 to %d and Start 1 or more.", maxResult))
		return
	}
	if q.Sort != "" && q.Sort != "+order_time" && q.Sort != "-order_time" {
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : Sort must be +order_time or -order_time.")
		return
	}
	var from, to time.Time
	if c.OrderTimeFrom != "" {
		var err1, err2 error
		from, err1 = yahoo.ParseTime(c.OrderTimeFrom)
		to, err2 = yahoo.ParseTime(c.OrderTimeTo)
		if err1 != nil || err2 != nil {
			refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderTimeFrom and OrderTimeTo must be yyyyMMddHHmmss.")
			return
		}
	}
	var changedFrom, changedTo string
	if byUpdate {
		f, err1 := yahoo.ParseTime(c.LastUpdateTimeFrom)
		t, err2 := yahoo.ParseTime(c.LastUpdateTimeTo)
		if err1 != nil || err2 != nil {
			refuse(w, yahoo.CodeBadRequest, "Invalid Request : LastUpdateTimeFrom and LastUpdateTimeTo must be yyyyMMddHHmmss.")
			return
		}
		// yyyyMMddHHmmss in one zone compares as text.
		changedFrom, changedTo = yahoo.FormatTime(f), yahoo.FormatTime(t)
	}
	var statuses []int
	for _, v := range strings.Split(c.OrderStatus, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5 {
			refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderStatus must be 1 to 5.")
			return
		}
		statuses = append(statuses, n)
	}
	fields := map[string]bool{}
	for _, f := range strings.Split(q.Field, ",") {
		fields[strings.TrimSpace(f)] = true
	}
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	ids := s.sortedIDs(func(o *simOrder) bool {
		s.advance(o, now)
		switch {
		case c.OrderID != "" && o.info.OrderID != c.OrderID:
			return false
		case !from.IsZero() && (o.orderedAt.Before(from) || o.orderedAt.After(to)):
			return false
		case byUpdate && (o.info.LastUpdateTime < changedFrom || o.info.LastUpdateTime > changedTo):
			return false
		case len(statuses) > 0 && !slices.Contains(statuses, o.info.OrderStatus):
			return false
		case c.IsSeen != "" && strconv.FormatBool(o.info.IsSeen) != c.IsSeen:
			return false
		}
		return true
	}, q.Sort == "-order_time")
	res := yahoo.ListResult{Status: "OK", Search: yahoo.ListSearch{TotalCount: len(ids)}}
	lo, hi := min(start-1, len(ids)), min(start-1+result, len(ids))
	for i, id := range ids[lo:hi] {
		o := s.orders[id]
		res.Search.OrderInfo = append(res.Search.OrderInfo, listOrder(o.info, lo+i+1, fields))
	}
	s.mu.Unlock()
	writeXML(w, http.StatusOK, res)
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// listOrder is an order as one OrderInfo of orderList: the fields asked for.
func listOrder(info yahoo.OrderInfo, index int, fields map[string]bool) yahoo.ListOrder {
	pick := func(name, v string) string {
		if fields[name] {
			return v
		}
		return ""
	}
	return yahoo.ListOrder{Index: index, OrderID: pick("OrderId", info.OrderID), Version: pick("Version", strconv.Itoa(info.Version)),
		OrderTime: pick("OrderTime", info.OrderTime), LastUpdateTime: pick("LastUpdateTime", info.LastUpdateTime),
		OrderStatus: pick("OrderStatus", strconv.Itoa(info.OrderStatus)), IsSeen: pick("IsSeen", strconv.FormatBool(info.IsSeen)),
		PayStatus: pick("PayStatus", strconv.Itoa(info.Pay.PayStatus)), ShipStatus: pick("ShipStatus", strconv.Itoa(info.Ship.ShipStatus))}
}

// orderInfo answers one order. Without Field the answer holds the OrderId alone, as Yahoo's
// nearly empty answer does.
func (s *Server) orderInfo(w http.ResponseWriter, r *http.Request) {
	var req yahoo.OrderInfoRequest
	if !decode(w, r, &req) || !s.sellerMatches(w, req.SellerID) {
		return
	}
	id := strings.TrimSpace(req.Target.OrderID)
	if id == "" {
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderId is required.")
		return
	}
	info, ok := s.Order(id)
	if !ok {
		refuse(w, yahoo.CodeNotFound, "Not Found : OrderId "+id)
		return
	}
	if strings.TrimSpace(req.Target.Field) == "" {
		type bare struct {
			OrderID string `xml:"OrderId"`
		}
		type result struct {
			Status    string `xml:"Status"`
			OrderInfo bare   `xml:"OrderInfo"`
		}
		writeXML(w, http.StatusOK, struct {
			XMLName xml.Name `xml:"ResultSet"`
			Result  result   `xml:"Result"`
		}{Result: result{Status: "OK", OrderInfo: bare{OrderID: info.OrderID}}})
		return
	}
	succeed(w, &info)
}

// change runs a write on one order: counted as a write request, refused when the order is
// unknown or cancelled, applied by apply (which says whether it changed anything and what),
// then answered, or left hanging by the TimeoutAfterWrite fault once applied. Every update
// marks the order seen.
func (s *Server) change(w http.ResponseWriter, r *http.Request, id, operation string, apply func(o *simOrder, now time.Time) (changed bool, detail, code, msg string)) {
	s.Sim.Counters.WriteRequest(id)
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	o, ok := s.orders[id]
	if !ok {
		s.mu.Unlock()
		refuse(w, yahoo.CodeNotFound, "Not Found : OrderId "+id)
		return
	}
	s.advance(o, now)
	if o.info.OrderStatus == yahoo.OrderCancelled {
		s.mu.Unlock()
		refuse(w, yahoo.CodeIllegalStatus, yahoo.MsgCancelOperated)
		return
	}
	wasSeen := o.info.IsSeen
	changed, detail, code, msg := apply(o, now)
	if code != "" {
		s.mu.Unlock()
		refuse(w, code, msg)
		return
	}
	o.info.IsSeen = true
	changed = changed || !wasSeen
	if changed {
		s.touch(o, now, operation, detail)
	}
	s.Sim.Counters.Write(id, !changed)
	s.mu.Unlock()
	s.Sim.HangAfterWrite(w, r)
	succeed(w, nil)
}

// allowed is the official transition table of orderStatusChange (変更前 → 変更後), with 2 → 2,
// the simulator's way of marking a new order taken.
var allowed = map[int][]int{
	yahoo.OrderReserved:   {yahoo.OrderCancelled, yahoo.OrderCompleted},
	yahoo.OrderProcessing: {yahoo.OrderProcessing, yahoo.OrderHeld, yahoo.OrderCancelled, yahoo.OrderCompleted},
	yahoo.OrderHeld:       {yahoo.OrderProcessing, yahoo.OrderCancelled, yahoo.OrderCompleted},
	yahoo.OrderCompleted:  {yahoo.OrderProcessing, yahoo.OrderCancelled},
}

// orderStatusChange sets OrderStatus. IsPointFix is required, and must be true for 完了;
// キャンセル needs a CancelReason; completion is refused for CompleteWait after the ship status
// changed.
func (s *Server) orderStatusChange(w http.ResponseWriter, r *http.Request) {
	var req yahoo.StatusChangeRequest
	if !decode(w, r, &req) || !s.sellerMatches(w, req.SellerID) {
		return
	}
	id, to := strings.TrimSpace(req.Target.OrderID), req.Order.OrderStatus
	switch {
	case id == "":
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderId is required.")
		return
	case req.Target.IsPointFix == nil:
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : IsPointFix is required.")
		return
	case to < 1 || to > 5:
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderStatus must be 1 to 5.")
		return
	case to == yahoo.OrderCompleted && !*req.Target.IsPointFix:
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : IsPointFix must be true to complete an order.")
		return
	case to == yahoo.OrderCancelled && strings.TrimSpace(req.Order.CancelReason) == "":
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : CancelReason is required to cancel an order.")
		return
	}
	s.change(w, r, id, "注文ステータス変更", func(o *simOrder, now time.Time) (bool, string, string, string) {
		from := o.info.OrderStatus
		if !slices.Contains(allowed[from], to) {
			return false, "", yahoo.CodeIllegalStatus, fmt.Sprintf("Cannot Be Operated : OrderStatus %d to %d", from, to)
		}
		if to == yahoo.OrderCompleted && s.cfg.CompleteWait > 0 && !o.shipChangedAt.IsZero() && now.Before(o.shipChangedAt.Add(s.cfg.CompleteWait)) {
			return false, "", yahoo.CodeCompleteTooSoon, "Cannot Be Operated : the ship status was changed just now. Please retry after a while."
		}
		o.info.OrderStatus = to
		if to == yahoo.OrderCancelled {
			o.info.CancelReason = strings.TrimSpace(req.Order.CancelReason)
		}
		return from != to, fmt.Sprintf("OrderStatus %d→%d", from, to), "", ""
	})
}

// companies are the ShipCompanyCode values the simulator takes (§3a.7).
func knownCompany(code string) bool {
	n, err := strconv.Atoi(code)
	return err == nil && ((n >= 1000 && n <= 1029) || n == 5000 || n == 5001)
}

var emptyReasons = []string{"101", "102", "103", "104", "105"}

// orderShipStatusChange sets the ship status and what goes with it: carrier, tracking numbers
// or the reason there is none (exclusive, also against what the order holds), ship date. A
// Yamato tracking number is digits and hyphens, at most 14 bytes.
func (s *Server) orderShipStatusChange(w http.ResponseWriter, r *http.Request) {
	var req yahoo.ShipStatusChangeRequest
	if !decode(w, r, &req) || !s.sellerMatches(w, req.SellerID) {
		return
	}
	id, sc := strings.TrimSpace(req.Target.OrderID), req.Order.Ship
	bad := func(msg string) { refuse(w, yahoo.CodeBadRequest, "Invalid Request : "+msg) }
	switch {
	case id == "":
		bad("OrderId is required.")
		return
	case req.Target.IsPointFix == nil:
		bad("IsPointFix is required.")
		return
	case sc.ShipStatus < 0 || sc.ShipStatus > 4:
		bad("ShipStatus must be 0 to 4.")
		return
	case sc.ShipCompanyCode != "" && !knownCompany(sc.ShipCompanyCode):
		bad("ShipCompanyCode " + sc.ShipCompanyCode + " is not a carrier code.")
		return
	case sc.ShipInvoiceNumberEmptyReason != "" && !slices.Contains(emptyReasons, sc.ShipInvoiceNumberEmptyReason):
		bad("ShipInvoiceNumberEmptyReason must be 101 to 105.")
		return
	case sc.ShipInvoiceNumberEmptyReason != "" && (sc.ShipInvoiceNumber1 != "" || sc.ShipInvoiceNumber2 != ""):
		refuse(w, yahoo.CodeInvoiceExclusive, "Invalid Request : ShipInvoiceNumber and ShipInvoiceNumberEmptyReason cannot both be set.")
		return
	case sc.ShipCompanyCode == "1001" && (len(sc.ShipInvoiceNumber1) > 14 || strings.Trim(sc.ShipInvoiceNumber1, "0123456789-") != ""):
		bad("ShipInvoiceNumber1 of ヤマト運輸 must be digits and hyphens, 14 bytes at most.")
		return
	}
	if sc.ShipDate != "" {
		if _, err := time.ParseInLocation(yahoo.DateLayout, sc.ShipDate, jst); err != nil {
			bad("ShipDate must be yyyyMMdd.")
			return
		}
	}
	s.change(w, r, id, "出荷ステータス変更", func(o *simOrder, now time.Time) (bool, string, string, string) {
		sh := &o.info.Ship
		if (sc.ShipInvoiceNumberEmptyReason != "" && sh.ShipInvoiceNumber1 != "" && sc.ShipInvoiceNumber1 == "") ||
			(sc.ShipInvoiceNumber1 != "" && sh.ShipInvoiceNumberEmptyReason != "" && sc.ShipInvoiceNumberEmptyReason == "") {
			return false, "", yahoo.CodeInvoiceExclusive, "Invalid Request : the order holds a ShipInvoiceNumber or a ShipInvoiceNumberEmptyReason already."
		}
		before := *sh
		sh.ShipStatus = sc.ShipStatus
		if sc.ShipCompanyCode != "" {
			sh.ShipCompanyCode = sc.ShipCompanyCode
		}
		if sc.ShipInvoiceNumber1 != "" {
			sh.ShipInvoiceNumber1 = sc.ShipInvoiceNumber1
		}
		if sc.ShipInvoiceNumber2 != "" {
			sh.ShipInvoiceNumber2 = sc.ShipInvoiceNumber2
		}
		if sc.ShipInvoiceNumberEmptyReason != "" {
			sh.ShipInvoiceNumberEmptyReason = sc.ShipInvoiceNumberEmptyReason
		}
		if sc.ShipDate != "" {
			sh.ShipDate = sc.ShipDate
		}
		changed := *sh != before
		if changed {
			o.shipChangedAt = now
		}
		return changed, fmt.Sprintf("ShipStatus %d→%d %s %s", before.ShipStatus, sh.ShipStatus, sh.ShipCompanyCode, sh.ShipInvoiceNumber1), "", ""
	})
}

// orderPayStatusChange sets PayStatus (0 or 1) and PayDate.
func (s *Server) orderPayStatusChange(w http.ResponseWriter, r *http.Request) {
	var req yahoo.PayStatusChangeRequest
	if !decode(w, r, &req) || !s.sellerMatches(w, req.SellerID) {
		return
	}
	id, pc := strings.TrimSpace(req.Target.OrderID), req.Order.Pay
	switch {
	case id == "":
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : OrderId is required.")
		return
	case pc.PayStatus != yahoo.PayUnpaid && pc.PayStatus != yahoo.PayPaid:
		refuse(w, yahoo.CodeBadRequest, "Invalid Request : PayStatus must be 0 or 1.")
		return
	}
	if pc.PayDate != "" {
		if _, err := time.ParseInLocation(yahoo.DateLayout, pc.PayDate, jst); err != nil {
			refuse(w, yahoo.CodeBadRequest, "Invalid Request : PayDate must be yyyyMMdd.")
			return
		}
	}
	s.change(w, r, id, "入金ステータス変更", func(o *simOrder, now time.Time) (bool, string, string, string) {
		before := o.info.Pay
		o.info.Pay.PayStatus = pc.PayStatus
		if pc.PayDate != "" {
			o.info.Pay.PayDate = pc.PayDate
		}
		return o.info.Pay != before, fmt.Sprintf("PayStatus %d→%d", before.PayStatus, pc.PayStatus), "", ""
	})
}

// orderCount answers the store's order boxes (GET ?sellerId=): 新規注文 (処理中, not seen),
// 新規予約 (予約中, not seen) and 保留.
func (s *Server) orderCount(w http.ResponseWriter, r *http.Request) {
	if !s.sellerMatches(w, r.URL.Query().Get("sellerId")) {
		return
	}
	var res yahoo.CountResult
	res.Result.Status = "OK"
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	for _, o := range s.orders {
		s.advance(o, now)
		switch {
		case o.info.OrderStatus == yahoo.OrderProcessing && !o.info.IsSeen:
			res.Result.Count.NewOrder++
		case o.info.OrderStatus == yahoo.OrderReserved && !o.info.IsSeen:
			res.Result.Count.NewReserve++
		case o.info.OrderStatus == yahoo.OrderHeld:
			res.Result.Count.Holding++
		}
	}
	s.mu.Unlock()
	writeXML(w, http.StatusOK, res)
}

// orderChangeHistory answers an order's changes (GET ?orderId=&sellerId=).
func (s *Server) orderChangeHistory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.sellerMatches(w, q.Get("sellerId")) {
		return
	}
	id := strings.TrimSpace(q.Get("orderId"))
	s.mu.Lock()
	o, ok := s.orders[id]
	var changes []yahoo.Change
	if ok {
		changes = slices.Clone(o.history)
	}
	s.mu.Unlock()
	if !ok {
		refuse(w, yahoo.CodeNotFound, "Not Found : OrderId "+id)
		return
	}
	var res yahoo.HistoryResult
	res.Result.Status, res.Result.Changes = "OK", changes
	writeXML(w, http.StatusOK, res)
}
