package web

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestCSVOrdersUploadShowsTheServersRowCount: the upload form carries a progress key and a
// counter that asks the server how far it has checked the file; once the server has checked
// it, the counter says 「3行を確認済み」 and stops asking. The form is sent the way a browser
// without script sends it — the token only in the form's action — and the file is found.
func TestCSVOrdersUploadShowsTheServersRowCount(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		m := orderimport.Mapping{Number: "受注番号", OrderedAt: "受注日時", BuyerName: "注文者名", ItemName: "商品名", UnitPrice: "単価", Quantity: "数量"}
		if err := b.st.SetShopSetting(context.Background(), b.shop.ID, orderimport.SettingName, m, "t"); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		page := htmlOf(s, csvOrdersPath)
		key := regexp.MustCompile(`name="progress" value="([0-9a-f]+)"`).FindStringSubmatch(page)
		action := regexp.MustCompile(`action="(/orders/csv-orders\?csrf_token=[0-9a-f]+)"`).FindStringSubmatch(page)
		if key == nil || action == nil || !strings.Contains(page, `hx-trigger="upload-sent"`) {
			t.Fatal("the upload form has no progress key, no token in its action or no row counter")
		}
		counter := func() string { return html.UnescapeString(htmlOf(s, csvOrdersProgressPath+"?key="+key[1])) }
		if got := counter(); !strings.Contains(got, `hx-trigger="load delay:1s"`) || strings.Contains(got, "行を確認済み") {
			t.Fatalf("before the upload: %s", got)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("shop", i64toa(b.shop.ID))
		_ = mw.WriteField("progress", key[1])
		fw, _ := mw.CreateFormFile("file", "orders.csv")
		_, _ = fw.Write([]byte(csvOrderFile))
		_ = mw.Close()
		r := httptest.NewRequest(http.MethodPost, html.UnescapeString(action[1]), &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
		w := httptest.NewRecorder()
		s.b.h.ServeHTTP(w, r)
		if got := html.UnescapeString(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(got, "ファイルの注文2件のうち、2件を新しく登録します") {
			t.Fatalf("an upload without script: %d %s", w.Code, got)
		}
		if got := counter(); !strings.Contains(got, "3行を確認済み(0.0MB受信)") || strings.Contains(got, "hx-get") {
			t.Fatalf("after the check: %s", got)
		}
		other := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		if got := htmlOf(other, csvOrdersProgressPath+"?key="+key[1]); strings.Contains(got, "行を確認済み") {
			t.Fatal("another user reads the counter")
		}
	})
}

// TestTrackingUploadShowsTheServersRowCount: the tracking upload form has the same counter,
// which counts the rows the server matched.
func TestTrackingUploadShowsTheServersRowCount(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		key := regexp.MustCompile(`name="progress" value="([0-9a-f]+)"`).FindStringSubmatch(htmlOf(s, "/orders/tracking"))
		if key == nil {
			t.Fatal("the tracking form has no progress key")
		}
		file := packing.OrderKey(b.orderID[0], 1, 1) + ",444413758703\n"
		if w := s.upload("/orders/tracking", url.Values{"carrier": {"1001"}, "progress": {key[1]}}, []byte(file)); w.Code != http.StatusOK {
			t.Fatalf("upload: %d %s", w.Code, w.Body)
		}
		if got := html.UnescapeString(htmlOf(s, csvOrdersProgressPath+"?key="+key[1])); !strings.Contains(got, "1行を確認済み") {
			t.Fatalf("after the check: %s", got)
		}
	})
}
