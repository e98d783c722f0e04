package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestPaymentIsConfirmedOnTheOrderPageAndTheList: an unpaid order whose payment the shop
// collects offers 入金確認 on its page and takes the day entered; one the marketplace settles
// offers none and is refused; the order list's 「入金確認」 marks the rest of a selection and
// says how many it left alone.
func TestPaymentIsConfirmedOnTheOrderPageAndTheList(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		var selective, common []int64
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case o.MarketplaceStatus.Final() || o.PaymentStatus == order.Paid:
			case o.Settlement == order.SettlementSelective:
				selective = append(selective, id)
			default:
				common = append(common, id)
			}
		}
		if len(selective) < 2 || len(common) == 0 {
			t.Fatalf("the fixture has %d unpaid selective orders and %d common ones", len(selective), len(common))
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		if page := htmlOf(s, idPath(selective[0])); !strings.Contains(page, `action="`+idPath(selective[0])+`/paid"`) {
			t.Fatal("an unpaid order the shop collects the payment of offers no 入金確認")
		}
		if page := htmlOf(s, idPath(common[0])); strings.Contains(page, "/paid\"") {
			t.Fatal("an order the marketplace settles offers 入金確認")
		}
		if msg := flash(s.do(http.MethodPost, idPath(selective[0])+"/paid", url.Values{"paid_on": {"2026-11-30"}})); msg != "入金確認しました(入金日 2026-11-30)。" {
			t.Fatalf("入金確認: %q", msg)
		}
		if page := htmlOf(s, idPath(selective[0])); !strings.Contains(page, "入金確認済み: 2026-11-30") {
			t.Error("the order page does not show the day of the payment confirmed")
		}
		if msg := flash(s.do(http.MethodPost, idPath(common[0])+"/paid", url.Values{"paid_on": {"2026-11-30"}})); !strings.HasPrefix(msg, flashErrorMark) || !strings.Contains(msg, "モールが入金を確認する決済です") {
			t.Errorf("common settlement: %q", msg)
		}
		if page := htmlOf(s, "/orders"); !strings.Contains(page, `formaction="/orders/paid"`) {
			t.Fatal("the order list offers no 入金確認")
		}
		form := url.Values{"paid_on": {"2026-11-29"}, "id": {i64toa(common[0])}}
		for _, id := range selective {
			form.Add("id", i64toa(id))
		}
		msg := flash(s.do(http.MethodPost, "/orders/paid", form))
		if want := fmt.Sprintf("%d件の注文を入金済み(入金日 2026-11-29)にしました。入金済みの1件、モールが入金を確認する決済の1件", len(selective)-1); !strings.Contains(msg, want) {
			t.Fatalf("bulk: %q, want %q", msg, want)
		}
		for _, id := range selective[1:] {
			if o, _ := b.st.GetOrder(ctx, id); o.PaidOn != "2026-11-29" {
				t.Errorf("order %d paid on %q", id, o.PaidOn)
			}
		}
	})
}
