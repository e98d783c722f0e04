package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// upload posts a multipart form with the file last, as the page's form sends it.
func (s *session) upload(target string, fields url.Values, file []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", "b2.csv")
	_, _ = fw.Write(file)
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, target, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
	r.Header.Set(csrfHeader, s.csrf)
	w := httptest.NewRecorder()
	s.b.h.ServeHTTP(w, r)
	return w
}

// TestTrackingUploadReportsThenSavesOnConfirm: the order list offers the label files and the
// tracking import; an upload shows the report per row and saves nothing; the confirmation saves
// the valid rows and moves their orders.
func TestTrackingUploadReportsThenSavesOnConfirm(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		if list := htmlOf(s, "/orders"); !strings.Contains(list, `href="/orders/labels?layout=yamato-b2"`) || !strings.Contains(list, `href="/orders/tracking"`) {
			t.Fatal("the order list offers no label file or tracking import")
		}
		if err := b.st.SetShopSender(ctx, b.shop.ID, shop.Sender{Name: "一元茶舗", Phone: "03-1111-2222", Zip: "1000001", Address: "東京都千代田区1-1", YamatoCustomerCode: "0311112222"}, "t"); err != nil {
			t.Fatal(err)
		}
		if w := s.do(http.MethodGet, "/orders/labels.csv?layout=sagawa-ehiden3&ids="+i64toa(b.orderID[0]), nil); w.Code != http.StatusOK || w.Header().Get("X-Ichigen-Rows") != "1" {
			t.Fatalf("labels: %d %s", w.Code, w.Body)
		}
		file := fmt.Sprintf("%s,444413758703\n%s,444413758704\n", packing.OrderKey(b.orderID[0], 1, 1), packing.OrderKey(b.orderID[1], 1, 1))
		w := s.upload("/orders/tracking", url.Values{"carrier": {"1001"}, "phase": {i64toa(b.phases["出荷待ち"].ID)}}, []byte(file))
		page := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(page, "チェックデジットが合いません") || !strings.Contains(page, "登録できる1行を登録する") {
			t.Fatalf("report: %d %s", w.Code, page)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); len(o.Shipments) != 0 {
			t.Fatal("the report saved a number")
		}
		upload := regexp.MustCompile(`name="upload" value="([0-9a-f]+)"`).FindStringSubmatch(w.Body.String())
		if upload == nil {
			t.Fatal("no confirmation form naming the kept file")
		}
		if form := htmlOf(s, "/orders/tracking"); !strings.Contains(form, "data-upload-progress") || !strings.Contains(form, `<progress class="upload-progress"`) || !strings.Contains(form, `src="/static/upload.js"`) {
			t.Fatal("the upload form has no progress bar")
		}
		// The ship-report rule of 出荷待ち is queued with the move, in its transaction.
		rule, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: b.phases["出荷待ち"].ID,
			SuccessPhaseID: b.phases["出荷済み"].ID, ErrorPhaseID: b.phases["エラー"].ID, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		before := len(b.queued(t, jobs.DispatchArgs{}.Kind()))
		// the confirmation sends the file's name on the server, not the file
		w = s.do(http.MethodPost, "/orders/tracking", url.Values{"upload": {upload[1]}, "carrier": {"1001"}, "phase": {i64toa(b.phases["出荷待ち"].ID)}})
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(page, "1件の注文に配送番号を登録しました") {
			t.Fatalf("confirm: %d %s", w.Code, page)
		}
		o, _ := b.st.GetOrder(ctx, b.orderID[0])
		if len(o.Shipments) != 1 || o.Shipments[0].TrackingNumber != "444413758703" || o.PhaseID != b.phases["出荷待ち"].ID {
			t.Fatalf("order: %+v phase %d", o.Shipments, o.PhaseID)
		}
		if queued := b.queued(t, jobs.DispatchArgs{}.Kind()); len(queued) != before+1 || !strings.Contains(queued[len(queued)-1], i64toa(rule.ID)) {
			t.Fatalf("dispatch jobs %v, want one more for rule %d", queued, rule.ID)
		}
		w = s.do(http.MethodPost, "/orders/tracking", url.Values{"upload": {upload[1]}, "carrier": {"1001"}})
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusNotFound || !strings.Contains(page, "もう一度ファイルを選んで確認してください") {
			t.Fatalf("confirmed twice: %d %s", w.Code, page)
		}
	})
}

// TestSenderSettingsSaveTheLabelsSender: the shop page links to its 出荷設定, which saves the
// ご依頼主 the label files print.
func TestSenderSettingsSaveTheLabelsSender(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuShops: user.Update})
		path := "/settings/shops/" + i64toa(b.shop.ID) + "/sender"
		if page := htmlOf(s, "/settings/shops/"+i64toa(b.shop.ID)); !strings.Contains(page, `href="`+path+`"`) {
			t.Fatal("the shop page has no link to its 出荷設定")
		}
		w := s.do(http.MethodPost, path, url.Values{"name": {"一元茶舗"}, "phone": {"03-1111-2222"}, "yamato_customer_code": {"0311112222"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", w.Code, w.Body)
		}
		got, err := b.st.ShopSender(context.Background(), b.shop.ID)
		if err != nil || got.Name != "一元茶舗" || got.YamatoCustomerCode != "0311112222" {
			t.Fatalf("%+v %v", got, err)
		}
		if page := htmlOf(s, path); !strings.Contains(page, `value="0311112222"`) {
			t.Fatal("the saved sender is not shown")
		}
	})
}

// TestAnUploadWorksWithoutScript: a browser without script sends the upload form with no
// X-CSRF-Token header; the token comes in the form's action, so the file reaches the handler
// unread (streamed) and is checked. A multipart post with the token only in its body is refused
// rather than parsed whole before the handler.
func TestAnUploadWorksWithoutScript(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		form := htmlOf(s, "/orders/tracking")
		action := regexp.MustCompile(`action="(/orders/tracking\?csrf_token=[0-9a-f]+)"`).FindStringSubmatch(form)
		if action == nil {
			t.Fatal("the upload form's action carries no token")
		}
		post := func(target string) *httptest.ResponseRecorder {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			_ = mw.WriteField("carrier", "1001")
			_ = mw.WriteField(csrfField, s.csrf)
			fw, _ := mw.CreateFormFile("file", "b2.csv")
			_, _ = fmt.Fprintf(fw, "%s,444413758703\n", packing.OrderKey(b.orderID[0], 1, 1))
			_ = mw.Close()
			r := httptest.NewRequest(http.MethodPost, target, &body)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
			w := httptest.NewRecorder()
			s.b.h.ServeHTTP(w, r)
			return w
		}
		w := post(html.UnescapeString(action[1]))
		if page := html.UnescapeString(w.Body.String()); w.Code != http.StatusOK || !strings.Contains(page, "登録できる1行を登録する") {
			t.Fatalf("an upload without script: %d %s", w.Code, page)
		}
		if w := post("/orders/tracking"); w.Code != http.StatusForbidden {
			t.Fatalf("a multipart post with the token only in its body: %d, want 403", w.Code)
		}
	})
}
