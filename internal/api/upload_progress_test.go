package api

import (
	"net/http"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestUploadProgressCountsTheRowsChecked: an order file sent with a progress key has its rows
// counted by the server, readable at /upload-progress/{key} by the sender only; an unknown key
// is 404.
func TestUploadProgressCountsTheRowsChecked(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		admin := b.tokenFor(t, map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuShops: user.Update})
		shop := "/shops/" + i64(b.shop.ID)
		m := orderimport.Mapping{Number: "受注番号", OrderedAt: "受注日", BuyerName: "購入者", ItemName: "品名", UnitPrice: "単価", Quantity: "数量"}
		if w := b.do(t, admin, http.MethodPut, shop+"/csv-mapping", m); w.Code != http.StatusOK {
			t.Fatalf("mapping: %d %s", w.Code, w.Body)
		}
		file := "受注番号,受注日,購入者,品名,単価,数量\nTEL-1,2026/11/20,山田 太郎,煎茶,1080,2\nTEL-2,2026/11/20,山田 太郎,湯呑み,2200,1\n"
		key := "k1"
		decode[orderimport.Preview](t, b.postCSV(t, admin, shop+"/csv-orders?dry_run=true&progress="+key, []byte(file)), http.StatusOK)
		got := decode[packing.Snapshot](t, b.do(t, admin, http.MethodGet, "/upload-progress/"+key, nil), http.StatusOK)
		if got != (packing.Snapshot{Rows: 2, Bytes: int64(len(file)), Done: true}) {
			t.Fatalf("%+v", got)
		}
		if w := b.do(t, admin, http.MethodGet, "/upload-progress/unknown", nil); w.Code != http.StatusNotFound {
			t.Fatalf("unknown key: %d", w.Code)
		}
		other := b.tokenFor(t, map[user.Menu]user.Level{user.MenuOrders: user.View})
		if w := b.do(t, other, http.MethodGet, "/upload-progress/"+key, nil); w.Code != http.StatusNotFound {
			t.Fatalf("another user's key: %d", w.Code)
		}
	})
}
