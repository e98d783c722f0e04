package jobs

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Outcome is what a rule's preview says becomes of an order.
type Outcome string

// The outcomes of a preview.
const (
	// OutcomeSend: the order is handed to the marketplace; its call is among Preview.Calls.
	OutcomeSend Outcome = "send"
	// OutcomePass: decided as done without a call, to the success phase.
	OutcomePass Outcome = "pass"
	// OutcomeRefuse: refused before any call, to the error phase with a link status.
	OutcomeRefuse Outcome = "refuse"
	// OutcomeSkip: left in the phase untouched until the operator changes it (a link status
	// the kind does not take, a bundle child).
	OutcomeSkip Outcome = "skip"
	// OutcomeWait: waiting for the marketplace's answer to an earlier write (発送完了報告中).
	OutcomeWait Outcome = "wait"
)

// Label is the outcome in Japanese.
func (o Outcome) Label() string {
	switch o {
	case OutcomeSend:
		return "送信する"
	case OutcomePass:
		return "送信せずに成功扱い"
	case OutcomeRefuse:
		return "送信せずにエラー"
	case OutcomeSkip:
		return "対象外(処理フェーズに残る)"
	case OutcomeWait:
		return "前回の送信の結果待ち"
	}
	return string(o)
}

// PreviewRow is one order of a preview and what the rule would do with it.
type PreviewRow struct {
	Order   order.Order
	Outcome Outcome
	// LinkStatus is the link status a refusal sets; Message what the order's link message
	// would say.
	LinkStatus string
	Message    string
}

// Preview is what a rule would do now (プレビュー, 試行): the orders of its first round from the
// target phase, each with its outcome, and the calls it would make, none sent.
type Preview struct {
	Kind workflow.JobKind
	// Waiting counts the orders in the target phase (up to store.CountCap+1); Rows are the
	// first round's, BatchSize at most, in the order the rule takes them.
	Waiting   int64
	BatchSize int
	Rows      []PreviewRow
	// Calls are the calls the round would make, held back; MoreCalls says there were more than
	// channel.MaxPlannedCalls.
	Calls     []channel.PlannedCall
	MoreCalls bool
	// From and To are an import's window.
	From, To time.Time
	// Problem says why the shop's client could not be built (credentials not entered): the
	// decisions before any call are shown, the calls are not.
	Problem string
	// Backlog is what waits beyond the first round, and what taking it needs.
	Backlog Backlog
	// ReadThrough says the preview's reads were sent (WithReadThrough): the writes shown are
	// those the client decided on the marketplace's real answers. No write was sent.
	ReadThrough bool
}

type readThroughKey struct{}

// WithReadThrough asks a preview made with ctx to send its reads, never a write, so that a
// client that reads before it decides (a Rakuten ship report reads RMS back first) shows the
// write it would make after the read. The reads are real calls: paced on the shop's quota and
// recorded in the call history. An import's reads are never sent: they are its work.
func WithReadThrough(ctx context.Context) context.Context {
	return context.WithValue(ctx, readThroughKey{}, true)
}

func readThrough(ctx context.Context) bool {
	v, _ := ctx.Value(readThroughKey{}).(bool)
	return v
}

// Reads says whether any call the preview shows is a read held back: a preview with
// WithReadThrough could show what the client decides after it.
func (p Preview) Reads() bool {
	for _, c := range p.Calls {
		if !c.Write && !c.Sent {
			return true
		}
	}
	return false
}

// Backlog is what a rule's target phase holds beyond the round a preview shows: a preview
// covers one round (BatchSize orders, at most channel.MaxPlannedCalls calls), and says so
// rather than let the operator think it is the whole queue.
type Backlog struct {
	// Beyond counts the orders waiting after the first round; AtLeast says the count reached
	// store.CountCap and there are more.
	Beyond  int64
	AtLeast bool
	// Rounds is how many rounds take every waiting order once (the first included), each of
	// CallsPerRound calls as the first would make (0 when the first made none).
	Rounds        int64
	CallsPerRound int
	// Duration is the least time those calls take at the shop's quota (CallsPerSecond): the
	// quota is the pace, so no round runs faster; 0 when unknown (no call, or no quota).
	Duration time.Duration
}

// Count returns how many rows have the outcome.
func (p Preview) Count(o Outcome) int {
	n := 0
	for _, r := range p.Rows {
		if r.Outcome == o {
			n++
		}
	}
	return n
}

// PreviewRule says what rule would do now on the shop's orders, without sending anything: it
// reads the target phase as the dispatcher does (WaitingQuery), decides each order with the
// eligibility the dispatcher applies (sortOut), and runs the shop's client under a channel.Plan,
// which keeps every call instead of sending it. The preview and the run share this code, so
// they cannot drift apart. client is the shop's channel client; for a メール送信 rule it is not
// called (a mail goes to the buyer, not the marketplace), and it may be nil. e is the shop's
// channel's eligibility for the rule's kind.
func PreviewRule(ctx context.Context, st store.Store, client channel.Client, e workflow.Eligibility, sh shop.Shop, rule workflow.Rule, now time.Time) (Preview, error) {
	p := Preview{Kind: rule.Kind, BatchSize: cmp.Or(sh.Channel.Spec().BatchSize, BatchSize)}
	// An import's reads are its whole work (every page of the window): they are never let through.
	p.ReadThrough = readThrough(ctx) && rule.Kind != workflow.JobImport && rule.Kind != workflow.JobMail
	plan := &channel.Plan{ReadThrough: p.ReadThrough}
	ctx = channel.WithPlan(channel.WithCall(ctx, string(rule.Kind), 0), plan)
	if rule.Kind == workflow.JobImport {
		p.From, p.To = importWindow(rule.LastRunAt, now, importStep(nil))
		if client != nil {
			_, _ = client.Fetch(ctx, p.From, p.To) // refused by the plan; its calls are what counts
		}
		p.Calls, p.MoreCalls = plan.Calls()
		return p, nil
	}
	if rule.TargetPhaseID == 0 {
		return p, nil
	}
	q := WaitingQuery(rule)
	q.PageSize = p.BatchSize
	found, err := st.SearchOrders(ctx, q)
	if err != nil {
		return p, fmt.Errorf("preview of %s: %w", rule.Kind, err)
	}
	p.Waiting = found.Total
	ids := make([]int64, len(found.Orders))
	for i, o := range found.Orders {
		ids[i] = o.ID
	}
	batch, err := st.GetOrders(ctx, ids) // with lines and shipments, as the dispatcher reads them
	if err != nil {
		return p, fmt.Errorf("preview of %s: %w", rule.Kind, err)
	}
	byID := make(map[int64]order.Order, len(batch))
	for _, o := range batch {
		byID[o.ID] = o
	}
	var orders []order.Order
	for _, id := range ids { // the rule's order, whatever order the store read them in
		if o, ok := byID[id]; ok {
			orders = append(orders, o)
		}
	}
	orders = stillWaiting(rule, orders)
	if rule.Kind == workflow.JobMail {
		e = workflow.MailEligibility
	}
	take, decided := sortOut(e, orders)
	results := map[int64]channel.Result{}
	for _, r := range decided {
		results[r.OrderID] = r
	}
	sending := map[int64]bool{}
	if len(take) > 0 && rule.Kind != workflow.JobMail && client != nil {
		takeIDs := make([]int64, len(take))
		for i, o := range take {
			takeIDs[i] = o.ID
		}
		got, _ := client.Process(channel.WithOrders(ctx, takeIDs), rule.Kind, take, planJournal{})
		for _, r := range got {
			if strings.Contains(r.Message, channel.PlanMessage) {
				sending[r.OrderID] = true // refused by the plan: it would have been sent
				continue
			}
			results[r.OrderID] = r // decided by the channel before any call
		}
	}
	taken := map[int64]bool{}
	for _, o := range take {
		taken[o.ID] = true
	}
	for _, o := range orders {
		row := PreviewRow{Order: o}
		r, ok := results[o.ID]
		switch {
		case sending[o.ID] || (taken[o.ID] && !ok):
			row.Outcome = OutcomeSend
		case !ok:
			row.Outcome, row.Message = OutcomeSkip, skipMessage(e, o)
		case r.Pending:
			row.Outcome, row.Message = OutcomeWait, r.Message
		case r.OK:
			row.Outcome, row.Message = OutcomePass, r.Message
		default:
			row.Outcome, row.LinkStatus, row.Message = OutcomeRefuse, r.LinkStatus, r.Message
		}
		p.Rows = append(p.Rows, row)
	}
	p.Calls, p.MoreCalls = plan.Calls()
	p.Backlog = backlogOf(p, sh.CallsPerSecond())
	return p, nil
}

// backlogOf works out what waits beyond p's first round at perSecond calls a second.
func backlogOf(p Preview, perSecond float64) Backlog {
	var b Backlog
	if p.BatchSize <= 0 || p.Waiting <= int64(len(p.Rows)) {
		return b
	}
	b.Beyond = p.Waiting - int64(len(p.Rows))
	b.AtLeast = p.Waiting > store.CountCap
	b.Rounds = (p.Waiting + int64(p.BatchSize) - 1) / int64(p.BatchSize)
	b.CallsPerRound = len(p.Calls)
	if b.CallsPerRound > 0 && perSecond > 0 {
		b.Duration = time.Duration(float64(b.Rounds) * float64(b.CallsPerRound) * float64(time.Second) / perSecond)
	}
	return b
}

// BacklogMessage says in Japanese what waits beyond the round shown and what taking it needs;
// empty when the first round takes every waiting order.
func (p Preview) BacklogMessage() string {
	b := p.Backlog
	if b.Beyond <= 0 {
		return ""
	}
	more := ""
	if b.AtLeast {
		more = "以上"
	}
	msg := fmt.Sprintf("このプレビューは1回目(%d件)だけです。ほかに%d件%sが待っていて、1回%d件ずつ全%d回%sで一巡します。", len(p.Rows), b.Beyond, more, p.BatchSize, b.Rounds, more)
	switch {
	case b.Duration > 0:
		msg += fmt.Sprintf("1回に%d件の呼び出しをモールの上限の速さで送ると、一巡に少なくとも%sかかります(新しく入る注文は古い注文の後になります)。", b.CallsPerRound, durationWords(b.Duration))
	case p.Problem != "":
		msg += "店舗の認証情報が揃っていないため、呼び出しの数とかかる時間は見積もれません。"
	case b.CallsPerRound == 0:
		msg += "1回目は送信がないため、かかる時間は見積もれません。"
	}
	return msg
}

// durationWords says a duration as an operator reads it: 約3秒, 約12分, 約2時間5分.
func durationWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("約%d秒", int64(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("約%d分", int64(d.Round(time.Minute)/time.Minute))
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("約%d時間%d分", int64(d/time.Hour), int64(d%time.Hour/time.Minute))
}

// skipMessage says why the dispatcher leaves an order in the phase untouched.
func skipMessage(e workflow.Eligibility, o order.Order) string {
	switch {
	case o.ManagementClass == order.BundleChild:
		return "同梱子の注文は同梱親の注文で処理されます。"
	case e.LinkStatuses != nil:
		return fmt.Sprintf("連携ステータスが「%s」のため対象外です。連携ステータスを空欄などこの自動処理の対象に戻すと処理されます。", workflow.LinkStatus(o.LinkStatus).Label())
	}
	return "この自動処理の対象外です。"
}

// planJournal is the journal of a preview: it marks nothing, as nothing is sent.
type planJournal struct{}

// Intend implements channel.Journal.
func (planJournal) Intend(context.Context, []channel.Result) error { return nil }

// PreviewShopRule is PreviewRule for a rule of a stored shop, saved or as an operator entered it
// (its ID may be 0), as the web page and the API ask for it: the rule's kind must be one the
// shop's channel offers and it must name a target phase if its kind takes one. clientFor builds
// the shop's client; when it cannot (credentials not entered yet), the decisions made before
// any call are still shown, and Problem says why the calls are not.
func PreviewShopRule(ctx context.Context, st store.Store, clientFor func(shop.Shop) (channel.Client, error), rule workflow.Rule, now time.Time) (Preview, shop.Shop, error) {
	sh, err := st.GetShop(ctx, rule.ShopID)
	if err != nil {
		return Preview{}, sh, err
	}
	switch {
	case !sh.Channel.Spec().HasJobKind(rule.Kind) && rule.Kind != workflow.JobMail:
		return Preview{}, sh, apperror.New(apperror.Invalid, "この店舗のモールには自動処理「%s」がありません。自動処理の種類を選び直してください。", rule.Kind.Label())
	case rule.Kind.NeedsTargetPhase() && rule.TargetPhaseID == 0:
		return Preview{}, sh, apperror.New(apperror.Invalid, "対象処理フェーズを選んでからプレビューしてください。")
	}
	var client channel.Client
	problem := ""
	if rule.Kind != workflow.JobMail && clientFor != nil {
		if client, err = clientFor(sh); err != nil {
			problem = err.Error()
		}
	}
	p, err := PreviewRule(ctx, st, client, sh.Channel.Spec().Eligibility[rule.Kind], sh, rule, now)
	p.Problem = problem
	return p, sh, err
}
