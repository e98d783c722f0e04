package aupaysim

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

type testBundle struct {
	sim    *Server
	http   *httptest.Server
	key    string
	shopID string
}

func setup(t *testing.T, cfg Config) *testBundle {
	t.Helper()
	sim := New(cfg)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	key, shopID := sim.Credentials()
	return &testBundle{sim: sim, http: srv, key: key, shopID: shopID}
}

// get calls a search with the shop's id added to params.
func (b *testBundle) get(t *testing.T, op string, params url.Values) (int, aupay.Response) {
	t.Helper()
	if params == nil {
		params = url.Values{}
	}
	if !params.Has("shopId") {
		params.Set("shopId", b.shopID)
	}
	req, _ := http.NewRequest(http.MethodGet, b.http.URL+aupay.PathPrefix+op+"?"+params.Encode(), nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

// post sends a write's XML body.
func (b *testBundle) post(t *testing.T, op string, body any) (int, aupay.Response) {
	t.Helper()
	status, resp, err := b.postCtx(context.Background(), op, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, resp
}

func (b *testBundle) postCtx(ctx context.Context, op string, body any) (int, aupay.Response, error) {
	raw, err := xml.Marshal(body)
	if err != nil {
		return 0, aupay.Response{}, err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.http.URL+aupay.PathPrefix+op, bytes.NewReader(append([]byte(xml.Header), raw...)))
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	return b.doErr(req)
}

func (b *testBundle) do(t *testing.T, req *http.Request) (int, aupay.Response) {
	t.Helper()
	status, resp, err := b.doErr(req)
	if err != nil {
		t.Fatal(err)
	}
	return status, resp
}

func (b *testBundle) doErr(req *http.Request) (int, aupay.Response, error) {
	req.Header.Set("Authorization", "Bearer "+b.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, aupay.Response{}, err
	}
	defer resp.Body.Close()
	var out aupay.Response
	if err := xml.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, out, err
	}
	return resp.StatusCode, out, nil
}

func (b *testBundle) control(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, b.http.URL+path, bytes.NewReader(raw))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

// today is a search of trades ordered today and yesterday (Japan time).
func (b *testBundle) today() url.Values {
	now := b.sim.Sim.Clock.Now().In(order.JST)
	return url.Values{"startDate": {now.Add(-24 * time.Hour).Format(aupay.SearchDateLayout)}, "endDate": {now.Format(aupay.SearchDateLayout)}}
}

// code returns the refusal's code, "" for success.
func code(resp aupay.Response) string {
	if resp.Result.Status == aupay.ResultStatusOK {
		return ""
	}
	if resp.Result.Error == nil {
		return "status 1 without error"
	}
	return resp.Result.Error.Code
}

func shipping(shopID, id, date, carrier, number string) aupay.UpdateTradeInfoRequest {
	return aupay.UpdateTradeInfoRequest{ShopID: shopID, OrderID: id, ShippingDate: date, ShippingCarrier: carrier, ShippingNumber: number}
}

func TestWrongOrExpiredKeyIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	good := b.key
	b.key = "typo"
	status, resp := b.get(t, aupay.OpSearchTradeInfoList, b.today())
	if status != http.StatusUnauthorized || code(resp) != aupay.CodeUnauthorized || resp.Result.Error.Message != aupay.MsgAuthFailed {
		t.Fatalf("wrong key: %d %+v", status, resp.Result)
	}
	b.key = good
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusOK {
		t.Fatalf("good key: %d", status)
	}
	// The key only counts as a Bearer token.
	req, _ := http.NewRequest(http.MethodGet, b.http.URL+aupay.PathPrefix+aupay.OpSearchTradeInfoList, nil)
	req.Header.Set("Authorization", good)
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusUnauthorized {
		t.Fatalf("key without Bearer: %d", resp2.StatusCode)
	}
	b.sim.ExpireKey()
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusUnauthorized {
		t.Fatalf("expired key: %d", status)
	}
	b.sim.RenewKey("renewed")
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusUnauthorized {
		t.Fatalf("the old key must stop working after renewal: %d", status)
	}
	b.key = "renewed"
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusOK {
		t.Fatalf("renewed key: %d", status)
	}
	// The key lapses by itself after 90 days.
	b.sim.Sim.Clock.Advance(89 * 24 * time.Hour)
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusOK {
		t.Fatalf("day 89: %d", status)
	}
	b.sim.Sim.Clock.Advance(24 * time.Hour)
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusUnauthorized {
		t.Fatalf("day 90: %d", status)
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.AuthFailed != 5 {
		t.Fatalf("auth failures counted %d, want 5", c.AuthFailed)
	}
}

func TestSearchTradeInfoListPagesADateRange(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	now := b.sim.Sim.Clock.Now()
	status, resp := b.get(t, aupay.OpSearchTradeInfoList, b.today())
	if status != 200 || code(resp) != "" || resp.ResultCount == nil || *resp.ResultCount != 0 || len(resp.OrderInfo) != 0 {
		t.Fatalf("empty search: %d %+v", status, resp)
	}
	ids := b.sim.Generate(GenerateOptions{Count: 2500, At: now.Add(-time.Hour)})
	old := b.sim.Generate(GenerateOptions{Count: 3, At: now.Add(-10 * 24 * time.Hour)})

	page := b.today()
	page.Set("totalCount", "1000")
	page.Set("startCount", "2001")
	if _, resp = b.get(t, aupay.OpSearchTradeInfoList, page); code(resp) != "" || *resp.ResultCount != 2500 || len(resp.OrderInfo) != 500 ||
		resp.OrderInfo[0].OrderID != ids[2000] || resp.OrderInfo[499].OrderID != ids[2499] {
		t.Fatalf("third page: %+v, %d trades", resp.Result, len(resp.OrderInfo))
	}
	page.Set("startCount", "2501")
	if _, resp = b.get(t, aupay.OpSearchTradeInfoList, page); code(resp) != "" || len(resp.OrderInfo) != 0 {
		t.Fatalf("past the end: %d trades", len(resp.OrderInfo))
	}
	// Whole days in Japan time, both ends included, in either date form clients send.
	day := now.Add(-10 * 24 * time.Hour).In(order.JST)
	if _, resp = b.get(t, aupay.OpSearchTradeInfoList, url.Values{"startDate": {day.Format("2006-01-02")}, "endDate": {day.Format(aupay.SearchDateLayout)}}); *resp.ResultCount != 3 || resp.OrderInfo[0].OrderID != old[0] {
		t.Fatalf("ten days ago: %v", resp.ResultCount)
	}
	// orderStatus filters.
	b.post(t, aupay.OpUpdateTradeSts, aupay.UpdateTradeStsRequest{ShopID: b.shopID, OrderID: ids[7], OrderStatus: aupay.StatusAwaitingShipment})
	filtered := b.today()
	filtered.Set("orderStatus", aupay.StatusAwaitingShipment)
	if _, resp = b.get(t, aupay.OpSearchTradeInfoList, filtered); *resp.ResultCount != 1 || resp.OrderInfo[0].OrderID != ids[7] {
		t.Fatalf("status filter: %v", resp.ResultCount)
	}

	for name, c := range map[string]struct {
		set  map[string]string
		want string
	}{
		"page of 1001":      {map[string]string{"totalCount": "1001"}, aupay.CodeBadRequest},
		"startCount 0":      {map[string]string{"startCount": "0"}, aupay.CodeBadRequest},
		"no endDate":        {map[string]string{"endDate": ""}, aupay.CodeBadRequest},
		"end before start":  {map[string]string{"startDate": "20261102", "endDate": "20261101"}, aupay.CodeBadRequest},
		"slashed date":      {map[string]string{"startDate": "2026/11/01 00:00"}, aupay.CodeBadRequest},
		"dateType 1":        {map[string]string{"dateType": "1"}, aupay.CodeBadRequest},
		"unknown status":    {map[string]string{"orderStatus": "出荷済み"}, aupay.CodeBadRequest},
		"another shop":      {map[string]string{"shopId": "99999999"}, aupay.CodeShopMismatch},
		"no shop":           {map[string]string{"shopId": ""}, aupay.CodeBadRequest},
		"dateType 0 is 受注日": {map[string]string{"dateType": "0"}, ""},
	} {
		q := b.today()
		for k, v := range c.set {
			q.Set(k, v)
		}
		if status, resp := b.get(t, aupay.OpSearchTradeInfoList, q); status != 200 || code(resp) != c.want {
			t.Errorf("%s: %d %q, want %q", name, status, code(resp), c.want)
		}
	}
}

func TestSearchTradeInfoAnswersOneTrade(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	id := b.sim.Generate(GenerateOptions{Count: 1})[0]
	status, resp := b.get(t, aupay.OpSearchTradeInfo, url.Values{"orderId": {id}})
	if status != 200 || code(resp) != "" || len(resp.OrderInfo) != 1 || resp.OrderInfo[0].OrderID != id || resp.ResultCount != nil {
		t.Fatalf("one trade: %d %+v", status, resp)
	}
	if got := resp.OrderInfo[0]; got.OrderStatus != aupay.StatusNew || len(got.Details) == 0 {
		t.Fatalf("trade %+v", got)
	}
	if _, resp = b.get(t, aupay.OpSearchTradeInfo, url.Values{"orderId": {"999999999"}}); code(resp) != aupay.CodeNotFound || resp.Result.Error.Message != aupay.MsgTradeNotFound {
		t.Fatalf("unknown trade: %+v", resp.Result)
	}
	if _, resp = b.get(t, aupay.OpSearchTradeInfo, nil); code(resp) != aupay.CodeBadRequest {
		t.Fatalf("no orderId: %+v", resp.Result)
	}
}

var zip = regexp.MustCompile(`^\d{3}-\d{4}$`)

func TestGeneratedTradesLookLikeJapaneseOrders(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Seed: 7})
	methods := map[string]int{}
	for _, id := range b.sim.Generate(GenerateOptions{Count: 300}) {
		tr, _ := b.sim.Trade(id)
		methods[tr.SettlementName]++
		if !strings.ContainsRune(tr.OrdererName, ' ') || isASCII(tr.OrdererName) || isASCII(tr.OrdererKana) ||
			!zip.MatchString(tr.OrdererZipCode) || !zip.MatchString(tr.SenderZipCode) || tr.SenderAddress == "" {
			t.Fatalf("buyer or ship-to: %+v", tr)
		}
		if _, err := aupay.ParseDateTime(tr.OrderDate); err != nil {
			t.Fatalf("orderDate %q: %v", tr.OrderDate, err)
		}
		var goods int64
		for _, d := range tr.Details {
			if d.TaxRate != "8" && d.TaxRate != "10" || d.TotalItemPrice != d.ItemPrice*d.Unit || d.OrderDetailID == "" {
				t.Fatalf("line %+v", d)
			}
			goods += d.TotalItemPrice
		}
		if tr.TotalSalePrice != goods || tr.TotalPrice != goods+tr.PostagePrice+tr.ChargePrice ||
			tr.RequestPrice != max(tr.TotalPrice-tr.CouponTotalPrice-tr.UsePoint-tr.UseAuPointPrice, 0) {
			t.Fatalf("amounts %+v", tr)
		}
		if (tr.SettlementName == "代金引換") != (tr.ChargePrice == 330) {
			t.Fatalf("cash on delivery fee: %s %d", tr.SettlementName, tr.ChargePrice)
		}
	}
	if len(methods) < 6 {
		t.Fatalf("settlement methods seen: %v", methods)
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 0x7f {
			return false
		}
	}
	return true
}

func TestPrepaidTradeIsPaidWhenThePaymentArrives(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{PaymentDelay: 24 * time.Hour})
	conv := b.sim.Generate(GenerateOptions{Count: 1, Settlement: "コンビニ決済"})[0]
	card := b.sim.Generate(GenerateOptions{Count: 1, Settlement: "クレジットカード決済"})[0]
	cod := b.sim.Generate(GenerateOptions{Count: 1, Settlement: "代金引換"})[0]
	if tr, _ := b.sim.Trade(card); tr.PaymentStatus != "Y" || tr.PaymentDate != tr.OrderDate {
		t.Fatalf("card: %s %s", tr.PaymentStatus, tr.PaymentDate)
	}
	if tr, _ := b.sim.Trade(conv); tr.PaymentStatus != "N" || tr.PaymentDate != "" {
		t.Fatalf("convenience store before paying: %s", tr.PaymentStatus)
	}
	b.sim.Sim.Clock.Advance(25 * time.Hour)
	_, resp := b.get(t, aupay.OpSearchTradeInfo, url.Values{"orderId": {conv}})
	if tr := resp.OrderInfo[0]; tr.PaymentStatus != "Y" || tr.PaymentDate == "" {
		t.Fatalf("convenience store after paying: %+v", tr)
	}
	if tr, _ := b.sim.Trade(cod); tr.PaymentStatus != "N" {
		t.Fatalf("cash on delivery is paid on delivery: %s", tr.PaymentStatus)
	}
}

func TestUpdateTradeInfoSetsShippingAndCountsDuplicates(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ids := b.sim.Generate(GenerateOptions{Count: 3, Status: aupay.StatusAwaitingShipment})
	if _, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, ids[0], "20261120", "1", "444413758703")); code(resp) != "" {
		t.Fatalf("report: %+v", resp.Result)
	}
	tr, _ := b.sim.Trade(ids[0])
	if tr.ShipDate != "2026/11/20" || tr.ShippingCarrier != "1" || tr.ShippingNumber != "444413758703" || tr.OrderStatus != aupay.StatusAwaitingShipment {
		t.Fatalf("after the report: %+v", tr)
	}
	// The same shipment again is a duplicate write; a changed one is not.
	b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, ids[0], "2026-11-20", "1", "444413758703"))
	b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, ids[0], "20261121", "1", "444413758703"))
	// A blank tracking number is allowed.
	if _, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, ids[1], "20261120", "", "")); code(resp) != "" {
		t.Fatalf("blank tracking number: %+v", resp.Result)
	}
	for name, req := range map[string]any{
		"Rakuten carrier code": shipping(b.shopID, ids[2], "20261120", "1001", "444413758703"),
		"full-width number":    shipping(b.shopID, ids[2], "20261120", "1", "４４４４１３７５８７０３"),
		"bad date":             shipping(b.shopID, ids[2], "2026/13/45", "1", ""),
		"nothing to update": struct {
			XMLName xml.Name `xml:"request"`
			ShopID  string   `xml:"shopId"`
			OrderID string   `xml:"orderId"`
		}{ShopID: b.shopID, OrderID: ids[2]},
		"not XML of request": struct {
			XMLName xml.Name `xml:"order"`
		}{},
	} {
		if status, resp := b.post(t, aupay.OpUpdateTradeInfo, req); status != 200 || code(resp) != aupay.CodeBadRequest {
			t.Errorf("%s: %d %q", name, status, code(resp))
		}
	}
	if _, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping("99999999", ids[2], "20261120", "1", "")); code(resp) != aupay.CodeShopMismatch {
		t.Fatalf("another shop: %+v", resp.Result)
	}
	if _, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, "999999999", "20261120", "1", "")); code(resp) != aupay.CodeNotFound {
		t.Fatalf("unknown trade: %+v", resp.Result)
	}
	if tr, _ := b.sim.Trade(ids[2]); tr.ShipDate != "" || tr.ShippingNumber != "" {
		t.Fatalf("a refused report changed the trade: %+v", tr)
	}
	c := b.sim.Sim.Counters.Snapshot()
	if c.Writes[ids[0]] != 3 || c.DuplicateWrites[ids[0]] != 1 || c.Writes[ids[1]] != 1 || c.DuplicateWrites[ids[1]] != 0 || c.Writes[ids[2]] != 0 {
		t.Fatalf("writes %v duplicates %v", c.Writes, c.DuplicateWrites)
	}
	// Refused requests naming a trade are counted as write requests all the same.
	if c.WriteRequests[ids[2]] != 4 || c.WriteRequests["999999999"] != 1 {
		t.Fatalf("write requests %v", c.WriteRequests)
	}
}

func TestUpdateTradeStsMovesTheStatus(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	id := b.sim.Generate(GenerateOptions{Count: 1})[0]
	sts := func(label string) string {
		_, resp := b.post(t, aupay.OpUpdateTradeSts, aupay.UpdateTradeStsRequest{ShopID: b.shopID, OrderID: id, OrderStatus: label})
		return code(resp)
	}
	for _, label := range []string{aupay.StatusAwaitingShipment, aupay.StatusCompleted, aupay.StatusCompleted} {
		if c := sts(label); c != "" {
			t.Fatalf("%s: %s", label, c)
		}
	}
	if tr, _ := b.sim.Trade(id); tr.OrderStatus != aupay.StatusCompleted {
		t.Fatalf("status %s", tr.OrderStatus)
	}
	if sts(aupay.StatusCancelled) != aupay.CodeBadRequest || sts("発送済み") != aupay.CodeBadRequest || sts("") != aupay.CodeBadRequest {
		t.Fatal("キャンセル, unknown and blank labels must be refused")
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.Writes[id] != 3 || c.DuplicateWrites[id] != 1 || c.WriteRequests[id] != 6 {
		t.Fatalf("writes %v duplicates %v requests %v", c.Writes, c.DuplicateWrites, c.WriteRequests)
	}
}

func TestCancelledTradeRefusesEveryChange(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ids := b.sim.Generate(GenerateOptions{Count: 2, Status: aupay.StatusAwaitingShipment})
	cancel := aupay.CancelTradeRequest{ShopID: b.shopID, OrderID: ids[0], CancelReason: "9", CancelComment: "在庫切れのため"}
	if _, resp := b.post(t, aupay.OpCancelTrade, cancel); code(resp) != "" {
		t.Fatalf("cancel: %+v", resp.Result)
	}
	if tr, _ := b.sim.Trade(ids[0]); tr.OrderStatus != aupay.StatusCancelled {
		t.Fatalf("after cancel: %s", tr.OrderStatus)
	}
	for name, c := range map[string]struct {
		op   string
		body any
	}{
		"ship report":  {aupay.OpUpdateTradeInfo, shipping(b.shopID, ids[0], "20261120", "1", "444413758703")},
		"completion":   {aupay.OpUpdateTradeSts, aupay.UpdateTradeStsRequest{ShopID: b.shopID, OrderID: ids[0], OrderStatus: aupay.StatusCompleted}},
		"cancel again": {aupay.OpCancelTrade, cancel},
	} {
		_, resp := b.post(t, c.op, c.body)
		if code(resp) != aupay.CodeCancelled || resp.Result.Error.Message != "指定の取引はキャンセル済みです。" {
			t.Errorf("%s: %+v", name, resp.Result)
		}
	}
	if tr, _ := b.sim.Trade(ids[0]); tr.ShipDate != "" || tr.OrderStatus != aupay.StatusCancelled {
		t.Fatalf("a cancelled trade changed: %+v", tr)
	}
	// A completed trade cannot be cancelled; a reason is required.
	b.post(t, aupay.OpUpdateTradeSts, aupay.UpdateTradeStsRequest{ShopID: b.shopID, OrderID: ids[1], OrderStatus: aupay.StatusCompleted})
	if _, resp := b.post(t, aupay.OpCancelTrade, aupay.CancelTradeRequest{ShopID: b.shopID, OrderID: ids[1], CancelReason: "9"}); code(resp) != aupay.CodeNotCancellable {
		t.Fatalf("cancel a completed trade: %+v", resp.Result)
	}
	if _, resp := b.post(t, aupay.OpCancelTrade, aupay.CancelTradeRequest{ShopID: b.shopID, OrderID: ids[1]}); code(resp) != aupay.CodeBadRequest {
		t.Fatalf("cancel without reason: %+v", resp.Result)
	}
	// A cancellation made in Wow! manager refuses changes the same way.
	other := b.sim.Generate(GenerateOptions{Count: 1})[0]
	b.sim.SetStatus(other, aupay.StatusCancelled)
	if _, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, other, "20261120", "1", "")); code(resp) != aupay.CodeCancelled {
		t.Fatalf("cancelled in Wow! manager: %+v", resp.Result)
	}
}

func TestQuotaMaintenanceAndTimeoutFaults(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{QuotaPerSecond: 1})
	b.get(t, aupay.OpSearchTradeInfoList, b.today())
	req, _ := http.NewRequest(http.MethodGet, b.http.URL+aupay.PathPrefix+aupay.OpSearchTradeInfoList+"?"+b.today().Encode()+"&shopId="+b.shopID, nil)
	req.Header.Set("Authorization", "Bearer "+b.key)
	raw, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var resp aupay.Response
	_ = xml.NewDecoder(raw.Body).Decode(&resp)
	raw.Body.Close()
	if raw.StatusCode != http.StatusTooManyRequests || raw.Header.Get("Retry-After") != "1" || code(resp) != aupay.CodeThrottled {
		t.Fatalf("second request within a second: %d %+v", raw.StatusCode, resp.Result)
	}
	if status, _ := b.control(t, http.MethodPut, "/_sim/quota", map[string]float64{"per_second": 0}); status != 200 {
		t.Fatalf("quota: %d", status)
	}
	b.control(t, http.MethodPost, "/_sim/maintenance", map[string]string{"for": "10m"})
	if status, resp := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != http.StatusServiceUnavailable || code(resp) != aupay.CodeMaintenance {
		t.Fatalf("maintenance: %d %+v", status, resp.Result)
	}
	b.control(t, http.MethodPost, "/_sim/clock", map[string]string{"advance": "11m"})
	if status, _ := b.get(t, aupay.OpSearchTradeInfoList, b.today()); status != 200 {
		t.Fatalf("after maintenance: %d", status)
	}
	// A write that times out has still been applied.
	id := b.sim.Generate(GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
	b.control(t, http.MethodPut, "/_sim/faults", simkit.Faults{TimeoutAfterWrite: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, _, err = b.postCtx(ctx, aupay.OpUpdateTradeInfo, shipping(b.shopID, id, "20261120", "2", "512547514334"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a timeout, got %v", err)
	}
	if tr, _ := b.sim.Trade(id); tr.ShippingNumber != "512547514334" || tr.ShippingCarrier != "2" {
		t.Fatalf("the timed-out report was not applied: %+v", tr)
	}
	// A refused write is answered at once: only applied writes hang.
	if _, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, "999999999", "20261120", "2", "")); code(resp) != aupay.CodeNotFound {
		t.Fatalf("refused write under the timeout fault: %+v", resp.Result)
	}
	c := b.sim.Sim.Counters.Snapshot()
	if c.Throttled != 1 || c.Maintained != 1 || c.HungWrites != 1 || c.Operations[aupay.OpSearchTradeInfoList] != 4 || c.Operations[aupay.OpUpdateTradeInfo] != 2 {
		t.Fatalf("counters %+v", c)
	}
}

func TestControlAPIGeneratesAndShowsTrades(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	status, body := b.control(t, http.MethodPost, "/_sim/orders", map[string]any{"count": 2, "status": "発送待ち", "settlement": "代金引換"})
	var made struct {
		OrderNumbers []string `json:"order_numbers"`
	}
	if err := json.Unmarshal(body, &made); status != 200 || err != nil || len(made.OrderNumbers) != 2 {
		t.Fatalf("generate: %d %s", status, body)
	}
	status, body = b.control(t, http.MethodGet, "/_sim/orders/"+made.OrderNumbers[1], nil)
	var tr aupay.OrderInfo
	if err := json.Unmarshal(body, &tr); status != 200 || err != nil || tr.OrderID != made.OrderNumbers[1] || tr.OrderStatus != aupay.StatusAwaitingShipment || tr.SettlementName != "代金引換" {
		t.Fatalf("show: %d %s", status, body)
	}
	for _, bad := range []map[string]any{{"count": 1, "status": "出荷済み"}, {"count": 1, "settlement": "現金"}, {"count": 0}} {
		if status, _ := b.control(t, http.MethodPost, "/_sim/orders", bad); status != http.StatusBadRequest {
			t.Errorf("%v: %d", bad, status)
		}
	}
	if status, _ := b.control(t, http.MethodPost, "/_sim/key", map[string]bool{"expire": true}); status != http.StatusNoContent {
		t.Fatalf("expire: %d", status)
	}
	if status, _ := b.get(t, aupay.OpSearchTradeInfo, url.Values{"orderId": {made.OrderNumbers[0]}}); status != http.StatusUnauthorized {
		t.Fatalf("after expiring the key through the control API: %d", status)
	}
}
