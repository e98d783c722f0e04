package aupaysim

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
)

// TestRefusalsUseAusCodesAndWords: a refused key is HTTP 401 with code 0002 「認証に失敗しました」,
// a wrong shopId CME0022, and a missing field 「[field]必須入力項目です」 in a CME code, as a public
// client saw the real API answer (aupay.RequiredMessage, CodeShopMismatch).
func TestRefusalsUseAusCodesAndWords(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	good := b.key
	b.key = "typo"
	status, resp := b.get(t, aupay.OpSearchTradeInfoList, b.today())
	if status != http.StatusUnauthorized || code(resp) != "0002" || resp.Result.Error.Message != "認証に失敗しました" {
		t.Fatalf("wrong key: %d %+v", status, resp.Result.Error)
	}
	b.key = good
	id := b.sim.Generate(GenerateOptions{Count: 1})[0]
	for name, c := range map[string]refusalCase{
		"no orderId": func() (out refusalCase) {
			out.status, out.resp = b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, "", "20261201", "1", "1234"))
			out.code, out.msg = "CME", "[orderId]必須入力項目です"
			return
		}(),
		"no orderStatus": func() (out refusalCase) {
			out.status, out.resp = b.post(t, aupay.OpUpdateTradeSts, aupay.UpdateTradeStsRequest{ShopID: b.shopID, OrderID: id})
			out.code, out.msg = "CME", "[orderStatus]必須入力項目です"
			return
		}(),
		"no startDate": func() (out refusalCase) {
			out.status, out.resp = b.get(t, aupay.OpSearchTradeInfoList, url.Values{"endDate": {"20261201"}})
			out.code, out.msg = "CME", "[startDate]必須入力項目です"
			return
		}(),
		"another shop": func() (out refusalCase) {
			out.status, out.resp = b.get(t, aupay.OpSearchTradeInfo, url.Values{"shopId": {"99999999"}, "orderId": {id}})
			out.code = "CME0022"
			return
		}(),
	} {
		if c.status != http.StatusOK || c.resp.Result.Status != aupay.ResultStatusError || len(code(c.resp)) < len(c.code) || code(c.resp)[:len(c.code)] != c.code {
			t.Errorf("%s: %d %+v, want status 1 with a %s code", name, c.status, c.resp.Result.Error, c.code)
			continue
		}
		if c.msg != "" && c.resp.Result.Error.Message != c.msg {
			t.Errorf("%s: %q, want %q", name, c.resp.Result.Error.Message, c.msg)
		}
	}
}

// TestShippingCarrierTakesAusCodes: updateTradeInfoProc takes the shippingCarrier codes au's
// API設計書 lists, 1, 2, 4, 5, 6, 7 and 9, and refuses the others.
func TestShippingCarrierTakesAusCodes(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{})
	for c := 0; c <= 10; c++ {
		carrier := strconv.Itoa(c)
		id := b.sim.Generate(GenerateOptions{Count: 1, Status: aupay.StatusAwaitingShipment})[0]
		_, resp := b.post(t, aupay.OpUpdateTradeInfo, shipping(b.shopID, id, "20261201", carrier, "1234"))
		want := c == 1 || c == 2 || c == 4 || c == 5 || c == 6 || c == 7 || c == 9
		if got := resp.Result.Status == aupay.ResultStatusOK; got != want {
			t.Errorf("shippingCarrier %s: accepted %v, want %v (%+v)", carrier, got, want, resp.Result.Error)
		}
	}
}

// TestTradesCarryTaxSplitsPremiumAndShippingLimits: a trade answers its amounts split by tax
// rate, summing to the totals, the premium and point-fix fields, and per line the points
// granted and the shipping time limit, as the fields a public client stores.
func TestTradesCarryTaxSplitsPremiumAndShippingLimits(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Seed: 5})
	b.sim.Generate(GenerateOptions{Count: 30})
	_, resp := b.get(t, aupay.OpSearchTradeInfoList, b.today())
	if len(resp.OrderInfo) != 30 {
		t.Fatalf("%d trades", len(resp.OrderInfo))
	}
	reduced := false
	for _, o := range resp.OrderInfo {
		if o.TotalSalePriceNormalTax+o.TotalSalePriceReducedTax+o.TotalSalePriceNoTax != o.TotalSalePrice {
			t.Errorf("trade %s: goods %d split %d + %d + %d", o.OrderID, o.TotalSalePrice, o.TotalSalePriceNormalTax, o.TotalSalePriceReducedTax, o.TotalSalePriceNoTax)
		}
		if o.TotalPriceNormalTax+o.TotalPriceReducedTax+o.TotalPriceNoTax != o.TotalPrice {
			t.Errorf("trade %s: total %d split %d + %d + %d", o.OrderID, o.TotalPrice, o.TotalPriceNormalTax, o.TotalPriceReducedTax, o.TotalPriceNoTax)
		}
		if o.PostagePriceTaxRate != "10" || o.ChargePriceTaxRate != "10" {
			t.Errorf("trade %s: postage taxed at %q, fee at %q", o.OrderID, o.PostagePriceTaxRate, o.ChargePriceTaxRate)
		}
		reduced = reduced || o.TotalSalePriceReducedTax > 0
		for _, d := range o.Details {
			if d.ShippingTimelimitDate == "" || d.ShippingDayDispText == "" || d.GiftPoint != d.TotalItemPrice/100 {
				t.Errorf("trade %s line %s: limit %q %q, points %d", o.OrderID, d.OrderDetailID, d.ShippingTimelimitDate, d.ShippingDayDispText, d.GiftPoint)
			}
		}
	}
	if !reduced {
		t.Error("no trade has goods at the reduced rate")
	}
}

// refusalCase is an answer and the code prefix and message it should carry.
type refusalCase struct {
	status int
	resp   aupay.Response
	code   string
	msg    string
}
