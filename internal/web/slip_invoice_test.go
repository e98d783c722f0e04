package web

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// uploadLogo posts a logo file as the settings form does (multipart, the CSRF token in the action).
func (s *session) uploadLogo(t *testing.T, shopID int64, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("logo", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, shopPath(shopID)+"/logo?"+csrfField+"="+url.QueryEscape(s.csrf), &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
	w := httptest.NewRecorder()
	s.b.h.ServeHTTP(w, r)
	return w
}

// TestTheSlipIsAQualifiedInvoiceWithTheShopsNumberAndLogo: a registration number is saved only
// with a right check digit (a mistyped one is refused with what to do); a logo is taken only as
// PNG or JPEG by its bytes (SVG refused) and served with its sniffed type and nosniff; the slip
// then prints the logo, 登録番号 T…, the reduced-rate mark on the 8% lines and the totals and
// tax of each rate.
func TestTheSlipIsAQualifiedInvoiceWithTheShopsNumberAndLogo(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		o := giftOrder(t, b)
		admin := b.loginAs(t, user.AdminPermissions())
		form := url.Values{"name": {"お茶の山田園"}, "invoice_number": {"T4011001098994"}}
		if w := admin.do(http.MethodPost, shopPath(b.shop.ID)+"/sender", form); !strings.Contains(flash(w), "検査用数字") {
			t.Fatalf("a mistyped registration number: %q", flash(w))
		}
		if sn, _ := b.st.ShopSender(t.Context(), b.shop.ID); sn.Name != "" {
			t.Fatalf("saved with a mistyped registration number: %+v", sn)
		}
		form.Set("invoice_number", "Ｔ4011-0010-98993")
		if w := admin.do(http.MethodPost, shopPath(b.shop.ID)+"/sender", form); !strings.Contains(flash(w), "出荷設定を保存しました") {
			t.Fatalf("save: %q", flash(w))
		}
		if sn, _ := b.st.ShopSender(t.Context(), b.shop.ID); sn.InvoiceNumber != "T4011001098993" {
			t.Fatalf("saved number %q", sn.InvoiceNumber)
		}

		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
		if w := admin.uploadLogo(t, b.shop.ID, "logo.png", svg); !strings.Contains(flash(w), "PNGかJPEG") {
			t.Fatalf("an SVG logo: %d %q", w.Code, flash(w))
		}
		img := image.NewRGBA(image.Rect(0, 0, 60, 20))
		img.Set(1, 1, color.RGBA{G: 120, A: 255})
		var logo bytes.Buffer
		if err := png.Encode(&logo, img); err != nil {
			t.Fatal(err)
		}
		if w := admin.uploadLogo(t, b.shop.ID, "logo.svg", logo.Bytes()); !strings.Contains(flash(w), "ロゴを保存しました") {
			t.Fatalf("a PNG logo: %d %q", w.Code, flash(w))
		}

		s := b.loginAs(t, only(user.MenuOrders, user.View))
		w := s.do(http.MethodGet, shopLogoPath(b.shop.ID), nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" || w.Header().Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(w.Body.Bytes(), logo.Bytes()) {
			t.Fatalf("logo served %d %q %q, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Header().Get("X-Content-Type-Options"), w.Body.Len())
		}
		slip := htmlOf(s, idPath(o.ID)+"/slip")
		for _, want := range []string{`<img class="slip-logo" src="` + shopLogoPath(b.shop.ID), "登録番号 T4011001098993", "※は軽減税率(8%)対象です",
			"8%対象 ¥2,160(内消費税 ¥160)", "10%対象 ¥2,970(内消費税 ¥270)"} {
			if !strings.Contains(slip, want) {
				t.Errorf("the slip does not show %q", want)
			}
		}
		if admin.do(http.MethodPost, shopPath(b.shop.ID)+"/logo/delete", url.Values{}); s.do(http.MethodGet, shopLogoPath(b.shop.ID), nil).Code != http.StatusNotFound {
			t.Error("a deleted logo is still served")
		}
		if strings.Contains(htmlOf(s, idPath(o.ID)+"/slip"), `class="slip-logo"`) {
			t.Error("the slip prints a deleted logo")
		}
	})
}

// TestRulePreviewPageSaysWhatWaitsBeyondTheFirstRound: the preview page of a 決済審査結果確認 with
// 130 orders waiting says that 30 more wait beyond the 100 shown and how many rounds they need,
// and, as the rule reads before it decides, offers to make the read to show what it would send —
// to a user with 自動処理 update rights only, as the read spends the marketplace's quota.
func TestRulePreviewPageSaysWhatWaitsBeyondTheFirstRound(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		review := b.phases["確認待ち"]
		if _, err := b.st.UpsertOrders(t.Context(), b.shop.ID, storetest.MakeOrders(700, 130, base), store.UpsertOptions{PhaseID: review.ID}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuWorkflow, user.View))
		page := htmlOf(s, rulePreviewPath+"?shop_id="+i64toa(b.shop.ID)+"&kind=payment_review&target_phase_id="+i64toa(review.ID))
		for _, want := range []string{`data-backlog="30"`, "ほかに30件が待っていて", "全2回"} {
			if !strings.Contains(page, want) {
				t.Errorf("the preview does not say %q", want)
			}
		}
		// Making the read spends the quota: allowed for 自動処理 update rights only.
		if code := s.do(http.MethodGet, rulePreviewPath+"?read=1&shop_id="+i64toa(b.shop.ID)+"&kind=payment_review&target_phase_id="+i64toa(review.ID), nil).Code; code != http.StatusForbidden {
			t.Errorf("a viewer's read-through preview: %d, want 403", code)
		}
	})
}
