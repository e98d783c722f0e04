package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ichigen-oms/ichigen/internal/audit"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

func TestMain(m *testing.M) {
	user.PasswordCost = bcrypt.MinCost // logins in tests need not be slow
	os.Exit(m.Run())
}

var base = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// testBundle is one UI on a fresh store with a Rakuten shop, its default phases and 30 orders.
type testBundle struct {
	st      store.Store
	h       *Handler
	queue   *jobs.Queue
	shop    shop.Shop
	phases  map[string]workflow.Phase
	orderID []int64
	callID  int64
	// ruleID, groupID and userID are a stopped rule, a group and a user the settings routes of
	// the permission test are pointed at.
	ruleID, groupID, userID int64
}

func setup(t *testing.T, open storetest.Opener) *testBundle {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	sh, phases := storetest.NewShop(t, st, "tea")
	res, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 30, base), store.UpsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	callID, err := st.RecordCall(ctx, channel.Call{At: base, ShopID: sh.ID, OrderID: res.IDs[0], JobKind: "confirm", Operation: "confirmOrder",
		Outcome: channel.OutcomeRejected, ErrorCode: "E105", ErrorMessage: "注文確認できませんでした", Request: `{"orderNumberList":["x"]}`, Response: `{}`})
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, st, jobs.Config{Logger: slog.New(slog.DiscardHandler)}) // insert-only: jobs are queued, not run
	if err != nil {
		t.Fatal(err)
	}
	rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: phases["入金待ち"].ID,
		SuccessPhaseID: phases["出荷待ち"].ID, ErrorPhaseID: phases["エラー"].ID})
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.CreateGroup(ctx, user.Group{Name: "出荷係", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.View}})
	if err != nil {
		t.Fatal(err)
	}
	clerk, err := st.CreateUser(ctx, user.User{Login: "clerk", Name: "出荷 係", PasswordHash: "unused", GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	h := New(Deps{Store: audit.Wrap(st, nil), Mover: q, NotifyTo: []string{"ops@example.jp"}, Logger: slog.New(slog.DiscardHandler)})
	return &testBundle{st: st, h: h, queue: q, shop: sh, phases: phases, orderID: res.IDs, callID: callID,
		ruleID: rule.ID, groupID: g.ID, userID: clerk.ID}
}

// session is a logged-in browser of a user whose group has the given permissions.
type session struct {
	b      *testBundle
	token  string
	csrf   string
	login  string
	origin string
}

var groupSeq int

func (b *testBundle) loginAs(t *testing.T, perms map[user.Menu]user.Level) *session {
	t.Helper()
	ctx := context.Background()
	groupSeq++
	name := "g" + itoa(groupSeq) + "-" + strings.ReplaceAll(t.Name(), "/", "-")
	g, err := b.st.CreateGroup(ctx, user.Group{Name: name, Permissions: perms})
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.st.CreateUser(ctx, user.User{Login: name, Name: "担当 " + name, PasswordHash: "unused", GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	token, csrf := newToken(), newToken()
	now := time.Now()
	if err := b.st.CreateSession(ctx, user.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFToken: csrf, CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	return &session{b: b, token: token, csrf: csrf, login: u.Login}
}

// do sends a request as the session; a POST carries the CSRF token as htmx sends it.
func (s *session) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if s != nil {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.token})
		if method == http.MethodPost && s.csrf != "" {
			r.Header.Set(csrfHeader, s.csrf)
		}
		if s.origin != "" {
			r.Header.Set("Origin", s.origin)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
		}
	}
	w := httptest.NewRecorder()
	s.b.h.ServeHTTP(w, r)
	return w
}

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
