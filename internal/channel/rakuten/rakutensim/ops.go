package rakutensim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

func badRequest(w http.ResponseWriter, msgs ...rakuten.Message) {
	simkit.WriteJSON(w, http.StatusBadRequest, rakuten.MessagesResponse{MessageModelList: msgs})
}

// searchOrder finds order numbers by a date window, 1,000 a page and 15,000 at most.
func (s *Server) searchOrder(w http.ResponseWriter, r *http.Request) {
	const op = "searchOrder"
	var req rakuten.SearchOrderRequest
	if !decode(w, r, op, &req) {
		return
	}
	if req.DateType == 0 {
		badRequest(w, errorMessage(op, "ERROR_009", "dateTypeは必須です。"))
		return
	}
	if req.DateType < rakuten.DateOrdered || req.DateType > rakuten.DateSettled {
		badRequest(w, errorMessage(op, "ERROR_011", "dateTypeの値が不正です。1から6で指定してください。"))
		return
	}
	start, err1 := rakuten.ParseTime(req.StartDatetime)
	end, err2 := rakuten.ParseTime(req.EndDatetime)
	if err1 != nil || err2 != nil {
		badRequest(w, errorMessage(op, "ERROR_011", "startDatetime / endDatetime の形式が不正です。yyyy-MM-ddTHH:mm:ss+0900 の形式で指定してください。"))
		return
	}
	now := s.Sim.Clock.Now()
	switch {
	case end.Before(start):
		badRequest(w, errorMessage(op, "ERROR_011", "endDatetimeはstartDatetime以降を指定してください。"))
		return
	case end.Sub(start) > rakuten.MaxSearchWindow:
		badRequest(w, errorMessage(op, "ERROR_011", "検索期間は63日以内で指定してください。"))
		return
	case start.Before(now.Add(-rakuten.MaxSearchAge)):
		badRequest(w, errorMessage(op, "ERROR_011", "startDatetimeは過去730日以内で指定してください。"))
		return
	}
	amount, page, desc := 30, 1, false
	if p := req.PaginationRequestModel; p != nil {
		if p.RequestRecordsAmount != 0 {
			amount = p.RequestRecordsAmount
		}
		if p.RequestPage != 0 {
			page = p.RequestPage
		}
		desc = len(p.SortModelList) > 0 && p.SortModelList[0].SortDirection == 2
	}
	if amount < 1 || amount > rakuten.MaxRecordsPerPage || page < 1 {
		badRequest(w, errorMessage(op, "ERROR_011", "requestRecordsAmountは1から1000、requestPageは1以上で指定してください。"))
		return
	}
	progress := map[int]bool{}
	for _, p := range req.OrderProgressList {
		progress[p] = true
	}
	s.mu.Lock()
	for _, o := range s.orders {
		s.advance(o, now)
	}
	numbers := s.sortedNumbers(func(o *simOrder) (time.Time, bool) {
		if len(progress) > 0 && !progress[o.model.OrderProgress] {
			return time.Time{}, false
		}
		at, ok := orderDate(o, req.DateType)
		return at, ok && !at.Before(start) && !at.After(end)
	}, desc)
	s.mu.Unlock()

	total := len(numbers)
	if total == 0 {
		simkit.WriteJSON(w, http.StatusOK, rakuten.SearchOrderResponse{OrderNumberList: []string{},
			MessageModelList: []rakuten.Message{infoMessage(op, "INFO_102", "注文検索結果が0件です。")}})
		return
	}
	visible := min(total, rakuten.MaxSearchHits)
	pages := (visible + amount - 1) / amount
	from, to := min((page-1)*amount, visible), min(page*amount, visible)
	simkit.WriteJSON(w, http.StatusOK, rakuten.SearchOrderResponse{
		OrderNumberList:         numbers[from:to],
		MessageModelList:        []rakuten.Message{infoMessage(op, "INFO_101", "注文検索に成功しました。")},
		PaginationResponseModel: &rakuten.PaginationResponse{TotalRecordsAmount: total, TotalPages: pages, RequestPage: page},
	})
}

// orderDate is the order's date for a search dateType.
func orderDate(o *simOrder, dateType int) (time.Time, bool) {
	parse := func(p *string) (time.Time, bool) {
		if p == nil {
			return time.Time{}, false
		}
		t, err := rakuten.ParseTime(*p)
		return t, err == nil
	}
	switch dateType {
	case rakuten.DateOrdered:
		return o.orderedAt, true
	case rakuten.DateConfirmed:
		return parse(o.model.ShopOrderCfmDatetime)
	case rakuten.DateFixed, rakuten.DateSettled:
		return parse(o.model.OrderFixDatetime)
	case rakuten.DateShipped, rakuten.DateReported:
		return parse(o.model.ShippingCmplRptDatetime)
	}
	return time.Time{}, false
}

// getOrder returns up to 100 orders.
func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	const op = "getOrder"
	// version comes as a number or, as public clients send it, a numeric string ("7"); a
	// missing one is ERROR_009 (issue 13's facts from public clients; JakeJP/Rakuten.RMS.Api
	// sends version.ToString()).
	var req struct {
		OrderNumberList []string        `json:"orderNumberList"`
		Version         json.RawMessage `json:"version"`
	}
	if !decode(w, r, op, &req) {
		return
	}
	if len(req.OrderNumberList) == 0 || len(req.OrderNumberList) > rakuten.MaxOrdersPerCall {
		badRequest(w, errorMessage(op, "ERROR_011", "orderNumberListは1件以上100件以下で指定してください。"))
		return
	}
	version, present := orderVersion(req.Version)
	switch {
	case !present:
		badRequest(w, errorMessage(op, "ERROR_009", "versionを指定してください。"))
		return
	case version < 1:
		badRequest(w, errorMessage(op, "ERROR_011", "versionの形式が正しくありません。"))
		return
	}
	now := s.Sim.Clock.Now()
	resp := rakuten.GetOrderResponse{OrderModelList: []rakuten.OrderModel{}}
	s.mu.Lock()
	for _, n := range req.OrderNumberList {
		o, ok := s.orders[n]
		if !ok {
			m := rakuten.Message{MessageType: "WARNING", MessageCode: messageCode(op, "WARNING_101"), Message: "指定された注文番号は存在しません。", OrderNumber: n}
			resp.MessageModelList = append(resp.MessageModelList, m)
			continue
		}
		s.advance(o, now)
		resp.OrderModelList = append(resp.OrderModelList, o.model)
	}
	s.mu.Unlock()
	resp.MessageModelList = append(resp.MessageModelList, infoMessage(op, "INFO_101", fmt.Sprintf("受注情報取得に成功しました。(取得件数%d件)", len(resp.OrderModelList))))
	simkit.WriteJSON(w, http.StatusOK, resp)
}

// orderVersion reads getOrder's version, a JSON number or numeric string: the version and
// whether one was given at all (null and "" are none); a version it cannot read is 0.
func orderVersion(raw json.RawMessage) (int, bool) {
	v := strings.TrimSpace(string(raw))
	if v == "" || v == "null" || v == `""` {
		return 0, false
	}
	v = strings.Trim(v, `"`)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true
	}
	return n, true
}

// confirmOrder confirms up to 100 orders (注文確認): 注文確認待ち → 楽天処理中.
func (s *Server) confirmOrder(w http.ResponseWriter, r *http.Request) {
	const op = "confirmOrder"
	var req rakuten.ConfirmOrderRequest
	if !decode(w, r, op, &req) {
		return
	}
	if len(req.OrderNumberList) == 0 || len(req.OrderNumberList) > rakuten.MaxOrdersPerCall {
		badRequest(w, errorMessage(op, "ERROR_011", "orderNumberListは1件以上100件以下で指定してください。"))
		return
	}
	now := s.Sim.Clock.Now()
	var msgs []rakuten.Message
	wrote := false
	s.mu.Lock()
	for _, n := range req.OrderNumberList {
		s.Sim.Counters.WriteRequest(n)
		m := s.confirmOne(op, n, now)
		m.OrderNumber = n
		msgs = append(msgs, m)
		wrote = wrote || m.MessageType == "INFO"
	}
	s.mu.Unlock()
	if wrote {
		s.HangAfterWrite(w, r)
	}
	simkit.WriteJSON(w, http.StatusOK, rakuten.MessagesResponse{MessageModelList: msgs})
}

func (s *Server) confirmOne(op, number string, now time.Time) rakuten.Message {
	o, ok := s.orders[number]
	if !ok {
		return errorMessage(op, "ERROR_101", "指定された注文番号は存在しません。")
	}
	s.advance(o, now)
	m := &o.model
	switch {
	case m.OrderProgress == rakuten.ProgressCancelPending || m.OrderProgress == rakuten.ProgressCancelConfirmed:
		return errorMessage(op, "ERROR_102", "キャンセルされた注文のため、注文確認できません。")
	case m.OrderProgress != rakuten.ProgressUnconfirmed:
		return errorMessage(op, "ERROR_103", "該当の注文は注文確認ができる状態ではありませんでした。")
	case m.PostagePrice == rakuten.Unfixed || m.TotalPrice == rakuten.Unfixed || m.PaymentCharge == rakuten.Unfixed:
		return errorMessage(op, "ERROR_105", "金額が確定していない注文のため、注文確認できません。送料・代引料を確定してください。")
	}
	m.OrderProgress = rakuten.ProgressInReview
	confirmed := rakuten.FormatTime(now)
	m.ShopOrderCfmDatetime = &confirmed
	wait := o.paymentWait
	if wait > 0 && s.cfg.PaymentWait > 0 {
		wait = s.cfg.PaymentWait
	}
	o.reviewEnds = now.Add(s.cfg.ReviewDelay + wait)
	if o.selective {
		o.reviewEnds = now.Add(s.cfg.ReviewDelay / 4) // no payment review for shop-run settlement
	}
	s.Sim.Counters.Write(number, false)
	return infoMessage(op, "INFO_101", "注文確認に成功しました。")
}

// HangAfterWrite leaves a write unanswered when the timeout-after-write fault draws it.
func (s *Server) HangAfterWrite(w http.ResponseWriter, r *http.Request) { s.Sim.HangAfterWrite(w, r) }

// updateOrderShipping registers one order's shipping details synchronously.
func (s *Server) updateOrderShipping(w http.ResponseWriter, r *http.Request) {
	const op = "updateOrderShipping"
	var req rakuten.UpdateOrderShippingRequest
	if !decode(w, r, op, &req) {
		return
	}
	s.mu.Lock()
	msgs, wrote := s.applyShipping(op, req, s.Sim.Clock.Now())
	s.mu.Unlock()
	if wrote {
		s.HangAfterWrite(w, r)
	}
	status := http.StatusOK
	for _, m := range msgs {
		if m.MessageType == "ERROR" {
			status = http.StatusBadRequest
		}
	}
	simkit.WriteJSON(w, status, rakuten.MessagesResponse{MessageModelList: msgs})
}

// updateOrderShippingAsync accepts up to 100 orders' shipping details and answers with a
// requestId; the per-order results are read with getResultUpdateOrderShippingAsync.
func (s *Server) updateOrderShippingAsync(w http.ResponseWriter, r *http.Request) {
	const op = "updateOrderShippingAsync"
	var req rakuten.UpdateOrderShippingAsyncRequest
	if !decode(w, r, op, &req) {
		return
	}
	list := req.OrderShippingModelList
	if len(list) == 0 || len(list) > rakuten.MaxOrdersPerCall {
		badRequest(w, errorMessage(op, "ERROR_011", "OrderShippingModelListは1件以上100件以下で指定してください。"))
		return
	}
	seen := map[string]bool{}
	for _, o := range list {
		if seen[o.OrderNumber] {
			badRequest(w, errorMessage(op, "ERROR_011", fmt.Sprintf("注文番号 %s が重複しています。1リクエストに同じ注文番号は指定できません。", o.OrderNumber)))
			return
		}
		seen[o.OrderNumber] = true
	}
	now := s.Sim.Clock.Now()
	s.mu.Lock()
	s.asyncSeq++
	requestID := strconv.FormatInt(now.Unix(), 10) + fmt.Sprintf("%06d", s.asyncSeq)
	s.asyncQueue = append(s.asyncQueue, asyncRequest{id: requestID, applyAt: now.Add(s.cfg.AsyncDelay), list: list})
	s.applyAsync(now)
	s.mu.Unlock()
	// The request is taken: a timeout from here on leaves the caller not knowing it was.
	s.HangAfterWrite(w, r)
	simkit.WriteJSON(w, http.StatusOK, rakuten.UpdateOrderShippingAsyncResponse{RequestID: requestID,
		MessageModelList: []rakuten.Message{{MessageType: "INFO", MessageCode: "ORDER_EXT_API_UPDATE_ORDERSHIPPING_ASYNC_INFO_101", Message: "発送情報の更新を受付けました。", RequestID: requestID}}})
}

// getResultUpdateOrderShippingAsync returns the results of an async shipping update.
func (s *Server) getResultUpdateOrderShippingAsync(w http.ResponseWriter, r *http.Request) {
	const op = "getResultUpdateOrderShippingAsync"
	var req rakuten.GetResultRequest
	if !decode(w, r, op, &req) {
		return
	}
	s.mu.Lock()
	res, ok := s.asyncResult[req.RequestID]
	waiting := slices.ContainsFunc(s.asyncQueue, func(a asyncRequest) bool { return a.id == req.RequestID })
	s.mu.Unlock()
	if waiting {
		// Not applied yet. RMS's exact answer for this case is not public; this one keeps its
		// shape: HTTP 200, no results, a message saying to ask again.
		simkit.WriteJSON(w, http.StatusOK, rakuten.GetResultResponse{MessageModelList: []rakuten.Message{
			{MessageType: "WARNING", MessageCode: messageCode(op, "WARNING_101"), Message: "処理中です。しばらくしてから再度取得してください。", RequestID: req.RequestID}}})
		return
	}
	if !ok {
		badRequest(w, errorMessage(op, "ERROR_011", "指定されたrequestIdの結果はありません。"))
		return
	}
	res.MessageModelList = []rakuten.Message{infoMessage(op, "INFO_101", "結果取得に成功しました。")}
	simkit.WriteJSON(w, http.StatusOK, res)
}

// applyAsync applies the accepted async shipping requests whose time has come, in the order they
// were accepted. Callers hold s.mu.
func (s *Server) applyAsync(now time.Time) {
	for len(s.asyncQueue) > 0 && !now.Before(s.asyncQueue[0].applyAt) {
		a := s.asyncQueue[0]
		s.asyncQueue = s.asyncQueue[1:]
		var result rakuten.GetResultResponse
		for _, o := range a.list {
			msgs, _ := s.applyShipping("updateOrderShipping", o, a.applyAt)
			result.ResultShippingModelList = append(result.ResultShippingModelList, rakuten.ResultShipping{OrderNumber: o.OrderNumber, MessageModelList: msgs})
		}
		s.asyncResult[a.id] = result
	}
}

// applyShipping adds, updates and deletes one order's shipping details; it says whether any
// detail changed. Callers hold s.mu.
//
// Its messages are RMS's (OrderShippingMessageModel: messageType, messageCode, message,
// dataNumber, shippingDetailId, and no orderNumber; JakeJP/Rakuten.RMS.Api
// docs/reference/rakuten.rms.api.rakutenpayorderapi.ordershippingmessagemodel.md): dataNumber
// counts the ShippingModelList records from 1 across the baskets, every bad record gets its own
// ERROR_011 「<field>の書式が不正です。」 with its dataNumber and shippingDetailId, and the INFO
// texts are 「発送情報の追加設定が完了しました。」 (101), 「発送情報の更新設定が完了しました。」 (102) and
// 「発送情報の削除設定が完了しました。」 (103) (RMS's documented examples as copied in public
// clients: search index file ids 69734658334, 44109401131, 34507683849).
func (s *Server) applyShipping(op string, req rakuten.UpdateOrderShippingRequest, now time.Time) ([]rakuten.Message, bool) {
	const prefix = "ORDER_EXT_API_UPDATE_ORDERSHIPPING_"
	fail := func(suffix, text string) []rakuten.Message {
		return []rakuten.Message{{MessageType: "ERROR", MessageCode: prefix + suffix, Message: text}}
	}
	s.Sim.Counters.WriteRequest(req.OrderNumber)
	o, ok := s.orders[req.OrderNumber]
	if !ok {
		return fail("ERROR_003", "指定された注文番号は存在しません。"), false
	}
	s.advance(o, now)
	switch o.model.OrderProgress {
	case rakuten.ProgressCancelPending, rakuten.ProgressCancelConfirmed:
		return fail("ERROR_006", "キャンセルされた注文のため、発送情報を更新できません。"), false
	case rakuten.ProgressUnconfirmed, rakuten.ProgressInReview:
		return fail("ERROR_007", "発送待ち以降の注文のみ発送情報を更新できます。"), false
	}
	// Validate the whole request before changing anything; every bad record is reported.
	var bad []rakuten.Message
	data := 0
	for _, b := range req.BasketidModelList {
		pkg := basket(o, b.BasketID)
		if pkg == nil {
			return fail("ERROR_004", fmt.Sprintf("basketId %d はこの注文にありません。", b.BasketID)), false
		}
		if len(b.ShippingModelList) > rakuten.MaxShippingPerBasket {
			return fail("ERROR_011", "ShippingModelListは1送付先につき20件以下で指定してください。"), false
		}
		for _, sm := range b.ShippingModelList {
			data++
			if field := invalidShipping(sm, pkg); field != "" {
				bad = append(bad, rakuten.Message{MessageType: "ERROR", MessageCode: prefix + "ERROR_011", Message: field + "の書式が不正です。",
					DataNumber: data, ShippingDetailID: sm.ShippingDetailID})
			}
		}
	}
	if len(bad) > 0 {
		return bad, false
	}
	var msgs []rakuten.Message
	changed, duplicate := false, false
	data = 0
	for _, b := range req.BasketidModelList {
		pkg := basket(o, b.BasketID)
		for _, sm := range b.ShippingModelList {
			data++
			m := rakuten.Message{MessageType: "INFO", DataNumber: data}
			switch {
			case sm.ShippingDeleteFlag == 1:
				pkg.ShippingModelList = deleteDetail(pkg.ShippingModelList, sm.ShippingDetailID)
				m.MessageCode, m.Message, m.ShippingDetailID = prefix+"INFO_103", "発送情報の削除設定が完了しました。", sm.ShippingDetailID
			case sm.ShippingDetailID != 0:
				for k := range pkg.ShippingModelList {
					if cur := &pkg.ShippingModelList[k]; cur.ShippingDetailID == sm.ShippingDetailID {
						duplicate = duplicate || (cur.ShippingNumber == sm.ShippingNumber && cur.DeliveryCompany == sm.DeliveryCompany && cur.ShippingDate == sm.ShippingDate)
						cur.ShippingNumber, cur.DeliveryCompany, cur.ShippingDate = sm.ShippingNumber, sm.DeliveryCompany, sm.ShippingDate
						cur.DeliveryCompanyName = carrierName(sm.DeliveryCompany)
					}
				}
				m.MessageCode, m.Message, m.ShippingDetailID = prefix+"INFO_102", "発送情報の更新設定が完了しました。", sm.ShippingDetailID
			default:
				for _, cur := range pkg.ShippingModelList {
					duplicate = duplicate || (cur.ShippingNumber == sm.ShippingNumber && cur.DeliveryCompany == sm.DeliveryCompany)
				}
				s.nextDetail++
				added := rakuten.ShippingModel{ShippingDetailID: s.nextDetail, ShippingNumber: sm.ShippingNumber, DeliveryCompany: sm.DeliveryCompany,
					DeliveryCompanyName: carrierName(sm.DeliveryCompany), ShippingDate: sm.ShippingDate}
				pkg.ShippingModelList = append(pkg.ShippingModelList, added)
				m.MessageCode, m.Message, m.ShippingDetailID = prefix+"INFO_101", "発送情報の追加設定が完了しました。", added.ShippingDetailID
			}
			changed = true
			msgs = append(msgs, m)
		}
	}
	if changed {
		s.Sim.Counters.Write(req.OrderNumber, duplicate)
	}
	// A shipping date on an order awaiting shipment is the shipment report: 発送済.
	if o.model.OrderProgress == rakuten.ProgressAwaitingShip && hasShipDate(o) {
		o.model.OrderProgress = rakuten.ProgressShipped
		reported := rakuten.FormatTime(now)
		o.model.ShippingCmplRptDatetime = &reported
	}
	return msgs, changed
}

func basket(o *simOrder, id int64) *rakuten.PackageModel {
	for i := range o.model.PackageModelList {
		if o.model.PackageModelList[i].BasketID == id {
			return &o.model.PackageModelList[i]
		}
	}
	return nil
}

// invalidShipping names the field of a shipping record RMS refuses, "" when it takes it: a
// shippingDetailId the basket does not hold, a deliveryCompany that is not a code (a name such
// as 佐川急便), a shippingNumber over 120 characters or with characters outside printable ASCII,
// a shippingDate not yyyy-MM-dd.
func invalidShipping(sm rakuten.ShippingModel, pkg *rakuten.PackageModel) string {
	if sm.ShippingDeleteFlag == 1 || sm.ShippingDetailID != 0 {
		found := false
		for _, cur := range pkg.ShippingModelList {
			found = found || cur.ShippingDetailID == sm.ShippingDetailID
		}
		if !found {
			return "shippingDetailId"
		}
		if sm.ShippingDeleteFlag == 1 {
			return ""
		}
	}
	if _, ok := channel.CarrierByCode(sm.DeliveryCompany); !ok {
		return "deliveryCompany"
	}
	if utf8.RuneCountInString(sm.ShippingNumber) > rakuten.MaxShippingNumber {
		return "shippingNumber"
	}
	for _, r := range sm.ShippingNumber {
		if r > 0x7e || r < 0x20 {
			return "shippingNumber"
		}
	}
	if sm.ShippingDate != "" {
		if _, err := time.Parse("2006-01-02", sm.ShippingDate); err != nil {
			return "shippingDate"
		}
	}
	return ""
}

func deleteDetail(list []rakuten.ShippingModel, id int64) []rakuten.ShippingModel {
	out := list[:0]
	for _, sm := range list {
		if sm.ShippingDetailID != id {
			out = append(out, sm)
		}
	}
	return out
}

func carrierName(code string) string {
	c, _ := channel.CarrierByCode(code)
	return c.Name
}

func hasShipDate(o *simOrder) bool {
	for _, p := range o.model.PackageModelList {
		for _, sm := range p.ShippingModelList {
			if sm.ShippingDate != "" {
				return true
			}
		}
	}
	return false
}

// cancelReasons are the changeReasonDetailApply codes RMS defines: the buyer's 1 キャンセル,
// 2 受取後の返品, 3 長期不在による受取拒否, 4 未入金, 5 代引決済の受取拒否, 6 その他; the shop's 8 欠品,
// 10 その他, 13 発送遅延, 14 顧客・配送対応注意表示, 15 返品 (JakeJP/Rakuten.RMS.Api).
var cancelReasons = map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 8: true, 10: true, 13: true, 14: true, 15: true}

// cancelOrder applies for the cancellation of an order not yet shipped (100/200/300).
func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) {
	const op = "cancelOrder"
	var req rakuten.CancelOrderRequest
	if !decode(w, r, op, &req) {
		return
	}
	now := s.Sim.Clock.Now()
	s.Sim.Counters.WriteRequest(req.OrderNumber)
	s.mu.Lock()
	o, ok := s.orders[req.OrderNumber]
	var msg rakuten.Message
	switch {
	case !cancelReasons[req.ChangeReasonDetailApply] || req.InventoryRestoreType < 0 || req.InventoryRestoreType > 2:
		msg = errorMessage(op, "ERROR_011", "changeReasonDetailApply・inventoryRestoreTypeの指定に誤りがあります。")
	case !ok:
		msg = errorMessage(op, "ERROR_101", "指定された注文番号は存在しません。")
	default:
		s.advance(o, now)
		switch o.model.OrderProgress {
		case rakuten.ProgressUnconfirmed, rakuten.ProgressInReview, rakuten.ProgressAwaitingShip:
			// A shop's cancelOrder is an application (キャンセル申請): RMS holds the order at
			// キャンセル確定待ち; cancelOrderAfterShipping is the one that cancels outright
			// (JakeJP/Rakuten.RMS.Api RakutenPayOrderService.cs).
			o.model.OrderProgress = rakuten.ProgressCancelPending
			s.Sim.Counters.Write(req.OrderNumber, false)
			msg = infoMessage(op, "INFO_101", "キャンセル申請に成功しました。")
		default:
			msg = errorMessage(op, "ERROR_103", "注文確認待ち・楽天処理中・発送待ち以外の注文はキャンセルできません。")
		}
	}
	s.mu.Unlock()
	msg.OrderNumber = req.OrderNumber
	status := http.StatusOK
	if msg.MessageType == "ERROR" {
		status = http.StatusBadRequest
	} else {
		s.HangAfterWrite(w, r)
	}
	simkit.WriteJSON(w, status, rakuten.MessagesResponse{MessageModelList: []rakuten.Message{msg}})
}

// licenseExpiry answers the license-key expiry lookup.
func (s *Server) licenseExpiry(w http.ResponseWriter, r *http.Request) {
	key, expiry := s.key.Value(), s.key.ExpiresAt()
	if r.URL.Query().Get("licenseKey") != key {
		gatewayError(w, http.StatusBadRequest, "ES04-01", "Bad Request")
		return
	}
	simkit.WriteJSON(w, http.StatusOK, rakuten.LicenseExpiry{ExpiryDate: rakuten.FormatTime(expiry)})
}

// updateOrderSender replaces packages of an order (送付先・注文商品・金額の修正); the simulator
// applies their postage and cash-on-delivery fee and fixes the order's totals.
func (s *Server) updateOrderSender(w http.ResponseWriter, r *http.Request) {
	const op = "updateOrderSender"
	var req rakuten.UpdateOrderSenderRequest
	if !decode(w, r, op, &req) {
		return
	}
	s.mu.Lock()
	m := s.changeSender(op, req, s.Sim.Clock.Now())
	s.mu.Unlock()
	if m.MessageType != "INFO" {
		badRequest(w, m)
		return
	}
	s.HangAfterWrite(w, r)
	simkit.WriteJSON(w, http.StatusOK, rakuten.MessagesResponse{MessageModelList: []rakuten.Message{m}})
}

// changeSender applies an updateOrderSender request to its order, or refuses it whole. Callers
// hold s.mu.
func (s *Server) changeSender(op string, req rakuten.UpdateOrderSenderRequest, now time.Time) rakuten.Message {
	o, ok := s.orders[req.OrderNumber]
	if !ok {
		return errorMessage(op, "ERROR_101", "指定された注文番号は存在しません。")
	}
	s.advance(o, now)
	m := &o.model
	// updateOrderSender takes orders at 100, 200 and 300 only (RMS's updateOrderSender page as
	// copied in search index file id 69634449013); after shipping it is
	// updateOrderSenderAfterShipping's, which the simulator does not build.
	if m.OrderProgress > rakuten.ProgressAwaitingShip {
		return errorMessage(op, "ERROR_102", "発送前の注文のみ変更できます。")
	}
	for _, p := range req.PackageModelList {
		if basket(o, p.BasketID) == nil {
			return errorMessage(op, "ERROR_104", fmt.Sprintf("basketId %d はこの注文にありません。", p.BasketID))
		}
		if p.PostagePrice < 0 && p.PostagePrice != rakuten.Unfixed {
			return errorMessage(op, "ERROR_011", "postagePriceは0以上で指定してください。")
		}
	}
	for _, p := range req.PackageModelList {
		if m := checkItems(op, basket(o, p.BasketID), p.ItemModelList); m != nil {
			return *m
		}
		if p.DeliveryPrice < 0 {
			return errorMessage(op, "ERROR_011", "deliveryPriceは0以上で指定してください。")
		}
	}
	for _, p := range req.PackageModelList {
		pkg := basket(o, p.BasketID)
		pkg.PostagePrice, pkg.DeliveryPrice = p.PostagePrice, p.DeliveryPrice
		if p.SenderModel != (rakuten.SenderModel{}) {
			pkg.SenderModel = p.SenderModel // the ship-to (送付先) as sent, whole
		}
		for _, it := range p.ItemModelList {
			for i := range pkg.ItemModelList {
				if cur := &pkg.ItemModelList[i]; cur.ItemDetailID == it.ItemDetailID {
					cur.Units, cur.Price, cur.PriceTaxIncl = it.Units, it.Price, it.Price
				}
			}
		}
	}
	// The goods, tax and 代引料 follow the packages (PackageModel.totalPrice is 商品代金+送料+
	// 消費税+代引手数料; JakeJP/Rakuten.RMS.Api's PackageModel page).
	m.GoodsPrice, m.GoodsTax, m.PaymentCharge = 0, 0, 0
	for i := range m.PackageModelList {
		pkg := &m.PackageModelList[i]
		pkg.GoodsPrice = 0
		for _, it := range pkg.ItemModelList {
			pkg.GoodsPrice += it.Price * it.Units
			rate := int64(it.TaxRate*100 + 0.5)
			m.GoodsTax += it.Price * it.Units * rate / (100 + rate)
		}
		m.GoodsPrice += pkg.GoodsPrice
		m.PaymentCharge += pkg.DeliveryPrice
	}
	postage := int64(0)
	for _, pkg := range m.PackageModelList {
		if pkg.PostagePrice == rakuten.Unfixed {
			postage = rakuten.Unfixed
			break
		}
		postage += pkg.PostagePrice
	}
	m.PostagePrice = postage
	if postage == rakuten.Unfixed {
		m.TotalPrice, m.RequestPrice = rakuten.Unfixed, rakuten.Unfixed
	} else {
		m.TotalPrice = m.GoodsPrice + postage + m.PaymentCharge
		m.RequestPrice = m.TotalPrice
		for i := range m.PackageModelList {
			pkg := &m.PackageModelList[i]
			pkg.TotalPrice = pkg.GoodsPrice + pkg.PostagePrice + pkg.DeliveryPrice
		}
	}
	taxSummary(m)
	s.Sim.Counters.Write(req.OrderNumber, false)
	// RMS's text and its orderNumber (file id 69634449013).
	m2 := infoMessage(op, "INFO_101", "送付先情報の更新設定が完了しました。")
	m2.OrderNumber = req.OrderNumber
	return m2
}

// checkItems refuses an updateOrderSender package whose items RMS would not take: an item not in
// the package, or units and price out of range. It returns nil when they are fine.
func checkItems(op string, pkg *rakuten.PackageModel, items []rakuten.ItemModel) *rakuten.Message {
	for _, it := range items {
		found := false
		for _, cur := range pkg.ItemModelList {
			found = found || cur.ItemDetailID == it.ItemDetailID
		}
		var m rakuten.Message
		switch {
		case !found:
			m = errorMessage(op, "ERROR_105", fmt.Sprintf("itemDetailId %d はこの送付先にありません。", it.ItemDetailID))
		case it.Units < 1 || it.Units > 9999:
			m = errorMessage(op, "ERROR_011", "unitsは1以上9999以下で指定してください。")
		case it.Price < 0:
			m = errorMessage(op, "ERROR_011", "priceは0以上で指定してください。")
		default:
			continue
		}
		return &m
	}
	return nil
}
