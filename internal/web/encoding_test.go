package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAFormThatIsNotUTF8IsRefused: a form or a search sent with bytes that are no UTF-8 (a
// Shift_JIS page, a hand-made request) is refused with a message, and nothing is stored as
// mojibake.
func TestAFormThatIsNotUTF8IsRefused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		perms := only(user.MenuShops, user.Update)
		perms[user.MenuOrders] = user.View
		s := b.loginAs(t, perms)
		w := s.do(http.MethodPost, shopPath(b.shop.ID), url.Values{"name": {"\x92\x83\x82\xcc\x93X"}, "code": {"cha"}})
		if w.Code != http.StatusBadRequest {
			t.Errorf("a Shift_JIS shop name: %d, want 400", w.Code)
		}
		if sh, err := b.st.GetShop(t.Context(), b.shop.ID); err != nil || sh.Name != "tea" {
			t.Fatalf("the shop became %q (%v)", sh.Name, err)
		}
		if w := s.do(http.MethodGet, "/orders?q=%92%83", nil); w.Code != http.StatusBadRequest {
			t.Errorf("a Shift_JIS keyword: %d, want 400", w.Code)
		}
	})
}
