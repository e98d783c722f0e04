package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestPhasesAreCreatedRenamedAndReordered: the phases, every shop's, are listed in order, added at the
// end, renamed with the name checked, and reordered only with all of them.
func TestPhasesAreCreatedRenamedAndReordered(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("workflow", 2))
		shopPath := "/phases"
		list := decode[struct {
			Phases []Phase `json:"phases"`
		}](t, b.do(t, token, http.MethodGet, shopPath, nil), http.StatusOK)
		if len(list.Phases) != 9 || list.Phases[0].Name != "新規受付" {
			t.Fatalf("phases %+v", list.Phases)
		}
		created := decode[Phase](t, b.do(t, token, http.MethodPost, shopPath, map[string]any{"name": " 検品待ち "}), http.StatusCreated)
		if created.Name != "検品待ち" {
			t.Errorf("created %+v", created)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, shopPath, map[string]any{"name": "検品待ち"}), http.StatusConflict); p.Detail == "" {
			t.Error("a second phase of the same name has no message")
		}
		renamed := decode[Phase](t, b.do(t, token, http.MethodPut, "/phases/"+i64(created.ID), map[string]any{"name": "梱包待ち"}), http.StatusOK)
		if renamed.Name != "梱包待ち" {
			t.Errorf("renamed %+v", renamed)
		}
		long := strings.Repeat("長", 41)
		if p := problem(t, b.do(t, token, http.MethodPut, "/phases/"+i64(created.ID), map[string]any{"name": long}), http.StatusUnprocessableEntity); !strings.HasPrefix(p.Detail, "処理フェーズ名は40文字以内で入力してください") {
			t.Errorf("too long: %q", p.Detail)
		}
		ids := []int64{created.ID}
		for _, p := range list.Phases {
			ids = append(ids, p.ID)
		}
		order := decode[struct {
			Phases []Phase `json:"phases"`
		}](t, b.do(t, token, http.MethodPut, shopPath+"/order", map[string]any{"ids": ids}), http.StatusOK)
		if order.Phases[0].ID != created.ID || order.Phases[1].Name != "新規受付" {
			t.Errorf("reordered %+v", order.Phases)
		}
		if p := problem(t, b.do(t, token, http.MethodPut, shopPath+"/order", map[string]any{"ids": ids[:3]}), http.StatusUnprocessableEntity); p.Detail != "並べ替えには処理フェーズをすべて1回ずつ指定してください。画面を更新してからやり直してください。" {
			t.Errorf("partial reorder: %q", p.Detail)
		}
	})
}

// TestRulesAreSavedStartedAndStopped: a rule is created, saved, started and stopped; a second
// job kind on one target phase is a conflict with the seed's message; a kind the channel lacks
// is refused.
func TestRulesAreSavedStartedAndStopped(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("workflow", 2))
		rulesPath := "/shops/" + i64(b.shop.ID) + "/rules"
		confirm := map[string]any{"kind": "confirm", "target_phase_id": b.phases["確認待ち"].ID, "success_phase_id": b.phases["入金待ち"].ID, "error_phase_id": b.phases["エラー"].ID}
		r := decode[Rule](t, b.do(t, token, http.MethodPost, rulesPath, confirm), http.StatusCreated)
		if r.Kind != "confirm" || r.KindLabel != "注文確認" || r.Enabled || r.IntervalSeconds != 300 {
			t.Errorf("created %+v", r)
		}
		started := decode[Rule](t, b.do(t, token, http.MethodPost, "/rules/"+i64(r.ID)+"/start", nil), http.StatusOK)
		if !started.Enabled {
			t.Error("start did not start the rule")
		}
		if stopped := decode[Rule](t, b.do(t, token, http.MethodPost, "/rules/"+i64(r.ID)+"/stop", nil), http.StatusOK); stopped.Enabled {
			t.Error("stop did not stop the rule")
		}
		confirm["error_phase_id"] = b.phases["保留"].ID
		confirm["enabled"] = true
		saved := decode[Rule](t, b.do(t, token, http.MethodPut, "/rules/"+i64(r.ID), confirm), http.StatusOK)
		if saved.ErrorPhaseID != b.phases["保留"].ID || !saved.Enabled || saved.ShopID != b.shop.ID {
			t.Errorf("saved %+v", saved)
		}
		taken := map[string]any{"kind": "payment_review", "target_phase_id": b.phases["確認待ち"].ID, "success_phase_id": b.phases["出荷待ち"].ID, "error_phase_id": b.phases["エラー"].ID}
		if p := problem(t, b.do(t, token, http.MethodPost, rulesPath, taken), http.StatusConflict); !strings.Contains(p.Detail, "は既にこの店舗の自動処理「注文確認」の対象です") {
			t.Errorf("second kind on a phase: %q", p.Detail)
		}
		complete := map[string]any{"kind": "complete", "target_phase_id": b.phases["出荷済み"].ID, "success_phase_id": b.phases["完了"].ID, "error_phase_id": b.phases["エラー"].ID}
		if p := problem(t, b.do(t, token, http.MethodPost, rulesPath, complete), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "の自動処理は使えません") {
			t.Errorf("a kind Rakuten lacks: %q", p.Detail)
		}
		list := decode[struct {
			Rules []Rule `json:"rules"`
		}](t, b.do(t, token, http.MethodGet, rulesPath, nil), http.StatusOK)
		if len(list.Rules) != 2 {
			t.Errorf("rules %+v", list.Rules)
		}
	})
}

// TestShopsNeverShowCredentials: a shop answers which credential keys are set, never their
// values.
func TestShopsNeverShowCredentials(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("shops", 1))
		for _, path := range []string{"/shops", "/shops/" + i64(b.shop.ID)} {
			w := b.do(t, token, http.MethodGet, path, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d", path, w.Code)
			}
			body := w.Body.String()
			if strings.Contains(body, "SP-secret") || strings.Contains(body, "SL-license") {
				t.Fatalf("%s shows a credential: %s", path, body)
			}
			if !strings.Contains(body, `"credential_keys":["licenseKey","serviceSecret"]`) {
				t.Errorf("%s does not say which keys are set: %s", path, body)
			}
		}
		s := decode[Shop](t, b.do(t, token, http.MethodGet, "/shops/"+i64(b.shop.ID), nil), http.StatusOK)
		if s.Channel != "rakuten" || s.ChannelLabel != "楽天市場" || len(s.JobKinds) != 5 { // Rakuten's four and メール送信
			t.Errorf("shop %+v", s)
		}
	})
}

// TestUpdateShopSavesNameCodeAndOverwrite: a shop's name, code and 同一注文を上書き are saved as
// the UI's form saves them; the channel and the credentials stay as they were.
func TestUpdateShopSavesNameCodeAndOverwrite(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only(user.MenuShops, user.Update))
		path := "/shops/" + i64(b.shop.ID)
		s := decode[Shop](t, b.do(t, token, http.MethodPut, path, map[string]any{"name": " 茶の店 本店 ", "code": "cha-honten", "overwrite_same_order": true}), http.StatusOK)
		if s.Name != "茶の店 本店" || s.Code != "cha-honten" || !s.OverwriteSameOrder || s.Channel != "rakuten" {
			t.Errorf("saved %+v", s)
		}
		stored, err := b.st.GetShop(context.Background(), b.shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Name != "茶の店 本店" || !stored.OverwriteSameOrder || stored.Credentials.Plain()["licenseKey"] == "" {
			t.Errorf("stored %+v", stored)
		}
		if p := problem(t, b.do(t, token, http.MethodPut, path, map[string]any{"name": " ", "code": "x", "overwrite_same_order": false}), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "店舗名") {
			t.Errorf("a blank name: %q", p.Detail)
		}
		if w := b.do(t, token, http.MethodPut, "/shops/999999", map[string]any{"name": "x", "code": "x", "overwrite_same_order": false}); w.Code != http.StatusNotFound {
			t.Errorf("unknown shop: %d %s", w.Code, w.Body)
		}
	})
}

// TestPhaseIsDeletedOnlyWhenUnused: DELETE /phases/{id} refuses, with the store's words, the
// import's phase, a rule's phase and a phase with orders; an unused phase goes (204), and the
// histories of the orders that passed through it keep its name.
func TestPhaseIsDeletedOnlyWhenUnused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		token := b.tokenFor(t, only(user.MenuWorkflow, user.Update))
		del := func(id int64) *httptest.ResponseRecorder {
			return b.do(t, token, http.MethodDelete, "/phases/"+i64(id), nil)
		}
		p := problem(t, del(b.phases["新規受付"].ID), http.StatusConflict)
		for _, want := range []string{"処理フェーズ「新規受付」は削除できません。", "先頭にあり、取り込んだ注文が入ります", "注文が30件あります"} {
			if !strings.Contains(p.Detail, want) {
				t.Errorf("the import's phase: %q lacks %q", p.Detail, want)
			}
		}
		if p := problem(t, del(b.phases["出荷済み"].ID), http.StatusConflict); !strings.Contains(p.Detail, "自動処理「出荷情報反映」の成功時の移動先に使われています。") {
			t.Errorf("a rule's phase: %q", p.Detail)
		}
		hold := b.phases["保留"].ID
		if _, err := b.st.MoveOrders(ctx, b.orderID[:2], hold, "tester"); err != nil {
			t.Fatal(err)
		}
		if p := problem(t, del(hold), http.StatusConflict); !strings.Contains(p.Detail, "この処理フェーズには注文が2件あります。注文を別の処理フェーズへ移動してから削除してください。") {
			t.Errorf("a phase with orders: %q", p.Detail)
		}
		if _, err := b.st.MoveOrders(ctx, b.orderID[:2], b.phases["完了"].ID, "tester"); err != nil {
			t.Fatal(err)
		}
		if w := del(hold); w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Fatalf("delete an unused phase: %d %s", w.Code, w.Body)
		}
		list := decode[struct {
			Phases []Phase `json:"phases"`
		}](t, b.do(t, token, http.MethodGet, "/phases", nil), http.StatusOK)
		for _, p := range list.Phases {
			if p.ID == hold {
				t.Error("the deleted phase is still listed")
			}
		}
		if p := problem(t, del(hold), http.StatusNotFound); !strings.HasPrefix(p.Detail, "処理フェーズが見つかりません") {
			t.Errorf("deleted twice: %q", p.Detail)
		}
		d := decode[OrderDetail](t, b.do(t, b.admin(t), http.MethodGet, "/orders/"+i64(b.orderID[0]), nil), http.StatusOK)
		if len(d.Events) != 2 {
			t.Fatalf("events %+v", d.Events)
		}
		in, out := d.Events[0], d.Events[1]
		if in.ToPhaseID != 0 || in.ToPhase != "保留" || in.Text != "処理フェーズ: 新規受付 → 保留" || out.FromPhase != "保留" || out.Text != "処理フェーズ: 保留 → 完了" {
			t.Errorf("history after the deletion: %+v", d.Events)
		}
	})
}

// TestPhaseExpectedTimeIsSet: PUT /phases/{id}/expected-hours sets the phase's expected time,
// which the phase list shows; a negative one is refused.
func TestPhaseExpectedTimeIsSet(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only(user.MenuWorkflow, user.Update))
		id := b.phases["出荷待ち"].ID
		set := decode[Phase](t, b.do(t, token, http.MethodPut, "/phases/"+i64(id)+"/expected-hours", map[string]any{"hours": 48}), http.StatusOK)
		if set.ExpectedHours != 48 {
			t.Fatalf("set %+v", set)
		}
		problem(t, b.do(t, token, http.MethodPut, "/phases/"+i64(id)+"/expected-hours", map[string]any{"hours": -1}), http.StatusUnprocessableEntity)
		list := decode[struct{ Phases []Phase }](t, b.do(t, token, http.MethodGet, "/phases", nil), http.StatusOK)
		for _, p := range list.Phases {
			if p.ID == id && p.ExpectedHours != 48 {
				t.Errorf("the list shows %+v", p)
			}
		}
	})
}
