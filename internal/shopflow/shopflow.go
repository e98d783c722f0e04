// Package shopflow gives a new shop its channel's usual automation rules (channel.Spec.Flow), so
// that it works the first day without the operator building the chain of rules by hand. The
// rules are made stopped: they start once the shop's credentials are in and the operator has
// tried them with 接続テスト.
package shopflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Offer makes the shop's channel's flow as stopped rules and returns them. The phases are the
// company's, shared by every shop: those the flow names and the company lacks are made, by
// name, after the others. A kind the shop already has a rule for is left as it is.
func Offer(ctx context.Context, st store.Store, sh shop.Shop) ([]workflow.Rule, error) {
	flow := sh.Channel.Spec().Flow
	if len(flow) == 0 {
		return nil, nil
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return nil, fmt.Errorf("offer rules to shop %d: %w", sh.ID, err)
	}
	ids := make(map[string]int64, len(phases))
	for _, p := range phases {
		ids[p.Name] = p.ID
	}
	for _, name := range flow.Phases() {
		if _, ok := ids[name]; ok {
			continue
		}
		p, err := st.CreatePhase(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("offer rules to shop %d: phase %s: %w", sh.ID, name, err)
		}
		ids[name] = p.ID
	}
	existing, err := st.ListRules(ctx, sh.ID)
	if err != nil {
		return nil, fmt.Errorf("offer rules to shop %d: %w", sh.ID, err)
	}
	has := make(map[workflow.JobKind]bool, len(existing))
	for _, r := range existing {
		has[r.Kind] = true
	}
	var out []workflow.Rule
	for _, r := range flow.Rules(sh.ID, func(name string) int64 { return ids[name] }) {
		if has[r.Kind] {
			continue
		}
		saved, err := st.SaveRule(ctx, r) // Enabled is false: stopped until the credentials are in
		if err != nil {
			return out, fmt.Errorf("offer rules to shop %d: %s: %w", sh.ID, r.Kind, err)
		}
		out = append(out, saved)
	}
	return out, nil
}

// Created tells the operator what a new shop was given and what to do next.
func Created(sh shop.Shop, rules []workflow.Rule) string {
	return fmt.Sprintf("店舗「%s」を作成しました。%sの標準の自動処理(%s)を停止中で用意しました。続けて認証情報を入力し、「接続テスト」で確かめてから「自動処理」で開始してください。",
		sh.Name, sh.Channel.Label(), Chain(sh, rules))
}

// Chain names the rules in the channel's words, in order: 受注取込 → 注文確認 → ….
func Chain(sh shop.Shop, rules []workflow.Rule) string {
	spec := sh.Channel.Spec()
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = spec.JobLabel(r.Kind)
	}
	return strings.Join(names, " → ")
}

// Withheld tells a user who may add shops but not update 自動処理 that the new shop was made
// without its channel's usual rules, and who can add them: the rules are 自動処理's, so the
// server makes them only for a user with that right, whatever the form or the request asked.
func Withheld(sh shop.Shop) string {
	return fmt.Sprintf("店舗「%s」を作成しました。自動処理の更新権限がないため、%sの標準の自動処理は用意していません。自動処理の更新権限を持つ管理者に、「自動処理」で追加するよう依頼してください。続けて認証情報を入力してください。",
		sh.Name, sh.Channel.Label())
}
