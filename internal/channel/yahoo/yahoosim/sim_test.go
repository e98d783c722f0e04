package yahoosim

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/simkit"
)

type testBundle struct {
	sim    *Server
	http   *httptest.Server
	client *yahoo.Client
}

func setup(t *testing.T, cfg Config) *testBundle {
	t.Helper()
	sim := New(cfg)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	creds := sim.Credentials()
	creds["endpoint"] = srv.URL
	c, err := yahoo.NewClient(channel.Account{ShopID: 1, ShopName: "テスト店", Credentials: creds, BaseURL: srv.URL, HTTP: &http.Client{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{sim: sim, http: srv, client: c.(*yahoo.Client)}
}

// token gets an access token for raw requests.
func (b *testBundle) token(t *testing.T) string {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {b.sim.cfg.RefreshToken}}
	req, _ := http.NewRequest(http.MethodPost, b.http.URL+yahoo.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(b.sim.cfg.ClientID, b.sim.cfg.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		AccessToken string `json:"access_token"`
	}
	if err := jsonDecode(resp.Body, &a); err != nil || a.AccessToken == "" {
		t.Fatalf("token: %v %s", err, resp.Status)
	}
	return a.AccessToken
}

// raw posts body to op with the access token and returns the status and the body.
func (b *testBundle) raw(t *testing.T, token, op string, body any) (int, http.Header, []byte) {
	t.Helper()
	x, _ := xml.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, b.http.URL+yahoo.PathPrefix+op, bytes.NewReader(x))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, out
}

func errorOf(t *testing.T, body []byte) yahoo.ErrorAnswer {
	t.Helper()
	var e yahoo.ErrorAnswer
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("not an <Error>: %s", body)
	}
	return e
}

func classOf(err error) (channel.Class, string) {
	var e *channel.Error
	if errors.As(err, &e) {
		return e.Class, e.Code
	}
	return 0, ""
}

func TestOrderListPagesWithTotalCountAndOnlyTheFieldsAsked(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	now := b.sim.Sim.Clock.Now()
	ids := b.sim.Generate(GenerateOptions{Count: 25, At: now.Add(-time.Minute)})
	token := b.token(t)
	req := yahoo.OrderListRequest{SellerID: DefaultSellerID, Search: yahoo.Search{Result: 10, Start: 11, Field: "OrderId,OrderStatus",
		Condition: yahoo.Condition{OrderTimeFrom: yahoo.FormatTime(now.Add(-time.Hour)), OrderTimeTo: yahoo.FormatTime(now)}}}
	status, _, body := b.raw(t, token, yahoo.OpOrderList, req)
	var res yahoo.ListResult
	if err := xml.Unmarshal(body, &res); err != nil || status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	if res.Status != "OK" || res.Search.TotalCount != 25 || len(res.Search.OrderInfo) != 10 {
		t.Fatalf("TotalCount %d, %d orders", res.Search.TotalCount, len(res.Search.OrderInfo))
	}
	first := res.Search.OrderInfo[0]
	if first.Index != 11 || first.OrderID != ids[10] || first.OrderStatus != "2" || first.OrderTime != "" {
		t.Errorf("first of the page: %+v, want index 11, %s, status 2 and no OrderTime (not asked)", first, ids[10])
	}
	// One hit is one OrderInfo; none is no OrderInfo at all.
	req.Search = yahoo.Search{Field: "OrderId", Condition: yahoo.Condition{OrderID: ids[3]}}
	_, _, body = b.raw(t, token, yahoo.OpOrderList, req)
	if n := bytes.Count(body, []byte("<OrderInfo>")); n != 1 {
		t.Errorf("search by OrderId: %d OrderInfo", n)
	}
	req.Search.Condition.OrderID = DefaultSellerID + "-99999999"
	_, _, body = b.raw(t, token, yahoo.OpOrderList, req)
	if bytes.Contains(body, []byte("<OrderInfo")) || !bytes.Contains(body, []byte("<TotalCount>0</TotalCount>")) {
		t.Errorf("no match: %s", body)
	}
	// Neither an OrderId nor a time range: refused.
	req.Search.Condition = yahoo.Condition{}
	status, _, body = b.raw(t, token, yahoo.OpOrderList, req)
	if e := errorOf(t, body); status != http.StatusBadRequest || e.Code != yahoo.CodeBadRequest {
		t.Errorf("no condition: %d %+v", status, e)
	}
}

func TestImportReadsEveryOrderAcrossPages(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	now := b.sim.Sim.Clock.Now()
	ids := b.sim.Generate(GenerateOptions{Count: yahoo.PageSize + 5, At: now.Add(-time.Minute)})
	cancelled := ids[7]
	if err := b.sim.Cancel(cancelled); err != nil {
		t.Fatal(err)
	}
	orders, err := b.client.Fetch(context.Background(), now.Add(-time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != len(ids)-1 {
		t.Fatalf("%d orders imported, want %d (all but the cancelled one)", len(orders), len(ids)-1)
	}
	for _, o := range orders {
		if o.Number == cancelled {
			t.Errorf("cancelled order %s imported", cancelled)
		}
		if len(o.Lines) == 0 || o.Buyer.Name == "" || o.Packages[0].ShipTo.Address == "" {
			t.Fatalf("order %s read without its lines or addresses: %+v", o.Number, o)
		}
	}
}

func TestOrderInfoAnswersTheGroupsAndIsNearlyEmptyWithoutField(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	id := b.sim.Generate(GenerateOptions{Count: 1, PayMethod: "payment_d1"})[0]
	info, err := b.client.GetOrder(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if info.Pay.PayMethod != "payment_d1" || info.Detail.PayCharge != 330 || info.Ship.ShipLastName == "" || len(info.Items) == 0 {
		t.Errorf("orderInfo: %+v", info)
	}
	if info.IsSeen {
		t.Error("reading an order through orderInfo marked it seen")
	}
	_, _, body := b.raw(t, b.token(t), yahoo.OpOrderInfo, yahoo.OrderInfoRequest{SellerID: DefaultSellerID, Target: yahoo.InfoTarget{OrderID: id}})
	if bytes.Contains(body, []byte("<Pay>")) {
		t.Errorf("without Field the answer holds the groups: %s", body)
	}
	_, err = b.client.GetOrder(context.Background(), DefaultSellerID+"-99999999")
	if class, code := classOf(err); class != channel.Rejected || code != yahoo.CodeNotFound {
		t.Errorf("unknown order: %v", err)
	}
}

func TestOrderStatusChangeTakesCompletesAndRefusesCancelledOrders(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ctx := context.Background()
	ids := b.sim.Generate(GenerateOptions{Count: 3})
	// 処理中 on a new order marks it seen, and only once is it a change.
	if err := b.client.SetStatus(ctx, ids[0], yahoo.OrderProcessing, ""); err != nil {
		t.Fatal(err)
	}
	if info, _ := b.sim.Order(ids[0]); !info.IsSeen || info.OrderStatus != yahoo.OrderProcessing {
		t.Errorf("after 処理中: %+v", info)
	}
	_ = b.client.SetStatus(ctx, ids[0], yahoo.OrderProcessing, "")
	if c := b.sim.Sim.Counters.Snapshot(); c.Writes[ids[0]] != 2 || c.DuplicateWrites[ids[0]] != 1 {
		t.Errorf("writes %d, duplicates %d: want the second 処理中 counted a duplicate", c.Writes[ids[0]], c.DuplicateWrites[ids[0]])
	}
	// 完了 without IsPointFix is refused.
	token := b.token(t)
	status, _, body := b.raw(t, token, yahoo.OpOrderStatusChange, yahoo.StatusChangeRequest{SellerID: DefaultSellerID,
		Target: yahoo.ChangeTarget{OrderID: ids[0], IsPointFix: new(bool)}, Order: yahoo.StatusChange{OrderStatus: yahoo.OrderCompleted}})
	if status != http.StatusBadRequest || !strings.Contains(errorOf(t, body).Message, "IsPointFix") {
		t.Errorf("完了 with IsPointFix false: %d %s", status, body)
	}
	// キャンセル needs a reason; a cancelled order takes no change.
	if err := b.client.SetStatus(ctx, ids[1], yahoo.OrderCancelled, ""); err == nil {
		t.Error("cancel without CancelReason accepted")
	}
	if err := b.client.SetStatus(ctx, ids[1], yahoo.OrderCancelled, "210"); err != nil {
		t.Fatal(err)
	}
	err := b.client.SetStatus(ctx, ids[1], yahoo.OrderCompleted, "")
	var e *channel.Error
	if !errors.As(err, &e) || e.Class != channel.Rejected || !strings.Contains(e.Message, yahoo.MsgCancelOperated) {
		t.Errorf("completing a cancelled order: %v", err)
	}
	if err := b.client.SetStatus(ctx, ids[2], yahoo.OrderCompleted, ""); err != nil {
		t.Errorf("completing an order: %v", err)
	}
}

func TestCompletionIsRefusedRightAfterTheShipStatusChange(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ctx := context.Background()
	id := b.sim.Generate(GenerateOptions{Count: 1, Seen: true})[0]
	if err := b.client.ReportShipment(ctx, id, yahoo.ShipChange{ShipStatus: yahoo.ShipShipped, ShipCompanyCode: "1001", ShipInvoiceNumber1: "444413758703", ShipDate: "20261201"}); err != nil {
		t.Fatal(err)
	}
	err := b.client.SetStatus(ctx, id, yahoo.OrderCompleted, "")
	if class, code := classOf(err); class != channel.Rejected || code != yahoo.CodeCompleteTooSoon {
		t.Fatalf("completion right after the ship report: %v", err)
	}
	b.sim.Sim.Clock.Advance(11 * time.Second)
	if err := b.client.SetStatus(ctx, id, yahoo.OrderCompleted, ""); err != nil {
		t.Errorf("completion after the wait: %v", err)
	}
}

func TestOrderShipStatusChangeKeepsInvoiceAndEmptyReasonApart(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ctx := context.Background()
	ids := b.sim.Generate(GenerateOptions{Count: 2, Seen: true})
	both := yahoo.ShipChange{ShipStatus: 3, ShipCompanyCode: "1001", ShipInvoiceNumber1: "444413758703", ShipInvoiceNumberEmptyReason: "105"}
	if _, code := classOf(b.client.ReportShipment(ctx, ids[0], both)); code != yahoo.CodeInvoiceExclusive {
		t.Errorf("invoice and EmptyReason together: %s", code)
	}
	if err := b.client.ReportShipment(ctx, ids[0], yahoo.ShipChange{ShipStatus: 3, ShipCompanyCode: "1001", ShipInvoiceNumber1: "4444-1375-8703-1", ShipDate: "20261201"}); err == nil {
		t.Error("a Yamato number over 14 bytes accepted")
	}
	ok := yahoo.ShipChange{ShipStatus: 3, ShipCompanyCode: "1001", ShipInvoiceNumber1: "444413758703", ShipDate: "20261201"}
	if err := b.client.ReportShipment(ctx, ids[0], ok); err != nil {
		t.Fatal(err)
	}
	info, _ := b.sim.Order(ids[0])
	if !info.HoldsShipment(ok) || info.Ship.ShipStatus != yahoo.ShipShipped {
		t.Errorf("after the report: %+v", info.Ship)
	}
	// The order holds a number now: an EmptyReason alone is refused.
	if _, code := classOf(b.client.ReportShipment(ctx, ids[0], yahoo.ShipChange{ShipStatus: 3, ShipInvoiceNumberEmptyReason: "105"})); code != yahoo.CodeInvoiceExclusive {
		t.Errorf("EmptyReason over a stored number: %s", code)
	}
	if err := b.client.ReportShipment(ctx, ids[1], yahoo.ShipChange{ShipStatus: 3, ShipInvoiceNumberEmptyReason: "101", ShipDate: "20261201"}); err != nil {
		t.Errorf("EmptyReason without a number: %v", err)
	}
}

func TestOrderPayStatusChangeCountAndHistory(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ctx := context.Background()
	ids := b.sim.Generate(GenerateOptions{Count: 3, PayMethod: "payment_b1"})
	if n, err := b.client.Count(ctx); err != nil || n.NewOrder != 3 {
		t.Fatalf("orderCount: %+v %v", n, err)
	}
	if err := b.client.SetPayStatus(ctx, ids[0], yahoo.PayPaid, b.sim.Sim.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	info, _ := b.sim.Order(ids[0])
	if info.Pay.PayStatus != yahoo.PayPaid || info.Pay.PayDate == "" || !info.IsSeen {
		t.Errorf("after orderPayStatusChange: %+v seen %v", info.Pay, info.IsSeen)
	}
	if n, _ := b.client.Count(ctx); n.NewOrder != 2 {
		t.Errorf("orderCount after an update: %d new, want 2 (updating marks seen)", n.NewOrder)
	}
	changes, err := b.client.History(ctx, ids[0])
	if err != nil || len(changes) != 1 || changes[0].Operation != "入金ステータス変更" {
		t.Errorf("orderChangeHistory: %+v %v", changes, err)
	}
	// A prepaid order is paid by the buyer after PaymentDelay.
	b.sim.Sim.Clock.Advance(25 * time.Hour)
	if info, _ := b.sim.Order(ids[1]); info.Pay.PayStatus != yahoo.PayPaid || info.Ship.ShipStatus != yahoo.ShipReady {
		t.Errorf("prepaid order a day later: %+v", info)
	}
}

func TestAuthorizationCodeFlowIssuesARefreshToken(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	callback := "https://shop.example.jp/yahoo/callback"
	page, err := http.Get(b.http.URL + yahoo.AuthorizePath + "?response_type=code&client_id=" + url.QueryEscape(DefaultClientID) + "&redirect_uri=" + url.QueryEscape(callback) + "&state=xyz")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(html), "同意する") {
		t.Fatalf("consent screen: %s", page.Status)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(b.http.URL+yahoo.AuthorizePath, url.Values{"client_id": {DefaultClientID}, "redirect_uri": {callback}, "state": {"xyz"}, "consent": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || back.Query().Get("state") != "xyz" || back.Query().Get("code") == "" {
		t.Fatalf("consent: %s → %s", resp.Status, back)
	}
	ctx := context.Background()
	if _, err := yahoo.Exchange(ctx, nil, b.http.URL+yahoo.TokenPath, DefaultClientID, DefaultClientSecret, back.Query().Get("code"), "https://other.example.jp/cb"); err == nil {
		t.Error("a code exchanged for another redirect_uri")
	}
	code := b.sim.Authorize(callback)
	a, err := yahoo.Exchange(ctx, nil, b.http.URL+yahoo.TokenPath, DefaultClientID, DefaultClientSecret, code, callback)
	if err != nil || a.RefreshToken == "" || a.ExpiresIn != 3600 {
		t.Fatalf("exchange: %+v %v", a, err)
	}
	if _, err := yahoo.Exchange(ctx, nil, b.http.URL+yahoo.TokenPath, DefaultClientID, DefaultClientSecret, code, callback); err == nil {
		t.Error("a code used twice")
	}
	creds := b.sim.Credentials()
	creds["endpoint"], creds["refreshToken"] = b.http.URL, a.RefreshToken
	c, _ := yahoo.NewClient(channel.Account{Credentials: creds, BaseURL: b.http.URL})
	if _, err := c.(*yahoo.Client).Count(ctx); err != nil {
		t.Errorf("a call with the new refresh token: %v", err)
	}
}

func TestExpiredAccessTokenIsReplacedByItself(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	ctx := context.Background()
	if _, err := b.client.Count(ctx); err != nil {
		t.Fatal(err)
	}
	b.sim.ExpireAccessTokens()
	// The raw answer: 401 with Yahoo's WWW-Authenticate.
	status, header, _ := b.raw(t, "no-such-token", yahoo.OpOrderList, yahoo.OrderListRequest{})
	if status != http.StatusUnauthorized || !strings.Contains(header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("unknown token: %d %v", status, header)
	}
	before := b.sim.Sim.Counters.Snapshot().AuthFailed
	if _, err := b.client.Count(ctx); err != nil {
		t.Fatalf("after the access token expired: %v", err)
	}
	if n := b.sim.Sim.Counters.Snapshot().AuthFailed - before; n != 1 {
		t.Errorf("%d refused calls, want the one that found the token expired", n)
	}
}

func TestRefusedRefreshIsAnAuthError(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{AccessLifetime: time.Minute})
	b.sim.RevokeRefreshTokens()
	_, err := b.client.Count(context.Background())
	if class, code := classOf(err); class != channel.Auth || code != "invalid_grant" {
		t.Errorf("refused refresh: %v", err)
	}
}

func TestSessionWithoutThePublicKeyEndsAfterTwelveHoursAndWithItAfterFourWeeks(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{AccessLifetime: 24 * time.Hour})
	ctx := context.Background()
	unsigned := *b.client
	unsigned.Signer = nil
	for _, c := range []*yahoo.Client{b.client, &unsigned} {
		if _, err := c.Count(ctx); err != nil {
			t.Fatal(err)
		}
	}
	b.sim.Sim.Clock.Advance(yahoo.SessionWithoutKey + time.Minute)
	_, err := unsigned.Count(ctx)
	if class, code := classOf(err); class != channel.Auth || code != yahoo.CodeTokenExpired {
		t.Errorf("after 12 hours without the public key: %v", err)
	}
	if _, err := b.client.Count(ctx); err != nil {
		t.Errorf("after 12 hours with the public key: %v", err)
	}
	b.sim.Sim.Clock.Advance(yahoo.RefreshTokenLifetime)
	_, err = b.client.Count(ctx)
	if class, code := classOf(err); class != channel.Auth || (code != "invalid_grant" && code != yahoo.CodeTokenExpired) {
		t.Errorf("after four weeks: %v", err)
	}
}

func TestSignatureCheckIsAnsweredInTheAuthorizeStatus(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	list := yahoo.OrderListRequest{SellerID: DefaultSellerID, Search: yahoo.Search{Field: "OrderId", Condition: yahoo.Condition{OrderID: "x"}}}
	good, _ := yahoo.NewSigner(storePublicKeyPEM(), "1", DefaultSellerID)
	other, _ := yahoo.NewSigner(storePublicKeyPEM(), "1", "another-store")
	token := b.token(t)
	for _, c := range []struct {
		signer *yahoo.Signer
		want   string
	}{{nil, "none"}, {good, "authorized"}, {other, "invalid-sellerid"}} {
		x, _ := xml.Marshal(list)
		req, _ := http.NewRequest(http.MethodPost, b.http.URL+yahoo.PathPrefix+yahoo.OpOrderList, bytes.NewReader(x))
		req.Header.Set("Authorization", "Bearer "+token)
		if c.signer != nil {
			sig, v, _ := c.signer.Headers(b.sim.Sim.Clock.Now())
			req.Header.Set(yahoo.HeaderSignature, sig)
			req.Header.Set(yahoo.HeaderSignatureVersion, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get(yahoo.HeaderAuthorizeStatus); got != c.want || resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, %s", c.want, resp.StatusCode, got)
		}
	}
}

func TestApplicationNotRegisteredForTheOrderAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	b.sim.SetOrderAPI(false)
	_, err := b.client.Count(context.Background())
	if class, code := classOf(err); class != channel.Auth || code != yahoo.CodeNotRegistered {
		t.Errorf("px-04303: %v", err)
	}
}

func TestDailyCapRefusesUntilMidnightJapanTime(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{DailyCap: 2})
	ctx := context.Background()
	for range 2 {
		if _, err := b.client.Count(ctx); err != nil {
			t.Fatal(err)
		}
	}
	_, err := b.client.Count(ctx)
	var e *channel.Error
	if !errors.As(err, &e) || e.Class != channel.Transient || e.HTTPStatus != http.StatusForbidden || e.RetryAfter <= 0 || e.RetryAfter > 24*time.Hour+time.Minute {
		t.Fatalf("over the daily cap: %v", err)
	}
	if used, limit := b.sim.Usage(); used != 3 || limit != 2 {
		t.Errorf("usage %d/%d", used, limit)
	}
	b.sim.Sim.Clock.Advance(24 * time.Hour) // the next day in Japan, past the session too: authorised again
	callback := "https://shop.example.jp/cb"
	a, err := yahoo.Exchange(ctx, nil, b.http.URL+yahoo.TokenPath, DefaultClientID, DefaultClientSecret, b.sim.Authorize(callback), callback)
	if err != nil {
		t.Fatal(err)
	}
	b.client.RefreshToken = a.RefreshToken
	if _, err := b.client.Count(ctx); err != nil {
		t.Errorf("the next day: %v", err)
	}
}

func TestPerURLQuotaBlocksTheURLForAWhile(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{QuotaPerSecond: 1, BlockFor: time.Hour})
	token := b.token(t)
	list := yahoo.OrderListRequest{SellerID: DefaultSellerID, Search: yahoo.Search{Field: "OrderId", Condition: yahoo.Condition{OrderID: "x"}}}
	if status, _, body := b.raw(t, token, yahoo.OpOrderList, list); status != http.StatusOK {
		t.Fatalf("first call: %d %s", status, body)
	}
	status, header, _ := b.raw(t, token, yahoo.OpOrderList, list)
	if status != http.StatusTooManyRequests || header.Get("Retry-After") != "3600" {
		t.Fatalf("second call within the second: %d Retry-After %q", status, header.Get("Retry-After"))
	}
	if status, _, _ := b.raw(t, token, yahoo.OpOrderInfo, yahoo.OrderInfoRequest{SellerID: DefaultSellerID, Target: yahoo.InfoTarget{OrderID: "x"}}); status == http.StatusTooManyRequests {
		t.Error("another URL was blocked too")
	}
	// Blocked, the URL is refused before the quota is even counted: a third call is answered by
	// the block, not as another request over the quota.
	if status, _, _ := b.raw(t, token, yahoo.OpOrderList, list); status != http.StatusTooManyRequests {
		t.Errorf("third call while blocked: %d", status)
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.OverQuota != 1 {
		t.Errorf("over quota %d, want 1: the block did not answer", c.OverQuota)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func TestImportInPartsReadsOnlyWhatIsMissing(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	now := b.sim.Sim.Clock.Now()
	ids := b.sim.Generate(GenerateOptions{Count: 30, At: now.Add(-time.Minute)})
	held := map[string]time.Time{}
	b.client.Stored = func(_ context.Context, numbers []string) (map[string]time.Time, error) {
		out := map[string]time.Time{}
		for _, n := range numbers {
			if at, ok := held[n]; ok {
				out[n] = at
			}
		}
		return out, nil
	}
	// Each call takes 250 ms: a run given 3 s reads for half of it and stops, long before the
	// 30 orders' 7.5 s, with room for a busy machine's own delays.
	b.sim.Sim.Faults.Set(simkit.Faults{Latency: simkit.Duration(250 * time.Millisecond)})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	first, err := b.client.Fetch(ctx, now.Add(-time.Hour), now)
	cancel()
	if !errors.Is(err, channel.ErrPartial) || len(first) == 0 || len(first) >= len(ids) {
		t.Fatalf("a short run: %d orders, %v; want some with channel.ErrPartial", len(first), err)
	}
	for _, o := range first {
		held[o.Number] = o.MarketplaceUpdatedAt
	}
	b.sim.Sim.Faults.Set(simkit.Faults{})
	before := b.sim.Sim.Counters.Snapshot().Operations[yahoo.OpOrderInfo]
	rest, err := b.client.Fetch(context.Background(), now.Add(-time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	read := b.sim.Sim.Counters.Snapshot().Operations[yahoo.OpOrderInfo] - before
	if len(rest) != len(ids)-len(first) || read != len(rest) {
		t.Errorf("the next run read %d orders and returned %d, want the %d missing", read, len(rest), len(ids)-len(first))
	}
	// An order changed at Yahoo since it was stored is read again.
	if err := b.client.SetStatus(context.Background(), first[0].Number, yahoo.OrderProcessing, ""); err != nil {
		t.Fatal(err)
	}
	for _, o := range rest {
		held[o.Number] = o.MarketplaceUpdatedAt
	}
	b.sim.Sim.Clock.Advance(time.Second)
	again, err := b.client.Fetch(context.Background(), now.Add(-time.Hour), now)
	if err != nil || len(again) != 1 || again[0].Number != first[0].Number {
		t.Errorf("after a change at Yahoo: %d orders, %v; want the changed one", len(again), err)
	}
}

// An import reads the orders that changed in its window (LastUpdateTime) as well as those placed
// in it, paged; an order that changes again while the pages are read leaves the window and moves
// every later order up one place, and still no order is skipped. A cancelled order is read when
// ichigen holds it; an order unchanged since ichigen stored it is not read.
func TestImportReadsChangedOrdersByLastUpdateTimeAcrossPages(t *testing.T) {
	t.Parallel()
	sim := New(Config{})
	now := sim.Sim.Clock.Now()
	from, to := now.Add(-10*time.Minute), now.Add(10*time.Minute)
	ids := sim.Generate(GenerateOptions{Count: yahoo.PageSize + 5, PayMethod: "payment_d1", At: now.Add(-2 * time.Hour)})
	sim.mu.Lock()
	sorted := sim.sortedIDs(func(*simOrder) bool { return true }, false)
	sim.mu.Unlock()
	cancelled, mover, unchanged := sorted[0], sorted[1], sorted[len(sorted)-1]
	stored := map[string]time.Time{}
	for _, id := range ids {
		info, _ := sim.Order(id)
		stored[id], _ = yahoo.ParseTime(info.LastUpdateTime)
	}
	sim.mu.Lock()
	for _, id := range sorted[:len(sorted)-1] {
		sim.touch(sim.orders[id], now.Add(-5*time.Minute), "変更", "テスト")
	}
	sim.mu.Unlock()
	if err := sim.Cancel(cancelled); err != nil {
		t.Fatal(err)
	}
	// After the first page of the search by LastUpdateTime, the mover changes again, after the window.
	var pages int
	handler := sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		handler.ServeHTTP(w, r)
		if strings.HasSuffix(r.URL.Path, yahoo.OpOrderList) && bytes.Contains(body, []byte("<LastUpdateTimeFrom>")) {
			if pages++; pages == 1 {
				sim.mu.Lock()
				sim.touch(sim.orders[mover], to.Add(time.Minute), "変更", "テスト")
				sim.mu.Unlock()
			}
		}
	}))
	t.Cleanup(srv.Close)
	creds := sim.Credentials()
	creds["endpoint"] = srv.URL
	c, err := yahoo.NewClient(channel.Account{ShopID: 1, ShopName: "テスト店", Credentials: creds, BaseURL: srv.URL, HTTP: &http.Client{Timeout: 5 * time.Second},
		Stored: func(_ context.Context, numbers []string) (map[string]time.Time, error) {
			out := map[string]time.Time{}
			for _, n := range numbers {
				if at, ok := stored[n]; ok {
					out[n] = at
				}
			}
			return out, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	orders, err := c.Fetch(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, o := range orders {
		got[o.Number] = true
	}
	if pages < 2 {
		t.Fatalf("the search by LastUpdateTime took %d pages, want 2 or more", pages)
	}
	for _, id := range sorted[2 : len(sorted)-1] {
		if !got[id] {
			t.Errorf("changed order %s not read (%d of %d read)", id, len(orders), len(sorted)-2)
		}
	}
	if !got[cancelled] {
		t.Errorf("the cancellation of held order %s not read", cancelled)
	}
	if got[unchanged] {
		t.Errorf("order %s read though unchanged since it was stored", unchanged)
	}
}
