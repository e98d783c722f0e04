package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestCreateShopOffersTheChannelsFlowStopped: POST /shops gives a Rakuten shop seed 003's chain
// (受注取込 → 注文確認 → 決済審査結果確認 → 出荷情報反映), every rule stopped, and says so;
// without_rules leaves a shop without them.
func TestCreateShopOffersTheChannelsFlowStopped(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.admin(t)
		got := decode[CreatedShop](t, b.do(t, token, http.MethodPost, "/shops", map[string]any{"channel": "rakuten", "name": "茶の店", "code": "cha"}), http.StatusCreated)
		var kinds []string
		for _, r := range got.Rules {
			if r.Enabled || r.ShopID != got.ID {
				t.Errorf("rule %+v: started, or of another shop", r)
			}
			kinds = append(kinds, r.Kind)
		}
		if strings.Join(kinds, ",") != "import,confirm,payment_review,ship_report" || !strings.Contains(got.Message, "停止中で用意しました") {
			t.Fatalf("rules %v, message %q", kinds, got.Message)
		}
		stored, err := b.st.ListRules(t.Context(), got.ID)
		if err != nil || len(stored) != 4 {
			t.Fatalf("stored %d rules (%v)", len(stored), err)
		}
		bare := decode[CreatedShop](t, b.do(t, token, http.MethodPost, "/shops", map[string]any{"channel": "rakuten", "name": "素の店", "code": "su", "without_rules": true}), http.StatusCreated)
		if stored, err := b.st.ListRules(t.Context(), bare.ID); err != nil || len(stored) != 0 || len(bare.Rules) != 0 {
			t.Fatalf("without_rules: %d rules stored, %d answered (%v)", len(stored), len(bare.Rules), err)
		}
	})
}

// TestCreateShopWithoutRuleRightsMakesNoRules: the rules are 自動処理's, so a token whose group
// may update shops but not 自動処理 gets the shop without rules, and the message says that an
// administrator with 自動処理 rights must add them.
func TestCreateShopWithoutRuleRightsMakesNoRules(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		perms := only(user.MenuShops, user.Update)
		perms[user.MenuWorkflow] = user.View
		token := b.tokenFor(t, perms)
		got := decode[CreatedShop](t, b.do(t, token, http.MethodPost, "/shops", map[string]any{"channel": "rakuten", "name": "権限なし店", "code": "nr"}), http.StatusCreated)
		stored, err := b.st.ListRules(t.Context(), got.ID)
		if err != nil || len(stored) != 0 || len(got.Rules) != 0 {
			t.Fatalf("a token without 自動処理 rights made %d rules, answered %d (%v)", len(stored), len(got.Rules), err)
		}
		if !strings.Contains(got.Message, "自動処理の更新権限") || !strings.Contains(got.Message, "管理者") || !got.RulesWithheld {
			t.Fatalf("message %q, rules_withheld %v", got.Message, got.RulesWithheld)
		}
	})
}
