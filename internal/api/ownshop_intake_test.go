package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

const testCartSecret = "cart-secret-for-the-intake-test-0123456789"

// postCart posts raw as a cart would, signed with secret ("" sends no signature).
func (b *testBundle) postCart(t *testing.T, shopID int64, raw []byte, secret string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, Prefix+"/ownshop/shops/"+strconv.FormatInt(shopID, 10)+"/orders", bytes.NewReader(raw))
	r.Header.Set("Content-Type", "application/json")
	if secret != "" {
		r.Header.Set(ownshop.SignatureHeader, ownshop.Sign(secret, raw))
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	return w
}

func TestCartOrderIntakeIsSignedIdempotentAndRefusesWhatItCannotStore(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		sh, err := b.st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart",
			Credentials: shop.Credentials{"cartSecret": testCartSecret, "traderCode": "888888709"}})
		if err != nil {
			t.Fatal(err)
		}
		stored := func() int {
			page, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Orders)
		}
		good, _ := json.Marshal(cartOrderExample)
		// A forged signature, none, or the right one for another shop: 401, nothing stored.
		for name, w := range map[string]*httptest.ResponseRecorder{
			"forged":     b.postCart(t, sh.ID, good, "not-the-secret"),
			"unsigned":   b.postCart(t, sh.ID, good, ""),
			"other shop": b.postCart(t, b.shop.ID, good, testCartSecret),
		} {
			if p := problem(t, w, http.StatusUnauthorized); p.Detail != msgBadSignature {
				t.Errorf("%s: %q", name, p.Detail)
			}
		}
		// Malformed JSON, and an order whose total does not add up: a clear error, nothing stored.
		problem(t, b.postCart(t, sh.ID, []byte(`{"order_number":`), testCartSecret), http.StatusBadRequest)
		broken := cartOrderExample
		broken.Total++
		raw, _ := json.Marshal(broken)
		if p := problem(t, b.postCart(t, sh.ID, raw, testCartSecret), http.StatusUnprocessableEntity); !bytes.Contains([]byte(p.Detail), []byte("total")) {
			t.Errorf("422 detail %q does not say what is wrong", p.Detail)
		}
		if n := stored(); n != 0 {
			t.Fatalf("%d orders stored from refused requests", n)
		}
		// The order, twice: one order, 仮売上.
		first := decode[CartOrderResult](t, b.postCart(t, sh.ID, good, testCartSecret), http.StatusOK)
		again := decode[CartOrderResult](t, b.postCart(t, sh.ID, good, testCartSecret), http.StatusOK)
		if first.Status != "created" || again.Status != "unchanged" || again.OrderID != first.OrderID || stored() != 1 {
			t.Fatalf("sent twice: %+v then %+v, %d stored", first, again, stored())
		}
		o, err := b.st.GetOrder(ctx, first.OrderID)
		if err != nil || o.PaymentStatus != order.CardAuthorized {
			t.Fatalf("stored as %s, %v", o.PaymentStatus.Label(), err)
		}
		// A change while 仮売上 updates it; a change without a newer updated_at is refused.
		changed := cartOrderExample
		changed.Postage, changed.Total, changed.Payment.Amount = 0, 2160, 2160
		raw, _ = json.Marshal(changed)
		problem(t, b.postCart(t, sh.ID, raw, testCartSecret), http.StatusConflict)
		changed.UpdatedAt = changed.UpdatedAt.Add(time.Minute)
		raw, _ = json.Marshal(changed)
		if got := decode[CartOrderResult](t, b.postCart(t, sh.ID, raw, testCartSecret), http.StatusOK); got.Status != "updated" {
			t.Fatalf("change while 仮売上: %+v", got)
		}
		if o, _ = b.st.GetOrder(ctx, first.OrderID); o.Amounts.Total != order.YenOf(2160) {
			t.Fatalf("total after the change: %v", o.Amounts.Total)
		}
	})
}
