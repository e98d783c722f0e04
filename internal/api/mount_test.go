package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/server"
	"github.com/ichigen-oms/ichigen/internal/web"
)

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

// TestServedBesideTheUIWithoutItsCookiesOrCSRF: mounted by the server next to the UI, a bearer
// request from another site is served by the API (no CSRF token, no cookie), while the UI still
// refuses the same cross-site write.
func TestServedBesideTheUIWithoutItsCookiesOrCSRF(t *testing.T) {
	t.Parallel()
	b := setup(t, storetestSQLite)
	srv := server.New(server.Deps{Database: okPinger{}, Queue: okPinger{}, API: b.h,
		Web: web.New(web.Deps{Store: b.st, Mover: b.queue, Logger: slog.New(slog.DiscardHandler)})})
	token := b.admin(t)
	send := func(path, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Origin", "https://elsewhere.example")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	hold := i64(b.phases["保留"].ID)
	w := send(Prefix+"/orders/move", `{"ids":[`+i64(b.orderID[0])+`],"phase_id":`+hold+`}`)
	if res := decode[BulkResult](t, w, http.StatusOK); res.Count != 1 {
		t.Errorf("moved %d", res.Count)
	}
	if w := send("/orders/move", "id="+i64(b.orderID[1])+"&phase_id="+hold); w.Code != http.StatusForbidden && w.Code != http.StatusSeeOther {
		t.Errorf("the UI answered a cross-site write with %d", w.Code)
	}
	if o, _ := b.st.GetOrder(context.Background(), b.orderID[1]); o.PhaseID == b.phases["保留"].ID {
		t.Error("the UI took a cross-site write")
	}
	r := httptest.NewRequest(http.MethodGet, Prefix+"/openapi.json", nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"openapi":"3.1.0"`) {
		t.Errorf("openapi.json through the server: %d", rec.Code)
	}
}
