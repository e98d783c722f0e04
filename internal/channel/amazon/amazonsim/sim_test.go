package amazonsim_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon/amazonsim"
)

type testBundle struct {
	sim *amazonsim.Server
	url string
}

func setup(t *testing.T, cfg amazonsim.Config) *testBundle {
	t.Helper()
	sim := amazonsim.New(cfg)
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	return &testBundle{sim: sim, url: ts.URL}
}

// call makes a request with a token and decodes the answer into out (nil: not decoded).
func (b *testBundle) call(t *testing.T, method, path, tok string, body any, out any) *http.Response {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, b.url+path, rd)
	if tok != "" {
		req.Header.Set(amazon.AccessTokenHeader, tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp
}

func (b *testBundle) accessToken(t *testing.T) string {
	t.Helper()
	c := b.sim.Credentials()
	var tok amazon.LWAResponse
	resp := b.call(t, http.MethodPost, amazon.PathLWA, "", amazon.LWARequest{GrantType: "refresh_token", RefreshToken: c["refreshToken"], ClientID: c["clientId"], ClientSecret: c["clientSecret"]}, &tok)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(tok.AccessToken, "Atza|") || tok.ExpiresIn != 3600 {
		t.Fatalf("LWA: %s %+v", resp.Status, tok)
	}
	return tok.AccessToken
}

// TestLWARefusesARevokedRefreshToken: a refresh token the seller revoked gets invalid_grant, a
// wrong client secret invalid_client, and neither an access token.
func TestLWARefusesARevokedRefreshToken(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	c := b.sim.Credentials()
	var e amazon.LWAError
	resp := b.call(t, http.MethodPost, amazon.PathLWA, "", amazon.LWARequest{GrantType: "refresh_token", RefreshToken: c["refreshToken"], ClientID: c["clientId"], ClientSecret: "wrong"}, &e)
	if resp.StatusCode != http.StatusUnauthorized || e.Error != "invalid_client" {
		t.Fatalf("wrong secret: %s %+v", resp.Status, e)
	}
	b.accessToken(t)
	b.sim.RevokeRefreshToken()
	resp = b.call(t, http.MethodPost, amazon.PathLWA, "", amazon.LWARequest{GrantType: "refresh_token", RefreshToken: c["refreshToken"], ClientID: c["clientId"], ClientSecret: c["clientSecret"]}, &e)
	if resp.StatusCode != http.StatusBadRequest || e.Error != "invalid_grant" {
		t.Fatalf("revoked: %s %+v", resp.Status, e)
	}
}

// TestAnExpiredAccessTokenIs403: an access token past its hour is refused with the API's 403.
func TestAnExpiredAccessTokenIs403(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	tok := b.accessToken(t)
	b.sim.Sim.Clock.Advance(time.Hour)
	var e amazon.ErrorList
	resp := b.call(t, http.MethodGet, amazon.OrderPath(amazon.PathOrder, "503-0000001-0000001"), tok, nil, &e)
	if resp.StatusCode != http.StatusForbidden || len(e.Errors) != 1 || e.Errors[0].Code != amazon.CodeUnauthorized || !strings.Contains(e.Errors[0].Message, "expired") {
		t.Fatalf("%s %+v", resp.Status, e)
	}
	if resp.Header.Get(amazon.RequestIDHeader) == "" {
		t.Fatal("no x-amzn-RequestId on a 403")
	}
}

// TestBuyerDataNeedsARestrictedDataToken: getOrderAddress is refused under an access token and
// answered under an RDT naming it; getOrders gives the full address and the buyer only under an
// RDT, and a Pending order gives none even then.
func TestBuyerDataNeedsARestrictedDataToken(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	paid := b.sim.Generate(amazonsim.GenerateOptions{Count: 1})[0]
	pending := b.sim.Generate(amazonsim.GenerateOptions{Count: 1, Status: amazon.StatusPending})[0]
	tok := b.accessToken(t)
	path := amazon.OrderPath(amazon.PathAddress, paid)
	if resp := b.call(t, http.MethodGet, path, tok, nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("address under an access token: %s", resp.Status)
	}
	var rdt amazon.CreateRestrictedDataTokenResponse
	b.call(t, http.MethodPost, amazon.PathRDT, tok, amazon.CreateRestrictedDataTokenRequest{RestrictedResources: []amazon.RestrictedResource{
		{Method: "GET", Path: amazon.PathAddress}, {Method: "GET", Path: amazon.PathOrders, DataElements: []string{"buyerInfo", "shippingAddress"}}}}, &rdt)
	var addr amazon.Response[amazon.OrderAddress]
	if resp := b.call(t, http.MethodGet, path, rdt.RestrictedDataToken, nil, &addr); resp.StatusCode != http.StatusOK || addr.Payload.ShippingAddress == nil || addr.Payload.ShippingAddress.Name == "" {
		t.Fatalf("address under an RDT: %s %+v", resp.Status, addr)
	}
	search := amazon.PathOrders + "?" + url.Values{"MarketplaceIds": {amazon.MarketplaceJP}, "CreatedAfter": {amazon.FormatTime(time.Now().Add(-time.Hour))}}.Encode()
	for _, c := range []struct {
		tok      string
		wantName bool
	}{{tok, false}, {rdt.RestrictedDataToken, true}} {
		var got amazon.Response[amazon.OrdersList]
		b.call(t, http.MethodGet, search, c.tok, nil, &got)
		if got.Payload == nil || len(got.Payload.Orders) != 2 {
			t.Fatalf("search: %+v", got)
		}
		for _, o := range got.Payload.Orders {
			hasPII := o.BuyerInfo != nil || (o.ShippingAddress != nil && o.ShippingAddress.Name != "")
			if o.AmazonOrderId == pending && (hasPII || o.ShippingAddress != nil) {
				t.Errorf("pending order %s carries buyer data", pending)
			}
			if o.AmazonOrderId == paid && hasPII != c.wantName {
				t.Errorf("paid order under rdt=%v: PII %v", c.wantName, hasPII)
			}
		}
	}
}

// TestEachOperationHasItsOwnBucket: getOrders' bucket of 20 empties on the 21st call, answered
// 429 QuotaExceeded in the errors shape, while getOrder's bucket still answers.
func TestEachOperationHasItsOwnBucket(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{RateFactor: 1})
	id := b.sim.Generate(amazonsim.GenerateOptions{Count: 1})[0]
	tok := b.accessToken(t)
	search := amazon.PathOrders + "?" + url.Values{"MarketplaceIds": {amazon.MarketplaceJP}, "CreatedAfter": {amazon.FormatTime(time.Now().Add(-time.Hour))}}.Encode()
	for i := range 20 {
		resp := b.call(t, http.MethodGet, search, tok, nil, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get(amazon.RateLimitHeader) != "0.0167" {
			t.Fatalf("call %d: %s, limit %q", i+1, resp.Status, resp.Header.Get(amazon.RateLimitHeader))
		}
	}
	var e amazon.ErrorList
	resp := b.call(t, http.MethodGet, search, tok, nil, &e)
	if resp.StatusCode != http.StatusTooManyRequests || len(e.Errors) != 1 || e.Errors[0].Code != amazon.CodeQuotaExceeded {
		t.Fatalf("21st getOrders: %s %+v", resp.Status, e)
	}
	if resp := b.call(t, http.MethodGet, amazon.OrderPath(amazon.PathOrder, id), tok, nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("getOrder after getOrders' bucket emptied: %s", resp.Status)
	}
}

// TestConfirmShipment: a package is confirmed with 204 and the order becomes Shipped; the
// documented 400s refuse a bad ship date, carrier Other without a name, too many items, the
// same package again (counted as a duplicate), a cancelled order and an FBA order.
func TestConfirmShipment(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	ids := b.sim.Generate(amazonsim.GenerateOptions{Count: 2})
	afn := b.sim.Generate(amazonsim.GenerateOptions{Count: 1, Fulfillment: amazon.FulfillmentAFN})[0]
	tok := b.accessToken(t)
	_, items, _ := b.sim.Order(ids[0])
	pkg := func(ref string) amazon.ConfirmShipmentRequest {
		p := amazon.PackageDetail{PackageReferenceId: ref, CarrierCode: "Yamato Transport", TrackingNumber: "444413758703", ShipDate: amazon.FormatTime(time.Now())}
		for _, it := range items {
			p.OrderItems = append(p.OrderItems, amazon.ConfirmShipmentOrderItem{OrderItemId: it.OrderItemId, Quantity: it.QuantityOrdered})
		}
		return amazon.ConfirmShipmentRequest{MarketplaceId: amazon.MarketplaceJP, PackageDetail: p}
	}
	path := amazon.OrderPath(amazon.PathShipConfirm, ids[0])
	bad := pkg("1")
	bad.PackageDetail.ShipDate = "02/21/2022"
	other := pkg("1")
	other.PackageDetail.CarrierCode = "Other"
	over := pkg("1")
	over.PackageDetail.OrderItems[0].Quantity++
	for name, req := range map[string]amazon.ConfirmShipmentRequest{"bad ship date": bad, "Other without carrierName": other, "too many": over} {
		var e amazon.ErrorList
		if resp := b.call(t, http.MethodPost, path, tok, req, &e); resp.StatusCode != http.StatusBadRequest || e.Errors[0].Code != amazon.CodeInvalidInput {
			t.Errorf("%s: %s %+v", name, resp.Status, e)
		}
	}
	if resp := b.call(t, http.MethodPost, path, tok, pkg("1"), nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("confirm: %s", resp.Status)
	}
	if o, _, _ := b.sim.Order(ids[0]); o.OrderStatus != amazon.StatusShipped {
		t.Fatalf("status after confirmation: %s", o.OrderStatus)
	}
	if resp := b.call(t, http.MethodPost, path, tok, pkg("1"), nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("same package again: %s", resp.Status)
	}
	if c := b.sim.Sim.Counters.Snapshot(); c.DuplicateWrites[ids[0]] != 1 || c.Writes[ids[0]] != 2 {
		t.Fatalf("counters: writes %d, duplicates %d", c.Writes[ids[0]], c.DuplicateWrites[ids[0]])
	}
	_ = b.sim.Cancel(ids[1])
	for _, id := range []string{ids[1], afn} {
		_, items, _ = b.sim.Order(id)
		if resp := b.call(t, http.MethodPost, amazon.OrderPath(amazon.PathShipConfirm, id), tok, pkg("1"), nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("order %s: %s", id, resp.Status)
		}
	}
}

// TestGetOrdersRefusesABeforeTooClose: LastUpdatedBefore must be two minutes before now.
func TestGetOrdersRefusesABeforeTooClose(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{})
	tok := b.accessToken(t)
	now := b.sim.Sim.Clock.Now()
	q := url.Values{"MarketplaceIds": {amazon.MarketplaceJP}, "LastUpdatedAfter": {amazon.FormatTime(now.Add(-time.Hour))}, "LastUpdatedBefore": {amazon.FormatTime(now)}}
	if resp := b.call(t, http.MethodGet, amazon.PathOrders+"?"+q.Encode(), tok, nil, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("%s", resp.Status)
	}
}
