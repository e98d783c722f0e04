package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// htmlOf reads an answer's HTML with its entities decoded.
func htmlOf(s *session, target string) string {
	return html.UnescapeString(s.do(http.MethodGet, target, nil).Body.String())
}

// TestCredentialsAreEnteredOnceAndNeverShownBack: a new au PAY shop's credentials are saved,
// the page then says which keys are set and never shows a value; a blank form is refused,
// a field left blank keeps its value, and an optional one is removed only when ticked.
func TestCredentialsAreEnteredOnceAndNeverShownBack(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuShops, user.Update))
		w := s.do(http.MethodPost, "/settings/shops", url.Values{"channel": {"aupay"}, "name": {"au PAY 本店"}, "code": {"12345678"}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "店舗「au PAY 本店」を作成しました") {
			t.Fatalf("create: %d %q", w.Code, flash(w))
		}
		shopURL := w.Header().Get("Location")
		creds := shopURL + "/credentials"
		if msg := flash(s.do(http.MethodPost, creds, url.Values{"apiKey": {"KEY-SECRET-1"}})); !strings.Contains(msg, "「店舗ID(shopId)」を入力してください") {
			t.Fatalf("a required key missing: %q", msg)
		}
		w = s.do(http.MethodPost, creds, url.Values{"apiKey": {"KEY-SECRET-1"}, "shopId": {"12345678"}, "endpoint": {"http://127.0.0.1:9/"}})
		if msg := flash(w); !strings.Contains(msg, "認証情報を保存しました(APIキー、店舗ID(shopId)、接続先URL)") {
			t.Fatalf("save: %q", msg)
		}
		got := htmlOf(s, shopURL)
		if strings.Contains(got, "KEY-SECRET-1") || strings.Contains(got, "127.0.0.1:9") || strings.Contains(got, `name="shopId" value="12345678"`) {
			t.Fatal("the shop page shows a credential back")
		}
		if strings.Count(got, "設定済み") < 3 {
			t.Fatal("the shop page does not say which keys are set")
		}
		if msg := flash(s.do(http.MethodPost, creds, url.Values{"apiKey": {""}})); !strings.Contains(msg, "変更する認証情報を入力してください") {
			t.Fatalf("a blank form: %q", msg)
		}
		if msg := flash(s.do(http.MethodPost, creds, url.Values{"callsPerSecond": {"fast"}})); !strings.Contains(msg, "0より大きい数") {
			t.Fatalf("an unreadable pace: %q", msg)
		}
		s.do(http.MethodPost, creds, url.Values{"clear": {"endpoint"}, "apiKey": {"KEY-SECRET-1"}, "callsPerSecond": {"2"}})
		list, err := b.st.ListShops(ctx)
		if err != nil {
			t.Fatal(err)
		}
		au := list[len(list)-1]
		plain := au.Credentials.Plain()
		if plain["apiKey"] != "KEY-SECRET-1" || plain["shopId"] != "12345678" || plain["endpoint"] != "" || plain["callsPerSecond"] != "2" {
			t.Fatalf("stored credentials %v", au.Credentials) // redacted when printed
		}
		if strings.Contains(htmlOf(s, "/settings/shops"), "KEY-SECRET-1") {
			t.Fatal("the shop list shows a credential")
		}
	})
}

// TestANewEndpointTakesTheSecretsAgain: the form never sends the stored APIキー to a new 接続先URL
// on its own: without the key typed again it is refused naming it and nothing changes; plain
// http goes only to this machine; with the key it is saved and 操作履歴 names the hosts.
func TestANewEndpointTakesTheSecretsAgain(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuShops, user.Update))
		w := s.do(http.MethodPost, "/settings/shops", url.Values{"channel": {"aupay"}, "name": {"au PAY 本店"}, "code": {"12345678"}})
		creds := w.Header().Get("Location") + "/credentials"
		if msg := flash(s.do(http.MethodPost, creds, url.Values{"apiKey": {"KEY-1"}, "shopId": {"12345678"}, "endpoint": {"http://localhost:18082"}})); !strings.Contains(msg, "認証情報を保存しました") {
			t.Fatalf("first save: %q", msg)
		}
		for _, c := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"endpoint": {"https://attacker.example/"}}, "「接続先URL」を変えるときは、APIキー も入力し直してください。"},
			{url.Values{"clear": {"endpoint"}, "callsPerSecond": {"2"}}, "「接続先URL」を変えるときは、APIキー も入力し直してください。"},
			{url.Values{"endpoint": {"http://10.0.0.8:8080/"}, "apiKey": {"KEY-1"}}, "暗号化されない http:// で接続できません"},
		} {
			if msg := flash(s.do(http.MethodPost, creds, c.form)); !strings.Contains(msg, c.want) {
				t.Errorf("%v: %q, want %q", c.form, msg, c.want)
			}
		}
		list, err := b.st.ListShops(ctx)
		if err != nil {
			t.Fatal(err)
		}
		au := list[len(list)-1]
		if got := au.Credentials.Plain(); got["endpoint"] != "http://localhost:18082" || got["callsPerSecond"] != "" {
			t.Fatal("a refused form changed the stored credentials")
		}
		if msg := flash(s.do(http.MethodPost, creds, url.Values{"endpoint": {"https://sim.example.jp/au"}, "apiKey": {"KEY-1"}})); !strings.Contains(msg, "認証情報を保存しました") {
			t.Fatalf("with the key again: %q", msg)
		}
		events, err := b.st.ListAudit(ctx, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || !strings.Contains(events[0].Detail, "接続先 http://localhost:18082 → https://sim.example.jp") || strings.Contains(events[0].Detail, "KEY-1") {
			t.Fatalf("操作履歴 %+v, want the move of the endpoint by host", events)
		}
	})
}

// TestSavingCredentialsResumesAShopInAuthError: a shop stopped by an auth error says so; new
// credentials put it back to work (SetShopCredentials sets it active) and the operator is told
// the jobs resume. The expiry warns from 14 days before, and a replaced licenseKey's expiry is
// unknown again.
func TestSavingCredentialsResumesAShopInAuthError(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuShops, user.Update))
		if err := b.st.SetCredentialsExpiry(ctx, b.shop.ID, time.Now().Add(10*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(htmlOf(s, "/settings/shops"), "(あと10日)") {
			t.Fatal("an expiry 10 days ahead is not warned of")
		}
		if _, err := b.st.MarkAuthError(ctx, b.shop.ID, "ES01-01 Un-Authorised"); err != nil {
			t.Fatal(err)
		}
		got := htmlOf(s, shopPath(b.shop.ID))
		if !strings.Contains(got, "認証エラー") || !strings.Contains(got, "ES01-01 Un-Authorised") || !strings.Contains(got, "止まっていた自動処理が再開") {
			t.Fatal("the shop page does not show the auth error and what saving does")
		}
		msg := flash(s.do(http.MethodPost, shopPath(b.shop.ID)+"/credentials", url.Values{"licenseKey": {"SL-new"}}))
		if !strings.Contains(msg, "認証エラーを解除したので、止まっていた自動処理は再開します") {
			t.Fatalf("save in auth error: %q", msg)
		}
		sh, err := b.st.GetShop(ctx, b.shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Status != shop.Active || sh.Credentials.Plain()["licenseKey"] != "SL-new" || sh.Credentials.Plain()["serviceSecret"] == "" {
			t.Fatalf("after saving: %s, keys kept %v", sh.Status, sh.Credentials)
		}
		if !sh.CredentialsExpireAt.IsZero() {
			t.Fatal("a replaced licenseKey keeps the old key's expiry")
		}
	})
}

// TestPhasesAreAddedRenamedAndReordered: 処理フェーズ adds at the end, renames, moves up, and
// refuses a duplicate name with the store's message.
func TestPhasesAreAddedRenamedAndReordered(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuWorkflow, user.Update))
		if msg := flash(s.do(http.MethodPost, "/settings/phases", url.Values{"shop_id": {i64toa(b.shop.ID)}, "name": {"検品待ち"}})); !strings.Contains(msg, "「検品待ち」を追加しました") {
			t.Fatalf("add: %q", msg)
		}
		if msg := flash(s.do(http.MethodPost, "/settings/phases", url.Values{"shop_id": {i64toa(b.shop.ID)}, "name": {"保留"}})); !strings.Contains(msg, "既にあります") {
			t.Fatalf("a duplicate: %q", msg)
		}
		phases, _ := b.st.ListPhases(ctx)
		added := phases[len(phases)-1]
		if added.Name != "検品待ち" {
			t.Fatalf("last phase %q", added.Name)
		}
		s.do(http.MethodPost, "/settings/phases/"+i64toa(added.ID)+"/rename", url.Values{"name": {"検品中"}})
		s.do(http.MethodPost, "/settings/phases/"+i64toa(added.ID)+"/move", url.Values{"dir": {"up"}})
		phases, _ = b.st.ListPhases(ctx)
		if p := phases[len(phases)-2]; p.ID != added.ID || p.Name != "検品中" {
			t.Fatalf("after rename and move up: %+v", phases)
		}
		if !strings.Contains(htmlOf(s, "/settings/phases?shop="+i64toa(b.shop.ID)), "検品中") {
			t.Fatal("the renamed phase is not listed")
		}
	})
}

// TestRuleFormShowsTheStoresRefusals: a kind the channel does not offer and a second kind on
// one target phase are refused with the store's words on the form; a rule saved stopped is
// started and stopped; the list shows the last and next run.
func TestRuleFormShowsTheStoresRefusals(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuWorkflow, user.Update))
		p := func(name string) string { return i64toa(b.phases[name].ID) }
		form := url.Values{"shop_id": {i64toa(b.shop.ID)}, "kind": {string(workflow.JobComplete)}, "target_phase_id": {p("出荷済み")},
			"success_phase_id": {p("完了")}, "error_phase_id": {p("エラー")}}
		w := s.do(http.MethodPost, "/settings/rules", form)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(w.Body.String()), "楽天市場の店舗では「受注完了ステータス反映」の自動処理は使えません") {
			t.Fatalf("a kind Rakuten does not offer: %d", w.Code)
		}
		form.Set("kind", string(workflow.JobShipReport))
		form.Set("target_phase_id", p("入金待ち")) // the payment review rule's target
		w = s.do(http.MethodPost, "/settings/rules", form)
		if w.Code != http.StatusConflict || !strings.Contains(html.UnescapeString(w.Body.String()), "既にこの店舗の自動処理「決済審査結果確認」の対象です") {
			t.Fatalf("a second kind on one phase: %d", w.Code)
		}
		if !strings.Contains(w.Body.String(), `value="`+p("入金待ち")+`" selected`) {
			t.Fatal("the refused form does not keep what was entered")
		}
		form.Set("target_phase_id", p("出荷待ち"))
		if msg := flash(s.do(http.MethodPost, "/settings/rules", form)); !strings.Contains(msg, "「出荷情報反映」を保存しました") {
			t.Fatalf("save: %q", msg)
		}
		rules, _ := b.st.ListRules(ctx, b.shop.ID)
		var ship workflow.Rule
		for _, r := range rules {
			if r.Kind == workflow.JobShipReport {
				ship = r
			}
		}
		if ship.ID == 0 || ship.Enabled {
			t.Fatalf("the rule saved without 開始 is %+v", ship)
		}
		s.do(http.MethodPost, rulePath(ship.ID)+"/enabled", url.Values{"enabled": {"1"}})
		if r, _ := b.st.GetRule(ctx, ship.ID); !r.Enabled {
			t.Fatal("開始 did not start the rule")
		}
		// Editing keeps it started and changes its phases.
		form.Set("error_phase_id", p("保留"))
		s.do(http.MethodPost, rulePath(ship.ID), form)
		if r, _ := b.st.GetRule(ctx, ship.ID); !r.Enabled || r.ErrorPhaseID != b.phases["保留"].ID {
			t.Fatalf("after editing: %+v", r)
		}
		next := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		if err := b.st.MarkRuleRun(ctx, ship.ID, next.Add(-time.Minute), next); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(htmlOf(s, rulesPath(b.shop.ID)), "2026/11/20 12:00") {
			t.Fatal("the next run is not shown in Japan time")
		}
		s.do(http.MethodPost, rulePath(ship.ID)+"/enabled", url.Values{"enabled": {"0"}})
		if r, _ := b.st.GetRule(ctx, ship.ID); r.Enabled {
			t.Fatal("停止 did not stop the rule")
		}
	})
}

// TestUsersAndPermissionGroups: a group is made with a level per menu, a user in it logs in
// with the password set here; a disabled user's session ends; nobody disables themselves, and
// the last who may change users cannot take that away.
func TestUsersAndPermissionGroups(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		admin := b.loginAs(t, only(user.MenuUsers, user.Update))
		w := admin.do(http.MethodPost, "/settings/groups", url.Values{"name": {"出荷担当"}, "perm_orders": {"2"}, "perm_history": {"1"}})
		if !strings.Contains(flash(w), "権限グループ「出荷担当」を追加しました") {
			t.Fatalf("group: %q", flash(w))
		}
		groups, _ := b.st.ListGroups(ctx)
		g := groups[len(groups)-1]
		if !g.Allows(user.MenuOrders, user.Update) || !g.Allows(user.MenuHistory, user.View) || g.Allows(user.MenuHistory, user.Update) || g.Allows(user.MenuUsers, user.View) {
			t.Fatalf("group permissions %v", g.Permissions)
		}
		newUser := url.Values{"login": {"yamada"}, "name": {"山田"}, "group_id": {i64toa(g.ID)}, "password": {"correct horse 1"}, "password_confirm": {"correct horse 2"}}
		if w := admin.do(http.MethodPost, "/settings/users", newUser); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "一致しません") {
			t.Fatalf("mismatched passwords: %d", w.Code)
		}
		newUser.Set("password_confirm", "correct horse 1")
		if msg := flash(admin.do(http.MethodPost, "/settings/users", newUser)); !strings.Contains(msg, "ユーザー「yamada」を追加しました") {
			t.Fatalf("user: %q", msg)
		}
		u, err := b.st.GetUserByLogin(ctx, "yamada")
		if err != nil || !user.CheckPassword(u.PasswordHash, "correct horse 1") || u.GroupID != g.ID {
			t.Fatalf("stored user %+v, %v", u, err)
		}

		// The clerk, logged in, is disabled: their session ends at once.
		clerk := b.loginAs(t, only(user.MenuOrders, user.View))
		clerkUser, _ := b.st.GetUserByLogin(ctx, clerk.login)
		if w := clerk.do(http.MethodGet, "/orders", nil); w.Code != http.StatusOK {
			t.Fatalf("the clerk before: %d", w.Code)
		}
		if msg := flash(admin.do(http.MethodPost, "/settings/users/"+i64toa(clerkUser.ID)+"/disabled", url.Values{"disabled": {"1"}})); !strings.Contains(msg, "無効にしました") {
			t.Fatalf("disable: %q", msg)
		}
		if w := clerk.do(http.MethodGet, "/orders", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("a disabled user's session still answers %d", w.Code)
		}

		adminUser, _ := b.st.GetUserByLogin(ctx, admin.login)
		if msg := flash(admin.do(http.MethodPost, "/settings/users/"+i64toa(adminUser.ID)+"/disabled", url.Values{"disabled": {"1"}})); !strings.Contains(msg, "自分自身を無効にすることはできません") {
			t.Fatalf("self-disable: %q", msg)
		}
		// The admin is the only one who may change users: their group cannot lose it.
		w = admin.do(http.MethodPost, groupPath(adminUser.GroupID), url.Values{"name": {"g"}, "perm_users": {"1"}})
		if !strings.Contains(flash(w), "更新できる有効なユーザーがいなくなります") {
			t.Fatalf("the last administrator's group: %q", flash(w))
		}
		if got, _ := b.st.GetGroup(ctx, adminUser.GroupID); !got.Allows(user.MenuUsers, user.Update) {
			t.Fatal("the refused change was saved")
		}
		// Moving the new user into an admin group, then renaming their old group works.
		admin.do(http.MethodPost, "/settings/users/"+i64toa(u.ID), url.Values{"name": {"山田 太郎"}, "email": {"yamada@example.jp"}, "group_id": {i64toa(adminUser.GroupID)}})
		if got, _ := b.st.GetUser(ctx, u.ID); got.Name != "山田 太郎" || got.GroupID != adminUser.GroupID {
			t.Fatalf("user after saving %+v", got)
		}
		listed := htmlOf(admin, "/settings/users")
		if !strings.Contains(listed, "yamada@example.jp") || !strings.Contains(listed, "出荷担当") {
			t.Fatal("the users page does not list the user and the group")
		}
	})
}

// TestSettingsMenusFollowThePermissions: 設定 shows for a group that may view one settings page,
// /settings and the start page lead to it, and the notification addresses are shown without
// their form to a view level.
func TestSettingsMenusFollowThePermissions(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	s := b.loginAs(t, only(user.MenuShops, user.View))
	if w := s.do(http.MethodGet, "/", nil); w.Header().Get("Location") != "/settings/shops" {
		t.Fatalf("the start page of a shops-only group goes to %q", w.Header().Get("Location"))
	}
	got := htmlOf(s, "/settings/notify")
	if !strings.Contains(got, `href="/settings"`) || !strings.Contains(got, "ops@example.jp") || !strings.Contains(got, "--notify-to") {
		t.Fatal("the notify page does not show the addresses and where they are set")
	}
	if strings.Contains(got, `href="/settings/users"`) || strings.Contains(got, `action="/settings/shops"`) || strings.Contains(got, `action="/settings/notify"`) {
		t.Fatal("a view-only shops group is offered users or a shop form")
	}
	none := b.loginAs(t, only(user.MenuOrders, user.View))
	if strings.Contains(htmlOf(none, "/orders"), `href="/settings"`) {
		t.Fatal("設定 is shown to a group without any settings menu")
	}
	if w := none.do(http.MethodGet, "/settings", nil); w.Header().Get("Location") != "/" {
		t.Fatalf("/settings without a settings menu goes to %q", w.Header().Get("Location"))
	}
}
