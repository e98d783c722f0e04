package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestABodyOrQueryThatIsNotUTF8IsRefused: a request body in Shift_JIS (or any bytes that are no
// UTF-8) is a 400 saying so, not a shop name stored as U+FFFD; so is such a query value.
func TestABodyOrQueryThatIsNotUTF8IsRefused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only(user.MenuShops, user.Update))
		body := []byte("{\"name\":\"\x92\x83\x82\xcc\x93X\",\"code\":\"cha\",\"overwrite_same_order\":false}") // 茶の店 in Shift_JIS
		r := httptest.NewRequest(http.MethodPut, Prefix+"/shops/"+i64(b.shop.ID), bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		b.h.ServeHTTP(w, r)
		if p := problem(t, w, http.StatusBadRequest); !strings.Contains(p.Detail, "UTF-8") {
			t.Errorf("detail %q", p.Detail)
		}
		if sh, err := b.st.GetShop(context.Background(), b.shop.ID); err != nil || sh.Name != "tea" {
			t.Fatalf("the shop became %q (%v)", sh.Name, err)
		}
		if p := problem(t, b.do(t, b.tokenFor(t, only(user.MenuOrders, user.View)), http.MethodGet, "/orders?q=%92%83", nil), http.StatusBadRequest); !strings.Contains(p.Detail, "UTF-8") {
			t.Errorf("query: detail %q", p.Detail)
		}
	})
}
