package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestCreateShopAndSetCredentials: a shop is created on a channel ichigen talks to; credentials
// are write-only, a blank value keeps the stored one, and the answer names the keys, never the
// values.
func TestCreateShopAndSetCredentials(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.admin(t)

		if p := problem(t, b.do(t, token, http.MethodPost, "/shops", map[string]any{"channel": "faxmall", "name": "x", "code": "x"}),
			http.StatusUnprocessableEntity); p.Detail != "チャネルを一覧から選んでください。" {
			t.Errorf("detail %q", p.Detail)
		}
		sh := decode[Shop](t, b.do(t, token, http.MethodPost, "/shops", map[string]any{"channel": "rakuten", "name": " 茶の店 ", "code": "cha"}), http.StatusCreated)
		if sh.ID == 0 || sh.Name != "茶の店" || sh.Channel != "rakuten" || len(sh.CredentialKeys) != 0 {
			t.Fatalf("created %+v", sh)
		}
		phases, err := b.st.ListPhases(context.Background())
		if err != nil || len(phases) == 0 {
			t.Errorf("new shop has %d phases (%v), want the default ones", len(phases), err)
		}
		path := "/shops/" + i64(sh.ID) + "/credentials"

		if p := problem(t, b.do(t, token, http.MethodPut, path, map[string]any{"credentials": map[string]string{"serviceSecret": "SP-1"}}),
			http.StatusUnprocessableEntity); p.Detail != "「licenseKey」を入力してください。" {
			t.Errorf("detail %q", p.Detail)
		}
		expire := base.Add(80 * 24 * time.Hour)
		w := b.do(t, token, http.MethodPut, path, map[string]any{"credentials": map[string]string{"serviceSecret": "SP-1", "licenseKey": "SL-1"}, "expire_at": expire})
		res := decode[CredentialsResult](t, w, http.StatusOK)
		if strings.Contains(w.Body.String(), "SP-1") || strings.Contains(w.Body.String(), "SL-1") {
			t.Errorf("answer shows a credential's value: %s", w.Body.String())
		}
		if strings.Join(res.Shop.CredentialKeys, ",") != "licenseKey,serviceSecret" || res.Shop.CredentialsExpireAt == nil || !res.Shop.CredentialsExpireAt.Equal(expire) {
			t.Errorf("saved %+v", res.Shop)
		}

		// A blank value keeps the stored one; an optional key is added and then cleared (a new
		// endpoint takes the secrets again: TestChangingTheEndpointNeedsTheSecretsAgain).
		res = decode[CredentialsResult](t, b.do(t, token, http.MethodPut, path,
			map[string]any{"credentials": map[string]string{"serviceSecret": "SP-1", "licenseKey": "SL-1", "endpoint": "http://127.0.0.1:9999"}}), http.StatusOK)
		stored, err := b.st.GetShop(context.Background(), sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := stored.Credentials.Plain(); c["serviceSecret"] != "SP-1" || c["licenseKey"] != "SL-1" || c["endpoint"] != "http://127.0.0.1:9999" {
			t.Errorf("stored credentials %v", c)
		}
		if res.Shop.CredentialsExpireAt == nil {
			t.Error("keeping the licenseKey forgot the expiry")
		}
		res = decode[CredentialsResult](t, b.do(t, token, http.MethodPut, path, map[string]any{"credentials": map[string]string{"serviceSecret": "SP-1", "licenseKey": "SL-1"}, "clear": []string{"endpoint"}}), http.StatusOK)
		if strings.Join(res.Shop.CredentialKeys, ",") != "licenseKey,serviceSecret" {
			t.Errorf("after clearing endpoint: %v", res.Shop.CredentialKeys)
		}
		// A new licenseKey makes the expiry unknown.
		res = decode[CredentialsResult](t, b.do(t, token, http.MethodPut, path, map[string]any{"credentials": map[string]string{"licenseKey": "SL-2"}}), http.StatusOK)
		if res.Shop.CredentialsExpireAt != nil {
			t.Errorf("expiry %v after a new licenseKey, want unknown", res.Shop.CredentialsExpireAt)
		}

		for _, c := range []struct {
			body   map[string]any
			detail string
		}{
			{map[string]any{"credentials": map[string]string{}}, "変更する認証情報を送ってください。保存済みの値は返さないため、変更しない項目は送らないか空のままで構いません。"},
			{map[string]any{"credentials": map[string]string{"apiKey": "x"}}, "楽天市場の店舗では「apiKey」という認証情報は使いません。"},
			{map[string]any{"credentials": map[string]string{"endpoint": "ftp://x"}}, "「接続先URL」は https:// で始まるURLで入力してください(http:// はこのサーバー自身で動くシミュレーターにだけ使えます)。"},
			{map[string]any{"credentials": map[string]string{}, "clear": []string{"licenseKey"}}, "「licenseKey」は必須のため削除できません。新しい値を送ってください。"},
		} {
			if p := problem(t, b.do(t, token, http.MethodPut, path, c.body), http.StatusUnprocessableEntity); p.Detail != c.detail {
				t.Errorf("%v: detail %q, want %q", c.body, p.Detail, c.detail)
			}
		}
		if w := b.do(t, token, http.MethodPut, "/shops/999999/credentials", map[string]any{"credentials": map[string]string{"licenseKey": "x"}}); w.Code != http.StatusNotFound {
			t.Errorf("unknown shop: %d", w.Code)
		}
	})
}

// TestChangingTheEndpointNeedsTheSecretsAgain: the stored keys are never sent to a new address
// on the say-so of a settings change alone. A new endpoint without every secret is refused
// naming them, plain http goes only to this machine, and 操作履歴 records the move by host.
func TestChangingTheEndpointNeedsTheSecretsAgain(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.tokenFor(t, only(user.MenuShops, user.Update))
		path := "/shops/" + i64(b.shop.ID) + "/credentials"
		decode[CredentialsResult](t, b.do(t, token, http.MethodPut, path,
			map[string]any{"credentials": map[string]string{"serviceSecret": "SP-keep", "licenseKey": "SL-keep", "endpoint": "http://127.0.0.1:18081"}}), http.StatusOK)

		for _, c := range []struct {
			creds  map[string]string
			clear  []string
			detail string
		}{
			{map[string]string{"endpoint": "https://attacker.example/es/2.0"}, nil,
				"「接続先URL」を変えるときは、serviceSecret、licenseKey も入力し直してください。保存済みの秘密の値を、新しい接続先へそのまま送らないためです。"},
			{map[string]string{"endpoint": "https://attacker.example/", "licenseKey": "SL-keep"}, nil, "serviceSecret も入力し直してください。"},
			{map[string]string{}, []string{"endpoint"}, "serviceSecret、licenseKey も入力し直してください。"},
			{map[string]string{"endpoint": "http://attacker.example:8080/", "serviceSecret": "SP-keep", "licenseKey": "SL-keep"}, nil,
				"「接続先URL」の「attacker.example:8080」には暗号化されない http:// で接続できません。"},
		} {
			p := problem(t, b.do(t, token, http.MethodPut, path, map[string]any{"credentials": c.creds, "clear": c.clear}), http.StatusUnprocessableEntity)
			if !strings.Contains(p.Detail, c.detail) {
				t.Errorf("%v clear %v: detail %q, want %q", c.creds, c.clear, p.Detail, c.detail)
			}
		}
		if got, err := b.st.GetShop(ctx, b.shop.ID); err != nil || got.Credentials.Plain()["endpoint"] != "http://127.0.0.1:18081" {
			t.Fatalf("a refused change moved the endpoint: %v", err)
		}

		decode[CredentialsResult](t, b.do(t, token, http.MethodPut, path,
			map[string]any{"credentials": map[string]string{"endpoint": "https://sim.example.jp/es/2.0?x=1", "serviceSecret": "SP-new", "licenseKey": "SL-new"}}), http.StatusOK)
		events := decode[struct{ Events []AuditEvent }](t, b.do(t, b.admin(t), http.MethodGet, "/audit", nil), http.StatusOK).Events
		if len(events) == 0 || events[0].Action != "認証情報を保存" ||
			!strings.Contains(events[0].Detail, "接続先 http://127.0.0.1:18081 → https://sim.example.jp") ||
			strings.Contains(events[0].Detail, "SP-new") || strings.Contains(events[0].Detail, "/es/2.0") {
			t.Errorf("操作履歴 %+v, want the endpoint's move by host and no secret", events)
		}
	})
}

// TestCredentialsBringAShopBackFromAuthError: saving credentials sets a shop stopped by an auth
// error active again, as the UI's form does.
func TestCredentialsBringAShopBackFromAuthError(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		if err := b.st.SetShopStatus(ctx, b.shop.ID, shop.AuthError, "認証エラー"); err != nil {
			t.Fatal(err)
		}
		res := decode[CredentialsResult](t, b.do(t, b.admin(t), http.MethodPut, "/shops/"+i64(b.shop.ID)+"/credentials",
			map[string]any{"credentials": map[string]string{"licenseKey": "SL-new"}}), http.StatusOK)
		if res.Shop.Status != string(shop.Active) || !strings.Contains(res.Message, "認証エラーを解除した") {
			t.Errorf("after new credentials: status %s, message %q", res.Shop.Status, res.Message)
		}
	})
}

// TestImportRange queues an import_range job with the range, and refuses a range the
// marketplaces cannot search with jobs.CheckImportRange's message.
func TestImportRange(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		now := time.Now().UTC().Truncate(time.Second)
		b.h.deps.Now = func() time.Time { return now }
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		path := "/shops/" + i64(b.shop.ID) + "/import"
		from, to := now.Add(-72*time.Hour), now.Add(-time.Hour)

		q := decode[ImportQueued](t, b.do(t, token, http.MethodPost, path, map[string]any{"from": from, "to": to, "overwrite": true}), http.StatusAccepted)
		queued := b.jobsOf(t, jobs.ImportRangeArgs{}.Kind())
		if len(queued) != 1 || queued[0].ID != q.JobID {
			t.Fatalf("queued %v, answered job %d", queued, q.JobID)
		}
		var args jobs.ImportRangeArgs
		if err := json.Unmarshal(queued[0].Args, &args); err != nil {
			t.Fatal(err)
		}
		if args.ShopID != b.shop.ID || !args.From.Equal(from) || !args.To.Equal(to) || !args.Overwrite {
			t.Errorf("queued args %+v", args)
		}

		if p := problem(t, b.do(t, token, http.MethodPost, path, map[string]any{"from": to, "to": from}), http.StatusUnprocessableEntity); p.Detail != "取込期間の開始日時は終了日時より前にしてください。" {
			t.Errorf("detail %q", p.Detail)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, path, map[string]any{"from": from, "to": now.Add(time.Hour)}), http.StatusUnprocessableEntity); p.Detail != "取込期間の終了日時に未来の日時は指定できません。" {
			t.Errorf("detail %q", p.Detail)
		}
		if w := b.do(t, token, http.MethodPost, "/shops/999999/import", map[string]any{"from": from, "to": to}); w.Code != http.StatusNotFound {
			t.Errorf("unknown shop: %d", w.Code)
		}
		if n := len(b.jobsOf(t, jobs.ImportRangeArgs{}.Kind())); n != 1 {
			t.Errorf("%d jobs queued, want only the accepted one", n)
		}
	})
}

// TestUsersAndGroups: users are listed without password hashes, created with a hashed password,
// changed and disabled; groups are created and changed; and the UI's safety rules hold.
func TestUsersAndGroups(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		me := decode[Me](t, b.do(t, token, http.MethodGet, "/me", nil), http.StatusOK)

		viewers := decode[Group](t, b.do(t, token, http.MethodPost, "/groups",
			map[string]any{"name": "閲覧のみ", "permissions": map[string]string{"orders": "view", "users": "view"}}), http.StatusCreated)
		if viewers.Permissions["orders"] != "view" || viewers.Permissions["shops"] != "none" || viewers.Permissions["users"] != "view" {
			t.Errorf("created group %+v", viewers)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, "/groups", map[string]any{"name": "x", "permissions": map[string]string{"orders": "admin"}}),
			http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "none, view, update") {
			t.Errorf("detail %q", p.Detail)
		}

		body := map[string]any{"login": "sato", "name": "佐藤", "email": "sato@example.jp", "group_id": viewers.ID, "password": "short"}
		if p := problem(t, b.do(t, token, http.MethodPost, "/users", body), http.StatusUnprocessableEntity); p.Detail != "パスワードは10文字以上にしてください。" {
			t.Errorf("detail %q", p.Detail)
		}
		body["password"], body["email"] = "a-long-password", "not an address"
		if p := problem(t, b.do(t, token, http.MethodPost, "/users", body), http.StatusUnprocessableEntity); p.Detail != "メールアドレス「not an address」が読めません。" {
			t.Errorf("detail %q", p.Detail)
		}
		body["email"] = "sato@example.jp"
		w := b.do(t, token, http.MethodPost, "/users", body)
		sato := decode[User](t, w, http.StatusCreated)
		if sato.Login != "sato" || sato.Group != "閲覧のみ" || sato.Disabled || strings.Contains(w.Body.String(), "a-long-password") {
			t.Errorf("created %s", w.Body.String())
		}
		stored, err := b.st.GetUser(ctx, sato.ID)
		if err != nil || !user.CheckPassword(stored.PasswordHash, "a-long-password") {
			t.Errorf("stored password does not check (%v)", err)
		}

		list := decode[struct{ Users []User }](t, b.do(t, token, http.MethodGet, "/users", nil), http.StatusOK)
		if len(list.Users) < 2 || strings.Contains(strings.ToLower(jsonOf(t, list)), "hash") {
			t.Errorf("users %+v", list.Users)
		}
		groups := decode[struct{ Groups []Group }](t, b.do(t, token, http.MethodGet, "/groups", nil), http.StatusOK)
		if len(groups.Groups) < 2 {
			t.Errorf("groups %+v", groups.Groups)
		}

		sato = decode[User](t, b.do(t, token, http.MethodPut, "/users/"+i64(sato.ID), map[string]any{"name": "佐藤 花子", "email": "", "group_id": viewers.ID}), http.StatusOK)
		if sato.Name != "佐藤 花子" || sato.Email != "" {
			t.Errorf("updated %+v", sato)
		}
		sato = decode[User](t, b.do(t, token, http.MethodPut, "/users/"+i64(sato.ID)+"/disabled", map[string]any{"disabled": true}), http.StatusOK)
		if !sato.Disabled {
			t.Error("not disabled")
		}
		sato = decode[User](t, b.do(t, token, http.MethodPut, "/users/"+i64(sato.ID)+"/disabled", map[string]any{"disabled": false}), http.StatusOK)
		if sato.Disabled {
			t.Error("not enabled again")
		}

		// Safety rules: nobody disables themselves, and no change leaves nobody able to change users.
		if p := problem(t, b.do(t, token, http.MethodPut, "/users/"+i64(me.UserID)+"/disabled", map[string]any{"disabled": true}),
			http.StatusUnprocessableEntity); p.Detail != "自分自身を無効にすることはできません。別の管理者に依頼してください。" {
			t.Errorf("detail %q", p.Detail)
		}
		const noAdmin = "この変更をすると、ユーザー・権限設定を更新できる有効なユーザーがいなくなります。先に別のユーザーに更新権限を与えてください。"
		if p := problem(t, b.do(t, token, http.MethodPut, "/users/"+i64(me.UserID), map[string]any{"name": "x", "email": "", "group_id": viewers.ID}),
			http.StatusConflict); p.Detail != noAdmin {
			t.Errorf("detail %q", p.Detail)
		}
		meUser, err := b.st.GetUser(ctx, me.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if p := problem(t, b.do(t, token, http.MethodPut, "/groups/"+i64(meUser.GroupID), map[string]any{"name": "管理", "permissions": map[string]string{"users": "view"}}),
			http.StatusConflict); p.Detail != noAdmin {
			t.Errorf("detail %q", p.Detail)
		}
		viewers = decode[Group](t, b.do(t, token, http.MethodPut, "/groups/"+i64(viewers.ID),
			map[string]any{"name": "出荷担当", "permissions": map[string]string{"orders": "update"}}), http.StatusOK)
		if viewers.Name != "出荷担当" || viewers.Permissions["orders"] != "update" || viewers.Permissions["users"] != "none" {
			t.Errorf("updated group %+v", viewers)
		}
		if w := b.do(t, token, http.MethodPut, "/groups/999999", map[string]any{"name": "x", "permissions": map[string]string{}}); w.Code != http.StatusNotFound {
			t.Errorf("unknown group: %d", w.Code)
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
