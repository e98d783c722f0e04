package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/audit"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestSettingsChangesAreRecordedWithWhoMadeThem: each change made through the wrapped store is a
// line of 操作履歴 naming the actor and what changed; a refused change is none; credentials are
// recorded by key name and passwords by the fact, never their values.
func TestSettingsChangesAreRecordedWithWhoMadeThem(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			raw := engine.Open(t)
			st := audit.Wrap(raw, nil)
			ctx := user.WithActor(context.Background(), "hanako")
			sh, phases := storetest.NewShop(t, raw, "tea")

			p, err := st.CreatePhase(ctx, "検品待ち")
			if err != nil {
				t.Fatal(err)
			}
			if err := st.RenamePhase(ctx, p.ID, ""); err == nil {
				t.Fatal("an empty phase name was taken")
			}
			if err := st.RenamePhase(ctx, p.ID, "検品中"); err != nil {
				t.Fatal(err)
			}
			if err := st.DeletePhase(ctx, phases["保留"].ID); err != nil {
				t.Fatal(err)
			}
			if err := st.SetShopCredentials(ctx, sh.ID, shop.Credentials{"serviceSecret": "SP-very-secret", "licenseKey": "SL-very-secret"}, time.Time{}); err != nil {
				t.Fatal(err)
			}
			g, err := st.CreateGroup(ctx, user.Group{Name: "出荷係", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update}})
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.CreateUser(ctx, user.User{Login: "jiro", PasswordHash: "hash-1", GroupID: g.ID})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetPassword(ctx, u.ID, "hash-2-secret"); err != nil {
				t.Fatal(err)
			}
			// A save that stops a rule says so; a change a reset got in before is refused, and unrecorded.
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobConfirm, TargetPhaseID: phases["確認待ち"].ID,
				SuccessPhaseID: phases["入金待ち"].ID, ErrorPhaseID: phases["エラー"].ID, Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			rule.Enabled = false
			if _, err := st.SaveRule(ctx, rule); err != nil {
				t.Fatal(err)
			}
			if err := st.ChangePassword(ctx, u.ID, "hash-1", "hash-3"); err == nil {
				t.Fatal("a change after a reset was taken")
			}
			tok, err := st.CreateAPIToken(ctx, user.APIToken{TokenHash: "token-hash-secret", UserID: u.ID, Name: "出荷スクリプト", CreatedAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.DeleteAPIToken(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}

			events, err := raw.ListAudit(context.Background(), 1, 100)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for i := len(events) - 1; i >= 0; i-- {
				e := events[i]
				if e.Actor != "hanako" {
					t.Errorf("%q was recorded as done by %q", e.Action, e.Actor)
				}
				lines = append(lines, e.Action+" | "+e.Target+" | "+e.Detail)
			}
			want := []string{
				"処理フェーズを追加 | 検品待ち | ",
				"処理フェーズ名を変更 | 検品待ち | 新しい名前: 検品中",
				"処理フェーズを削除 | 保留 | ",
				"認証情報を保存 | tea | 変更したキー: licenseKey, serviceSecret",
				"権限グループを追加 | 出荷係 | 注文一括処理・注文個別確認: 更新、連携履歴: なし、店舗設定・通知先: なし、処理フェーズ・自動処理設定: なし、ユーザー・権限設定: なし",
				"ユーザーを追加 | jiro | 権限グループ 出荷係",
				"パスワードを再設定 | jiro | ",
				"自動処理を追加 | tea / 注文確認 | 対象 確認待ち、成功時 入金待ち、エラー時 エラー、間隔 5分",
				"自動処理を開始 | tea / 注文確認 | ",
				"自動処理を保存 | tea / 注文確認 | 対象 確認待ち、成功時 入金待ち、エラー時 エラー、間隔 5分",
				"自動処理を停止 | tea / 注文確認 | ",
				fmt.Sprintf("APIトークンを作成 | jiro | トークンID %d 出荷スクリプト", tok.ID),
				fmt.Sprintf("APIトークンを取り消し | jiro | トークンID %d 出荷スクリプト", tok.ID),
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Fatalf("操作履歴:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
			all := strings.Join(lines, "\n")
			for _, secret := range []string{"very-secret", "hash-2", "token-hash"} {
				if strings.Contains(all, secret) {
					t.Errorf("操作履歴 holds a secret (%s)", secret)
				}
			}
			var _ store.Store = st
		})
	}
}
