package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestANewShopGetsItsChannelsFlowStopped: creating an au PAY shop with 標準の自動処理 gives it
// seed 000's chain (受注取込 → 注文情報ステータス取得 → 出荷情報反映 → 受注完了ステータス反映) on
// the company's shared phases, every rule stopped; the phase the chain needs beyond the
// defaults is made once, by name, and a second shop finds it. Until its credentials are in the
// shop is 認証情報未設定, not 稼働中.
func TestANewShopGetsItsChannelsFlowStopped(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		perms := only(user.MenuShops, user.Update)
		perms[user.MenuWorkflow] = user.Update // the rules are 自動処理's: only its updaters make them
		s := b.loginAs(t, perms)
		working := strings.Count(htmlOf(s, "/settings/shops"), "稼働中") // the bundle's own shop
		var created []int64
		for _, name := range []string{"au PAY 本店", "au PAY 2号店"} {
			w := s.do(http.MethodPost, "/settings/shops", url.Values{"channel": {"aupay"}, "name": {name}, "code": {"12345678"}, "flow": {"1"}})
			want := "au PAY マーケットの標準の自動処理(受注取込 → 注文情報ステータス取得 → 出荷情報反映 → 受注完了ステータス反映)を停止中で用意しました"
			if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), want) {
				t.Fatalf("create %s: %d %q", name, w.Code, flash(w))
			}
			list, err := b.st.ListShops(ctx)
			if err != nil {
				t.Fatal(err)
			}
			created = append(created, list[len(list)-1].ID)
		}
		phases, err := b.st.ListPhases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := map[int64]string{}
		reflected := 0
		for _, p := range phases {
			names[p.ID] = p.Name
			if p.Name == "出荷反映済み" {
				reflected++
			}
		}
		if reflected != 1 {
			t.Fatalf("%d phases named 出荷反映済み, want one shared by both shops", reflected)
		}
		for _, id := range created {
			rules, err := b.st.ListRules(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rules {
				if r.Enabled {
					t.Errorf("shop %d: rule %s started before the credentials are in", id, r.Kind)
				}
				got = append(got, fmt.Sprintf("%s:%s→%s/%s", r.Kind, names[r.TargetPhaseID], names[r.SuccessPhaseID], names[r.ErrorPhaseID]))
			}
			want := []string{"import:→/", "status_fetch:新規受付→出荷待ち/エラー", "ship_report:出荷済み→出荷反映済み/エラー", "complete:出荷反映済み→完了/エラー"}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("shop %d rules %v, want %v", id, got, want)
			}
		}
		list := htmlOf(s, "/settings/shops")
		if strings.Count(list, "稼働中") != working || strings.Count(list, "認証情報未設定") != 2 {
			t.Fatal("a shop without credentials is shown as working")
		}
		w := s.do(http.MethodPost, shopPath(created[0])+"/credentials", url.Values{"apiKey": {"KEY"}, "shopId": {"12345678"}})
		if !strings.Contains(flash(w), "認証情報を保存しました") {
			t.Fatalf("save: %q", flash(w))
		}
		if list := htmlOf(s, "/settings/shops"); strings.Count(list, "稼働中") != working+1 || strings.Count(list, "認証情報未設定") != 1 {
			t.Fatal("a shop with its credentials in is not 稼働中")
		}
		// Without the box ticked the shop gets no rules.
		s.do(http.MethodPost, "/settings/shops", url.Values{"channel": {"rakuten"}, "name": {"楽天店"}, "code": {"r"}})
		all, err := b.st.ListShops(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rules, err := b.st.ListRules(ctx, all[len(all)-1].ID); err != nil || len(rules) != 0 {
			t.Fatalf("unasked rules %v %v", rules, err)
		}
	})
}

// TestAPollingRuleSaysItsIntervalAsItIs: a half-minute import reads 「30秒ごと」, never 「0分ごと」.
func TestAPollingRuleSaysItsIntervalAsItIs(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	for d, want := range map[time.Duration]string{30 * time.Second: "30秒ごと", 5 * time.Minute: "5分ごと", 2 * time.Hour: "2時間ごと", 0: "5分ごと", 90 * time.Second: "90秒ごと"} {
		if got := intervalLabel(ctx, d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

// TestTheRuleFormKeepsAnIntervalUnderAMinute: a 30-second rule (the demo's) opens in the rule
// form as 0.5分, not 0, and saving the form unchanged keeps 30 seconds; less than 30 seconds and
// what is not a number are refused with what to enter.
func TestTheRuleFormKeepsAnIntervalUnderAMinute(t *testing.T) {
	t.Parallel()
	if got := minutes(30 * time.Second); got != "0.5" {
		t.Errorf("a 30-second rule opens as %q minutes", got)
	}
	if got := minutes(5 * time.Minute); got != "5" {
		t.Errorf("a 5-minute rule opens as %q minutes", got)
	}
	read := func(interval string) (workflow.Rule, error) {
		form := url.Values{"kind": {string(workflow.JobImport)}, "interval": {interval}}
		r := httptest.NewRequest(http.MethodPost, "/settings/rules", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var rule workflow.Rule
		_, err := readRule(r, &rule)
		return rule, err
	}
	if rule, err := read("0.5"); err != nil || rule.Interval != 30*time.Second {
		t.Errorf("0.5 minutes read as %v, %v", rule.Interval, err)
	}
	if rule, err := read("15"); err != nil || rule.Interval != 15*time.Minute {
		t.Errorf("15 minutes read as %v, %v", rule.Interval, err)
	}
	for _, bad := range []string{"0.2", "abc", "1441", ""} {
		if _, err := read(bad); err == nil || !strings.Contains(err.Error(), "0.5〜1440") {
			t.Errorf("%q: %v, want a refusal saying what to enter", bad, err)
		}
	}
}

// TestAShopUserWithoutRuleRightsGetsTheShopWithoutRules: the rules a new shop is offered are
// 自動処理's, so a user who may update shops but not 自動処理 gets the shop, no rules (even with
// the box ticked by a hand-made form), and a message that an administrator with 自動処理 rights
// must add them.
func TestAShopUserWithoutRuleRightsGetsTheShopWithoutRules(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		perms := only(user.MenuShops, user.Update)
		perms[user.MenuWorkflow] = user.View
		s := b.loginAs(t, perms)
		w := s.do(http.MethodPost, "/settings/shops", url.Values{"channel": {"rakuten"}, "name": {"権限なし店"}, "code": {"nr"}, "flow": {"1"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %q", w.Code, w.Body.String())
		}
		msg := flash(w)
		if !strings.Contains(msg, "店舗「権限なし店」を作成しました") || !strings.Contains(msg, "自動処理の更新権限") || !strings.Contains(msg, "管理者") {
			t.Fatalf("message %q does not say who must add the rules", msg)
		}
		all, err := b.st.ListShops(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sh := all[len(all)-1]
		if sh.Name != "権限なし店" {
			t.Fatalf("last shop %q", sh.Name)
		}
		if rules, err := b.st.ListRules(ctx, sh.ID); err != nil || len(rules) != 0 {
			t.Fatalf("a user without 自動処理 rights made %d rules (%v)", len(rules), err)
		}
		if strings.Contains(htmlOf(s, "/settings/shops"), `name="flow"`) {
			t.Error("the form offers the rules' box to a user who may not make rules")
		}
	})
}
