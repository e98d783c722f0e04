package amazonsim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/amazon"
	"github.com/ichigen-oms/ichigen/internal/channel/amazon/amazonsim"
)

// strict decodes body into v refusing any field the model does not declare.
func strict(t *testing.T, what string, body []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s does not decode with the model's types: %v\n%.400s", what, err, body)
	}
}

// conforms checks an object of the answer against a definition's required properties and enums.
func conforms(t *testing.T, what string, obj map[string]any, required []string, enums map[string][]string) {
	t.Helper()
	for _, k := range required {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s lacks required %s", what, k)
		}
	}
	for k, values := range enums {
		if v, ok := obj[k]; ok && !slices.Contains(values, v.(string)) {
			t.Errorf("%s: %s %q is not one of %v", what, k, v, values)
		}
	}
}

// raw makes a call and returns the status and body.
func (b *testBundle) raw(t *testing.T, method, path, tok string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.url+path, rd)
	req.Header.Set(amazon.AccessTokenHeader, tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.Header.Get(amazon.RequestIDHeader) == "" {
		t.Errorf("%s %s: no x-amzn-RequestId", method, path)
	}
	return resp.StatusCode, out
}

// TestAnswersDecodeWithThePublishedModel: every answer of the Orders API and the Tokens API —
// MFN, FBA, COD, Pending, cancelled and shipped orders, with and without an RDT, over pages —
// decodes into types generated from ordersV0.json and tokens_2021-03-01.json with no field the
// model does not declare, carries every required property, and uses only the enums' values;
// so do the error answers (400, 403, 404, 429).
func TestAnswersDecodeWithThePublishedModel(t *testing.T) {
	t.Parallel()
	b := setup(t, amazonsim.Config{Seed: 11, AFNShipDelay: time.Minute})
	at := b.sim.Sim.Clock.Now().Add(-time.Hour)
	ids := b.sim.Generate(amazonsim.GenerateOptions{Count: 120, At: at, AFNShare: 0.3})
	b.sim.Generate(amazonsim.GenerateOptions{Count: 3, At: at, PaymentMethod: amazon.PaymentCOD})
	b.sim.Generate(amazonsim.GenerateOptions{Count: 3, At: at, Status: amazon.StatusPending, PaymentMethod: amazon.PaymentCVS})
	_ = b.sim.Cancel(ids[0])
	tok := b.accessToken(t)

	var rdt modelCreateRestrictedDataTokenResponse
	status, body := b.raw(t, http.MethodPost, amazon.PathRDT, tok, amazon.CreateRestrictedDataTokenRequest{RestrictedResources: []amazon.RestrictedResource{
		{Method: "GET", Path: amazon.PathOrders, DataElements: []string{"buyerInfo", "shippingAddress"}},
		{Method: "GET", Path: amazon.PathAddress}, {Method: "GET", Path: amazon.PathBuyerInfo}}})
	strict(t, "createRestrictedDataToken", body, &rdt)
	if status != http.StatusOK || rdt.RestrictedDataToken == nil || rdt.ExpiresIn == nil {
		t.Fatalf("RDT: %d %s", status, body)
	}

	seen := map[string]bool{}
	for _, token := range []string{tok, *rdt.RestrictedDataToken} {
		q := url.Values{"MarketplaceIds": {amazon.MarketplaceJP}, "CreatedAfter": {amazon.FormatTime(at.Add(-time.Minute))}, "MaxResultsPerPage": {"50"}}
		for page := 0; ; page++ {
			status, body := b.raw(t, http.MethodGet, amazon.PathOrders+"?"+q.Encode(), token, nil)
			var resp modelGetOrdersResponse
			strict(t, "getOrders", body, &resp)
			var generic struct {
				Payload struct {
					Orders []map[string]any
				}
			}
			_ = json.Unmarshal(body, &generic)
			if status != http.StatusOK || resp.Payload == nil {
				t.Fatalf("getOrders page %d: %d %s", page, status, body)
			}
			conforms(t, "OrdersList", map[string]any{"Orders": resp.Payload.Orders}, modelOrdersListRequired, nil)
			for _, o := range generic.Payload.Orders {
				conforms(t, "Order", o, modelOrderRequired, modelOrderEnums)
				seen[o["OrderStatus"].(string)+"/"+o["FulfillmentChannel"].(string)+"/"+o["PaymentMethod"].(string)] = true
			}
			if resp.Payload.NextToken == nil {
				break
			}
			q = url.Values{"MarketplaceIds": {amazon.MarketplaceJP}, "NextToken": {*resp.Payload.NextToken}}
		}
	}
	for _, want := range []string{"Canceled/MFN/Other", "Unshipped/MFN/COD", "Pending/MFN/CVS", "Shipped/AFN/Other", "Unshipped/MFN/Other"} {
		if !seen[want] {
			t.Errorf("no %s order among the answers (%v)", want, seen)
		}
	}

	for _, id := range []string{ids[1], ids[0]} {
		var order modelGetOrderResponse
		_, body := b.raw(t, http.MethodGet, amazon.OrderPath(amazon.PathOrder, id), tok, nil)
		strict(t, "getOrder", body, &order)
		var items modelGetOrderItemsResponse
		_, body = b.raw(t, http.MethodGet, amazon.OrderPath(amazon.PathOrderItems, id), tok, nil)
		strict(t, "getOrderItems", body, &items)
		var generic struct {
			Payload struct{ OrderItems []map[string]any }
		}
		_ = json.Unmarshal(body, &generic)
		conforms(t, "OrderItemsList", map[string]any{"AmazonOrderId": items.Payload.AmazonOrderId, "OrderItems": items.Payload.OrderItems}, modelOrderItemsListRequired, nil)
		for _, it := range generic.Payload.OrderItems {
			conforms(t, "OrderItem", it, modelOrderItemRequired, nil)
		}
		var addr modelGetOrderAddressResponse
		_, body = b.raw(t, http.MethodGet, amazon.OrderPath(amazon.PathAddress, id), *rdt.RestrictedDataToken, nil)
		strict(t, "getOrderAddress", body, &addr)
		var buyer modelGetOrderBuyerInfoResponse
		_, body = b.raw(t, http.MethodGet, amazon.OrderPath(amazon.PathBuyerInfo, id), *rdt.RestrictedDataToken, nil)
		strict(t, "getOrderBuyerInfo", body, &buyer)
		if addr.Payload == nil || addr.Payload.ShippingAddress == nil || buyer.Payload == nil || buyer.Payload.BuyerName == nil {
			t.Fatalf("order %s: address %+v, buyer %+v", id, addr.Payload, buyer.Payload)
		}
	}

	// The error answers: each an ErrorList of Errors with code and message.
	errorCases := map[string]func() (int, []byte){
		"400": func() (int, []byte) { return b.raw(t, http.MethodGet, amazon.PathOrders, tok, nil) },
		"403": func() (int, []byte) {
			return b.raw(t, http.MethodGet, amazon.OrderPath(amazon.PathAddress, ids[1]), tok, nil)
		},
		"404": func() (int, []byte) {
			return b.raw(t, http.MethodGet, amazon.OrderPath(amazon.PathOrder, "503-0000000-0000000"), tok, nil)
		},
		"400 confirmShipment": func() (int, []byte) {
			return b.raw(t, http.MethodPost, amazon.OrderPath(amazon.PathShipConfirm, ids[1]), tok, amazon.ConfirmShipmentRequest{MarketplaceId: amazon.MarketplaceJP})
		},
	}
	for name, call := range errorCases {
		status, body := call()
		var e modelConfirmShipmentErrorResponse
		strict(t, name, body, &e)
		var generic struct{ Errors []map[string]any }
		_ = json.Unmarshal(body, &generic)
		if !strings.HasPrefix(name, strconv.Itoa(status)) || len(generic.Errors) == 0 {
			t.Errorf("%s: %d %s", name, status, body)
		}
		for _, x := range generic.Errors {
			conforms(t, "Error", x, modelErrorRequired, nil)
		}
	}
}
