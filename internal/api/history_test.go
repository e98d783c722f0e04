package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// TestHistoryFiltersAndOpensOneCall: the history filters by shop, job kind, outcome and date
// (Japan time) and opens a call with its recorded request and response.
func TestHistoryFiltersAndOpensOneCall(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		if _, err := b.st.RecordCall(ctx, channel.Call{At: base.Add(48 * time.Hour), ShopID: b.shop.ID, JobKind: "import", Operation: "searchOrder",
			Outcome: channel.OutcomeOK, HTTPStatus: 200, Request: `{"dateType":1}`, Response: `{"orderNumberList":[]}`}); err != nil {
			t.Fatal(err)
		}
		token := b.tokenFor(t, only("history", 1))
		type page struct {
			Calls []CallSummary `json:"calls"`
		}
		all := decode[page](t, b.do(t, token, http.MethodGet, "/calls", nil), http.StatusOK)
		if len(all.Calls) != 2 || all.Calls[0].Operation != "searchOrder" {
			t.Fatalf("every call, newest first: %+v", all.Calls)
		}
		for query, want := range map[string]string{
			"job_kind=confirm":                       "confirmOrder",
			"outcome=rejected":                       "confirmOrder",
			"shop=" + i64(b.shop.ID) + "&outcome=ok": "searchOrder",
			"from=2026-11-03&to=2026-11-03":          "searchOrder",
			"order=" + i64(b.orderID[0]):             "confirmOrder",
		} {
			got := decode[page](t, b.do(t, token, http.MethodGet, "/calls?"+query, nil), http.StatusOK)
			if len(got.Calls) != 1 || got.Calls[0].Operation != want {
				t.Errorf("%s: %+v, want only %s", query, got.Calls, want)
			}
		}
		c := decode[Call](t, b.do(t, token, http.MethodGet, "/calls/"+i64(b.callID), nil), http.StatusOK)
		if c.Request != `{"orderNumberList":["338005-20261101-00000001"]}` || c.ErrorCode != "ORDER_EXT_API_CONFIRM_ORDER_ERROR_0003" || c.OutcomeLabel != "拒否" || c.DurationMs != 120 {
			t.Errorf("call %+v", c)
		}
		if p := problem(t, b.do(t, token, http.MethodGet, "/calls/999999", nil), http.StatusNotFound); !strings.HasPrefix(p.Detail, "連携履歴が見つかりません") {
			t.Errorf("404: %q", p.Detail)
		}
	})
}
