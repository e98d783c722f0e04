package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// postCSV sends a CSV body.
func (b *testBundle) postCSV(t *testing.T, token, path string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, Prefix+path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "text/csv")
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	return w
}

// TestLabelsAndTrackingThroughTheAPI: the shop's ご依頼主 saved, a B2 label file for named
// orders, then the numbers back as a two-column file — a dry run reports each row and changes
// nothing, the confirmation saves the valid rows and moves their orders to the ship-report phase.
func TestLabelsAndTrackingThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		admin := b.tokenFor(t, map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuShops: user.Update})
		path := "/orders/labels.csv?layout=yamato-b2&ids=" + i64(b.orderID[0]) + "," + i64(b.orderID[1]) + "," + i64(b.orderID[2])
		if w := b.do(t, admin, http.MethodGet, path, nil); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "出荷設定") {
			t.Fatalf("labels without a sender: %d %s", w.Code, w.Body)
		}
		sender := shop.Sender{Name: "一元茶舗", Phone: "03-1111-2222", Zip: "1000001", Address: "東京都千代田区千代田1-1", YamatoCustomerCode: "031111222201"}
		if w := b.do(t, admin, http.MethodPut, "/shops/"+i64(b.shop.ID)+"/sender", sender); w.Code != http.StatusOK {
			t.Fatalf("sender: %d %s", w.Code, w.Body)
		}
		w := b.do(t, admin, http.MethodGet, path, nil)
		if w.Code != http.StatusOK || w.Header().Get("X-Ichigen-Rows") != "3" || w.Header().Get("Content-Type") != "text/csv; charset=shift_jis" {
			t.Fatalf("labels: %d %v", w.Code, w.Header())
		}
		rows, err := csv.NewReader(japanese.ShiftJIS.NewDecoder().Reader(w.Body)).ReadAll()
		if err != nil || len(rows) != 4 || rows[1][24] != "一元茶舗" {
			t.Fatalf("label rows %v: %v", rows, err)
		}
		var file strings.Builder
		for i, r := range rows[1:] {
			base := int64(12345678900 + i)
			if i == 2 {
				fmt.Fprintf(&file, "%s,%011d%d\n", r[0], base, (base+1)%7) // a wrong check digit
				continue
			}
			fmt.Fprintf(&file, "%s,%011d%d\n", r[0], base, base%7)
		}
		fmt.Fprintf(&file, "IC999999999,444413758703\n")
		dry := decode[TrackingResult](t, b.postCSV(t, admin, "/tracking-imports?carrier=1001", []byte(file.String())), http.StatusOK)
		if dry.Counts["matched"] != 2 || dry.Counts["invalid_number"] != 1 || dry.Counts["unknown_order"] != 1 || len(dry.Rows) != 2 || dry.Applied != nil {
			t.Fatalf("dry run: %+v", dry)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); len(o.Shipments) != 0 {
			t.Fatal("the dry run saved a number")
		}
		phase := b.phases["出荷待ち"].ID
		if dry.UploadID == "" {
			t.Fatalf("the dry run kept no upload: %+v", dry)
		}
		other := b.tokenFor(t, map[user.Menu]user.Level{user.MenuOrders: user.Update})
		if w := b.postCSV(t, other, "/tracking-imports?carrier=1001&confirm=true&upload_id="+dry.UploadID, nil); w.Code != http.StatusNotFound {
			t.Fatalf("another user's upload: %d %s", w.Code, w.Body)
		}
		// the confirmation names the checked file; nothing is sent again
		done := decode[TrackingResult](t, b.postCSV(t, admin, "/tracking-imports?carrier=1001&confirm=true&move_to_phase_id="+i64(phase)+"&upload_id="+dry.UploadID, nil), http.StatusOK)
		if done.Applied == nil || done.Applied.Orders != 2 || len(done.Applied.Moved) != 2 {
			t.Fatalf("confirmed: %+v", done)
		}
		if w := b.postCSV(t, admin, "/tracking-imports?carrier=1001&confirm=true&upload_id="+dry.UploadID, nil); w.Code != http.StatusNotFound {
			t.Fatalf("confirmed twice: %d %s", w.Code, w.Body)
		}
		for i, id := range b.orderID[:2] {
			o, _ := b.st.GetOrder(ctx, id)
			if len(o.Shipments) != 1 || o.Shipments[0].Carrier != "1001" || o.PhaseID != phase {
				t.Fatalf("order %d: %+v phase %d", i, o.Shipments, o.PhaseID)
			}
		}
		// A broken file is a problem document naming the line.
		w = b.postCSV(t, admin, "/tracking-imports?carrier=1001", []byte(packing.OrderKey(b.orderID[3], 1, 1)+"\n"))
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "1行目: 列が足りません") {
			t.Fatalf("broken file: %d %s", w.Code, w.Body)
		}
	})
}
