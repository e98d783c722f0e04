package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestStartPageCountsOrdersHeldInAPhaseTooLong: the operator sets a phase's expected time on
// the phases page (a bad value is refused with what to type); 要対応 then counts the shop's orders
// held in the phase longer than that, and its link opens the list of exactly them; a phase
// without an expected time says nothing. On both engines.
func TestStartPageCountsOrdersHeldInAPhaseTooLong(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		inbox := b.phases["新規受付"]
		before, err := b.st.SearchOrders(t.Context(), store.OrderQuery{ShopID: b.shop.ID, PhaseID: inbox.ID, PageSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		orders := storetest.MakeOrders(700, 2, time.Now().Add(-24*time.Hour))
		if _, err := b.st.UpsertOrders(t.Context(), b.shop.ID, orders, store.UpsertOptions{PhaseID: inbox.ID}); err != nil {
			t.Fatal(err)
		}
		perms := only(user.MenuWorkflow, user.Update)
		perms[user.MenuOrders] = user.View
		later := time.Now().Add(5 * time.Hour)
		admin := loginUntil(t, b, perms, later.Add(time.Hour))
		b.h.deps.Now = func() time.Time { return later }
		if page := htmlOf(admin, "/attention"); strings.Contains(page, "data-stuck-phase") {
			t.Fatal("要対応 counts stuck orders before any phase has an expected time")
		}
		target := "/settings/phases/" + i64toa(inbox.ID) + "/expected"
		if page := admin.afterRedirect(admin.do(http.MethodPost, target, url.Values{"expected_hours": {"二日"}})); !strings.Contains(page, "時間数を半角数字で入力してください") {
			t.Errorf("a bad expected time is not refused with what to type")
		}
		if page := admin.afterRedirect(admin.do(http.MethodPost, target, url.Values{"expected_hours": {"4"}})); !strings.Contains(page, "想定滞留時間を4時間にしました") {
			t.Fatalf("the expected time is not set")
		}
		page := html.UnescapeString(htmlOf(admin, "/attention"))
		n := i64toa(before.Total + 2)
		if !strings.Contains(page, `data-stuck-phase="新規受付" data-count="`+n+`"`) || !strings.Contains(page, "処理フェーズ「新規受付」に4時間を超えて留まっている注文が"+n+"件あります。") {
			t.Fatalf("要対応 does not count the orders held in 新規受付:\n%s", page)
		}
		i := strings.Index(page, `data-stuck-phase="新規受付"`)
		j := strings.Index(page[i:], `href="`) + i + len(`href="`)
		link := page[j : j+strings.Index(page[j:], `"`)]
		if !strings.Contains(link, "entered=") || !strings.Contains(link, "phase="+i64toa(inbox.ID)) {
			t.Fatalf("the link is %q", link)
		}
		list := htmlOf(admin, link)
		for _, o := range orders {
			if !strings.Contains(list, o.Number) {
				t.Errorf("the list of stuck orders lacks %s", o.Number)
			}
		}
		b.h.deps.Now = func() time.Time { return later.Add(-2 * time.Hour) }
		if page := htmlOf(admin, "/attention"); strings.Contains(page, "data-stuck-phase") {
			t.Error("orders within the expected time are counted")
		}
	})
}

// loginAs with a session that lasts until the given time, for a test whose clock runs ahead.
func loginUntil(t *testing.T, b *testBundle, perms map[user.Menu]user.Level, until time.Time) *session {
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
	token, csrf, now := newToken(), newToken(), time.Now()
	if err := b.st.CreateSession(ctx, user.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFToken: csrf, CreatedAt: now,
		ExpiresAt: until, LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
	return &session{b: b, token: token, csrf: csrf, login: u.Login}
}
