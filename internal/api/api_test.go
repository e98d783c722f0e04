package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/audit"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

var base = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// startupNotifyTo is the test server's --notify-to.
const startupNotifyTo = "config@example.jp"

// testBundle is the API on a fresh store with a Rakuten shop, its default phases, 30 orders, a
// recorded call on the first order and a (stopped) ship report rule.
type testBundle struct {
	st      store.Store
	h       *Handler
	queue   *jobs.Queue
	shop    shop.Shop
	phases  map[string]workflow.Phase
	orderID []int64
	callID  int64
	ruleID  int64
}

func setup(t *testing.T, open storetest.Opener) *testBundle {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	sh, phases := storetest.NewShop(t, st, "tea")
	res, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 30, base), store.UpsertOptions{PhaseID: phases["新規受付"].ID})
	if err != nil {
		t.Fatal(err)
	}
	callID, err := st.RecordCall(ctx, channel.Call{At: base.Add(time.Hour), ShopID: sh.ID, OrderID: res.IDs[0], JobKind: "confirm", Operation: "confirmOrder",
		Outcome: channel.OutcomeRejected, HTTPStatus: 400, ErrorCode: "ORDER_EXT_API_CONFIRM_ORDER_ERROR_0003", ErrorMessage: "注文確認できませんでした",
		Request: `{"orderNumberList":["338005-20261101-00000001"]}`, Response: `{"MessageModelList":[]}`, Duration: 120 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobShipReport, TargetPhaseID: phases["出荷待ち"].ID,
		SuccessPhaseID: phases["出荷済み"].ID, ErrorPhaseID: phases["エラー"].ID})
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, st, jobs.Config{Logger: slog.New(slog.DiscardHandler)}) // insert-only: jobs are queued, not run
	if err != nil {
		t.Fatal(err)
	}
	h := New(Deps{Store: audit.Wrap(st, nil), Queue: q, NotifyTo: []string{startupNotifyTo}, Logger: slog.New(slog.DiscardHandler)})
	return &testBundle{st: st, h: h, queue: q, shop: sh, phases: phases, orderID: res.IDs, callID: callID, ruleID: rule.ID}
}

// forEngine runs a test on both store engines.
func forEngine(t *testing.T, test func(t *testing.T, b *testBundle)) {
	t.Helper()
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			test(t, setup(t, e.Open))
		})
	}
}

var userSeq atomic.Int64

// tokenFor makes a user whose group has perms, and an API token of theirs.
func (b *testBundle) tokenFor(t *testing.T, perms map[user.Menu]user.Level) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("u%d-%s", userSeq.Add(1), strings.ReplaceAll(t.Name(), "/", "-"))
	g, err := b.st.CreateGroup(ctx, user.Group{Name: name, Permissions: perms})
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.st.CreateUser(ctx, user.User{Login: name, Name: "担当 " + name, PasswordHash: "unused", GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	token, hash := user.NewAPIToken()
	if _, err := b.st.CreateAPIToken(ctx, user.APIToken{TokenHash: hash, UserID: u.ID, Name: "test"}); err != nil {
		t.Fatal(err)
	}
	return token
}

func (b *testBundle) admin(t *testing.T) string { return b.tokenFor(t, user.AdminPermissions()) }

// only gives level in menu and none elsewhere.
func only(menu user.Menu, level user.Level) map[user.Menu]user.Level {
	p := map[user.Menu]user.Level{}
	for _, m := range user.Menus {
		p[m] = user.None
	}
	if menu != "" {
		p[menu] = level
	}
	return p
}

// do sends a request with the token (none when ""), body as JSON unless nil, to a path below
// the API's prefix.
func (b *testBundle) do(t *testing.T, token, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	r := httptest.NewRequest(method, Prefix+path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	return w
}

// decode reads an answer's JSON, failing the test when the status is not want.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder, want int) T {
	t.Helper()
	var v T
	if w.Code != want {
		t.Fatalf("status %d, want %d: %s", w.Code, want, w.Body.String())
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, w.Body.String())
	}
	return v
}

// problemDoc is an RFC 9457 problem document as huma writes it.
type problemDoc struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Message  string `json:"message"`
		Location string `json:"location"`
	} `json:"errors"`
}

// problem reads a problem document with the status, and checks its content type.
func problem(t *testing.T, w *httptest.ResponseRecorder, status int) problemDoc {
	t.Helper()
	p := decode[problemDoc](t, w, status)
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("problem content type %q", ct)
	}
	if p.Status != status {
		t.Errorf("problem status %d, want %d", p.Status, status)
	}
	return p
}

// jobsOf lists the queued jobs of a kind.
func (b *testBundle) jobsOf(t *testing.T, kind string) []*riverJob {
	t.Helper()
	res, err := b.queue.Client().JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*riverJob, len(res.Jobs))
	for i, j := range res.Jobs {
		out[i] = &riverJob{ID: j.ID, Args: j.EncodedArgs}
	}
	return out
}

type riverJob struct {
	ID   int64
	Args []byte
}

// storetestSQLite opens a SQLite store, for tests whose point is not the engine.
var storetestSQLite = storetest.SQLite

func i64(n int64) string { return fmt.Sprint(n) }
