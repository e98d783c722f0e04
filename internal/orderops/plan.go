package orderops

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// ConfirmAbove is the most orders a bulk move or link-status change changes without the
// operator confirming the count its preview showed: one careless click on 「検索結果すべて」 must
// not send a whole shop to its marketplace.
const ConfirmAbove = 10

// Plan is what a bulk move or link-status change will do, before it does it: the preview the
// operator confirms.
type Plan struct {
	// Selected counts the orders the selection found.
	Selected int
	// IDs are the orders the action changes.
	IDs []int64
	// Groups break the selection down by shop and current phase, in the shops' and phases' order.
	Groups []PlanGroup
	// Final counts the selected orders finished on the marketplace (完了, キャンセル): left out
	// unless IncludeFinal, when they are among IDs.
	Final        int
	IncludeFinal bool
	// Already counts the orders already in the destination phase: a move leaves them alone.
	Already int
	// Move is set for a move: the destination and the rule that takes orders from it.
	Move *PlanMove
	// Postage is set for a postage fix: the amount, and the orders it leaves alone.
	Postage *PlanPostage
	// Paid is set for a payment confirmation (入金確認): the day, and the orders it leaves alone.
	Paid *PlanPaid
	// Cancel is set for a cancellation at the marketplace: the reason, and the orders it leaves
	// alone with why.
	Cancel *PlanCancel
	// CardCancel is set for a cancel of card payments at webコレクト (自社カート): the orders it
	// leaves alone with why.
	CardCancel *PlanCancel
}

// PlanGroup is the selected orders of one shop in one phase.
type PlanGroup struct {
	ShopID  int64
	Shop    string
	PhaseID int64
	Phase   string
	// Count is the orders of the group the action changes; Final those finished on the
	// marketplace (among Count only with IncludeFinal).
	Count int
	Final int
}

// PlanMove is a move's destination and the rules it starts. The phase is every shop's, so a move
// may take orders of several shops; each shop's rule on the phase takes only its own orders.
type PlanMove struct {
	PhaseID int64
	Phase   string
	// Rules are the rules whose target is the destination, of the shops whose orders move, in
	// the shops' order.
	Rules []PlanRule
}

// PlanRule is one shop's rule on a move's destination.
type PlanRule struct {
	Rule workflow.Rule
	Shop string
	// Runs says the rule is started, so the orders moved are sent to the marketplace within
	// seconds; Count is the orders of its shop that move.
	Runs  bool
	Count int
}

// NeedsConfirm says whether the action may go ahead only with the operator's confirmation of
// the preview: it changes more than ConfirmAbove orders, or finished orders were selected
// (left out or included, the operator says which), or it writes one postage to the marketplace
// for every order selected.
func (p Plan) NeedsConfirm() bool {
	return len(p.IDs) > ConfirmAbove || p.Final > 0 || p.Postage != nil || p.Cancel != nil || p.CardCancel != nil
}

// Check refuses an action that needs confirming when confirmCount is not the count the preview
// shows (0: not confirmed). A count confirmed for another preview, such as a search that finds
// more orders than when the operator looked, is refused too.
func (p Plan) Check(confirmCount int) error {
	n := len(p.IDs)
	if confirmCount != 0 && confirmCount != n {
		return apperror.New(apperror.Conflict, "確認した件数(%s件)と、いま変更される件数(%s件)が違います。検索条件や注文が変わっていないか、もう一度内容を確かめてから実行してください。",
			grouped(confirmCount), grouped(n))
	}
	if confirmCount == 0 && len(p.IDs) > ConfirmAbove {
		return apperror.New(apperror.Invalid, "%s件を超える一括操作は、内容を確かめてから件数を確認して実行してください: %s",
			grouped(ConfirmAbove), p.Text())
	}
	return nil
}

// Text is the preview in one paragraph: how many orders, from which phases, the finished ones
// left out, the rule that will run.
func (p Plan) Text() string {
	var b strings.Builder
	switch {
	case p.Move != nil:
		fmt.Fprintf(&b, "%s件の注文を「%s」へ移動します。", grouped(len(p.IDs)), p.Move.Phase)
	case p.Postage != nil:
		fmt.Fprintf(&b, "%s件の注文の送料を%s円にしてモールに反映します。", grouped(len(p.IDs)), order.Grouped(p.Postage.Postage))
	case p.Cancel != nil:
		fmt.Fprintf(&b, "%s件の注文をモールでキャンセルします(取り消せません)。", grouped(len(p.IDs)))
	case p.CardCancel != nil:
		fmt.Fprintf(&b, "%s件の注文のカード決済をクロネコwebコレクトでキャンセルします(取り消せません。注文は注文キャンセルになります)。", grouped(len(p.IDs)))
	case p.Paid != nil:
		fmt.Fprintf(&b, "%s件の注文を入金済み(入金日 %s)にします。", grouped(len(p.IDs)), p.Paid.PaidOn)
	default:
		fmt.Fprintf(&b, "%s件の注文の連携ステータスを変更します。", grouped(len(p.IDs)))
	}
	var from []string
	for _, g := range p.Groups {
		if g.Count > 0 {
			from = append(from, fmt.Sprintf("%s「%s」%s件", g.Shop, g.Phase, grouped(g.Count)))
		}
	}
	if len(from) > 0 {
		fmt.Fprintf(&b, "現在の処理フェーズ: %s。", strings.Join(from, "、"))
	}
	switch {
	case p.Final > 0 && p.IncludeFinal:
		fmt.Fprintf(&b, "モールで完了・キャンセルの%s件を含みます。", grouped(p.Final))
	case p.Final > 0:
		fmt.Fprintf(&b, "モールで完了・キャンセルの%s件は含めません。", grouped(p.Final))
	}
	if p.Postage != nil && p.Postage.Fixed > 0 {
		fmt.Fprintf(&b, "%s件は送料が確定しているため反映しません。", grouped(p.Postage.Fixed))
	}
	if pp := p.Paid; pp != nil && pp.AlreadyPaid+pp.MarketplaceSettled+pp.Cancelled > 0 {
		fmt.Fprintf(&b, "入金済みの%s件、モールが入金を確認する決済の%s件、キャンセルの%s件は変更しません。",
			grouped(pp.AlreadyPaid), grouped(pp.MarketplaceSettled), grouped(pp.Cancelled))
	}
	if c := p.Cancel; c != nil && c.Refused > 0 {
		fmt.Fprintf(&b, "%s件はキャンセルできないため含めません。%s", grouped(c.Refused), joinWhy(c.Why))
	}
	if c := p.CardCancel; c != nil && c.Refused > 0 {
		fmt.Fprintf(&b, "%s件はキャンセルできないため含めません。%s", grouped(c.Refused), joinWhy(c.Why))
	}
	if p.Already > 0 {
		fmt.Fprintf(&b, "%s件は既にこの処理フェーズにあるため移動しません。", grouped(p.Already))
	}
	if m := p.Move; m != nil {
		for _, r := range m.Rules {
			if r.Runs {
				fmt.Fprintf(&b, "移動すると店舗「%s」の自動処理「%s」が動き、%s件をモールに連携します。", r.Shop, r.Rule.Kind.Label(), grouped(r.Count))
			} else {
				fmt.Fprintf(&b, "店舗「%s」の自動処理「%s」は停止中のため、開始するまで%s件を連携しません。", r.Shop, r.Rule.Kind.Label(), grouped(r.Count))
			}
		}
	}
	return b.String()
}

func grouped(n int) string { return order.Grouped(int64(n)) }

// PlanMoveTo previews moving orders, of any shops, to a phase: orders not in it yet move, and
// finished orders only with includeFinal.
func PlanMoveTo(ctx context.Context, st store.Store, ids []int64, phaseID int64, includeFinal bool) (Plan, error) {
	names, err := readNames(ctx, st)
	if err != nil {
		return Plan{}, err
	}
	dest, ok := names.phase[phaseID]
	if !ok {
		return Plan{}, apperror.New(apperror.NotFound, "処理フェーズが見つかりません。削除されたか、画面が古くなっています。")
	}
	m := &PlanMove{PhaseID: phaseID, Phase: dest.Name}
	rules, err := st.RulesTargeting(ctx, phaseID)
	if err != nil {
		return Plan{}, err
	}
	p, err := plan(ctx, st, names, ids, includeFinal, func(o store.OrderState) bool {
		switch {
		case o.PhaseID == phaseID:
			return false
		}
		return true
	})
	if err != nil {
		return Plan{}, err
	}
	for _, o := range p.states {
		if o.PhaseID == phaseID {
			p.Already++
		}
	}
	moving := map[int64]int{}
	for _, g := range p.Groups {
		moving[g.ShopID] += g.Count
	}
	for _, r := range rules {
		if n := moving[r.ShopID]; n > 0 && r.Kind.NeedsTargetPhase() {
			m.Rules = append(m.Rules, PlanRule{Rule: r, Shop: names.shop[r.ShopID], Runs: r.Enabled, Count: n})
		}
	}
	slices.SortFunc(m.Rules, func(a, b PlanRule) int {
		return cmp.Compare(names.shopRank[a.Rule.ShopID], names.shopRank[b.Rule.ShopID])
	})
	p.Move = m
	return p.Plan, nil
}

// PlanLinkStatus previews a bulk link-status change: finished orders only with includeFinal.
func PlanLinkStatus(ctx context.Context, st store.Store, ids []int64, includeFinal bool) (Plan, error) {
	names, err := readNames(ctx, st)
	if err != nil {
		return Plan{}, err
	}
	p, err := plan(ctx, st, names, ids, includeFinal, func(store.OrderState) bool { return true })
	return p.Plan, err
}

type planned struct {
	Plan
	states []store.OrderState
}

// plan reads the orders and counts them; takes says whether the action applies to an order
// (finished ones aside).
func plan(ctx context.Context, st store.Store, names names, ids []int64, includeFinal bool, takes func(store.OrderState) bool) (planned, error) {
	states, err := st.OrderStates(ctx, ids)
	if err != nil {
		return planned{}, err
	}
	p := planned{Plan: Plan{Selected: len(states), IncludeFinal: includeFinal, IDs: []int64{}}, states: states}
	type key struct{ shop, phase int64 }
	groups := map[key]*PlanGroup{}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(states, func(a, b store.OrderState) int { return cmp.Compare(pos[a.ID], pos[b.ID]) })
	for _, o := range states {
		if !takes(o) {
			continue
		}
		k := key{o.ShopID, o.PhaseID}
		g, ok := groups[k]
		if !ok {
			g = &PlanGroup{ShopID: o.ShopID, Shop: names.shop[o.ShopID], PhaseID: o.PhaseID, Phase: names.phase[o.PhaseID].Name}
			groups[k] = g
		}
		final := o.MarketplaceStatus.Final()
		if final {
			g.Final++
			p.Final++
		}
		if final && !includeFinal {
			continue
		}
		g.Count++
		p.IDs = append(p.IDs, o.ID)
	}
	for _, g := range groups {
		p.Groups = append(p.Groups, *g)
	}
	slices.SortFunc(p.Groups, func(a, b PlanGroup) int {
		return cmp.Or(cmp.Compare(names.shopRank[a.ShopID], names.shopRank[b.ShopID]), cmp.Compare(names.phase[a.PhaseID].Rank, names.phase[b.PhaseID].Rank))
	})
	return p, nil
}

type phaseName struct {
	Name string
	Rank int
}

type names struct {
	shop     map[int64]string
	shopRank map[int64]int
	phase    map[int64]phaseName
}

// readNames reads the names of every shop and phase, and their order.
func readNames(ctx context.Context, st store.Store) (names, error) {
	shops, err := st.ListShops(ctx)
	if err != nil {
		return names{}, err
	}
	n := names{shop: map[int64]string{}, shopRank: map[int64]int{}, phase: map[int64]phaseName{}}
	for i, sh := range shops {
		n.shop[sh.ID], n.shopRank[sh.ID] = sh.Name, i
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return names{}, err
	}
	for j, ph := range phases {
		n.phase[ph.ID] = phaseName{Name: ph.Name, Rank: j}
	}
	return n, nil
}
