package attention

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Report is what needs the operator, in every shop.
type Report struct {
	// Shops are every shop, in the store's order, each with what it needs (maybe nothing).
	Shops []Shop
	// Errors are the groups of errors of every shop, most orders first; each shop has its own
	// in Shop.Errors.
	Errors []store.LinkErrorGroup
	// MoreErrors says a shop has more groups of errors than store.MaxLinkErrorGroups: only its
	// largest are shown.
	MoreErrors bool
}

// Shop is one shop's part of the report.
type Shop struct {
	Shop shop.Shop
	// DaysLeft counts the days until the credentials expire, when ExpiryKnown (0 or less:
	// expired).
	DaysLeft    int
	ExpiryKnown bool
	// ExpireSoon says the credentials expire within shop.CredentialWarningPeriod, or have.
	ExpireSoon bool
	// Missing are the required credentials that are not set.
	Missing []shop.CredentialKey
	// Stopped are the shop's automation rules that are stopped (停止中).
	Stopped []StoppedRule
	// Overdue are the shop's started polling rules whose last successful run is too old.
	Overdue []OverdueRule
	// Errors are the shop's orders in error grouped by cause, most orders first; MoreErrors
	// says there are more groups than store.MaxLinkErrorGroups, the smaller left out.
	Errors     []store.LinkErrorGroup
	MoreErrors bool
	// LastHour counts the shop's calls to its marketplace in the last hour, and CallsPerSecond
	// is the pace the marketplace allows (0 for a channel ichigen does not call).
	LastHour       store.CallStats
	CallsPerSecond float64
	// Today counts the shop's calls since 00:00 Japan time, and PerDay is the calls a day the
	// marketplace allows (0: no daily cap).
	Today  store.CallStats
	PerDay int
	// DayShops is how many shops spend that cap (those using the same application): Today
	// counts the calls of all of them.
	DayShops int
	// LastFailure is the newest of the last hour's failed calls (429 aside), with the
	// marketplace's or the connection's words; nil when none failed.
	LastFailure *channel.Call

	// UnfixedPostage are the shop's orders waiting for their postage, with their countdown.
	UnfixedPostage UnfixedPostage
	// ExpiringAuthorizations are the shop's card orders in 仮売上 near their 58 days.
	ExpiringAuthorizations ExpiringAuthorizations
	// Unconfirmed are the shop's orders left at 注文確認待ち for more than StuckAfter, counting
	// down to the marketplace's cancellation; InReview its unpaid orders in 審査中 (a prepaid
	// payment the marketplace waits for) and AwaitingPayment those at 入金待ち (a payment the shop
	// confirms itself, 入金確認), both for more than StuckAfter.
	Unconfirmed, InReview, AwaitingPayment Countdown
	// ShipBy are the shop's orders still to ship within ShipByWarning of their LatestShipDate,
	// or past it (Amazon).
	ShipBy ShipBy
	// Stuck are the shop's orders held in a phase longer than the company expects of it, per
	// phase, in the phases' order.
	Stuck []StuckPhase
	// Bounced are the shop's buyer mails that bounced after they were sent.
	Bounced Bounced
	// Backlogs are the shop's started polling rules whose target phase holds a backlog.
	Backlogs []Backlog
}

// CallWindow is the span of the call counts: the last hour.
const CallWindow = time.Hour

// QuotaUse is the share of the quota the last hour's calls took: 1 would be every call the
// marketplace allows. 0 for a channel ichigen does not call.
func (s Shop) QuotaUse() float64 {
	if s.CallsPerSecond <= 0 {
		return 0
	}
	return float64(s.LastHour.Calls) / (s.CallsPerSecond * CallWindow.Seconds())
}

// DayWarning is the share of the daily cap from which 要対応 warns.
const DayWarning = 0.8

// DayUse is the share of the daily cap today's calls took (0 without a cap).
func (s Shop) DayUse() float64 {
	if s.PerDay <= 0 {
		return 0
	}
	return float64(s.Today.Calls) / float64(s.PerDay)
}

// DayWarn says today's calls are near the daily cap, or past it.
func (s Shop) DayWarn() bool { return s.PerDay > 0 && s.DayUse() >= DayWarning }

// startOfDayJST is 00:00 Japan time of now's day, when daily caps reset.
func startOfDayJST(now time.Time) time.Time {
	t := now.In(order.JST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, order.JST)
}

// StoppedRule is a stopped automation rule with the orders waiting for it.
type StoppedRule struct {
	Rule workflow.Rule
	// Waiting counts the orders in the rule's target phase, up to store.CountCap+1 (Capped).
	Waiting int64
}

// Blocking says the stopped rule holds orders up: orders wait in its target phase, or, for
// import, new orders do not come in. A rule stopped with nothing waiting is the operator's
// choice, not something to fix.
func (r StoppedRule) Blocking() bool {
	return r.Rule.Kind == workflow.JobImport || r.Waiting > 0
}

// AuthError says the marketplace refused the credentials: the shop's rules are stopped until
// new ones are saved.
func (s Shop) AuthError() bool { return s.Shop.Status == shop.AuthError }

// Needed reports whether anything of the shop needs the operator.
func (s Shop) Needed() bool {
	return s.AuthError() || s.ExpireSoon || len(s.Missing) > 0 || len(s.Blocking()) > 0 || len(s.Errors) > 0 ||
		s.UnfixedPostage.Total > 0 || len(s.Overdue) > 0 || s.ExpiringAuthorizations.Total > 0 ||
		s.Unconfirmed.Total > 0 || s.InReview.Total > 0 || s.AwaitingPayment.Total > 0 || s.ShipBy.Total > 0 || len(s.Stuck) > 0 ||
		s.Bounced.Total > 0 || len(s.Backlogs) > 0
}

// Blocking are the stopped rules that hold orders up.
func (s Shop) Blocking() []StoppedRule {
	var out []StoppedRule
	for _, r := range s.Stopped {
		if r.Blocking() {
			out = append(out, r)
		}
	}
	return out
}

// Needed reports whether anything needs the operator.
func (r Report) Needed() bool {
	for _, s := range r.Shops {
		if s.Needed() {
			return true
		}
	}
	return false
}

// Gather reads the report at now: the shops and their rules, the orders waiting for each stopped
// rule (a count capped like the order list's), each shop's calls of the last hour against its
// quota, and the groups of errors of every shop in one query.
func Gather(ctx context.Context, st store.Store, now time.Time) (Report, error) {
	shops, err := st.ListShops(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("attention: %w", err)
	}
	groups, err := st.LinkErrorGroups(ctx, store.LinkErrorQuery{})
	if err != nil {
		return Report{}, fmt.Errorf("attention: %w", err)
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("attention: %w", err)
	}
	r := Report{Shops: make([]Shop, 0, len(shops))}
	shown, more := map[int64]int{}, map[int64]bool{}
	for _, g := range groups { // most orders first, each shop's ranked on their own
		if shown[g.ShopID] == store.MaxLinkErrorGroups {
			more[g.ShopID], r.MoreErrors = true, true
			continue
		}
		shown[g.ShopID]++
		r.Errors = append(r.Errors, g)
	}
	for _, sh := range shops {
		s := Shop{Shop: sh, ExpireSoon: sh.CredentialsExpireSoon(now), Missing: sh.MissingCredentials()}
		s.DaysLeft, s.ExpiryKnown = sh.CredentialsDaysLeft(now)
		if s.CallsPerSecond = sh.CallsPerSecond(); s.CallsPerSecond > 0 {
			if s.LastHour, err = st.CallStats(ctx, sh.ID, now.Add(-CallWindow)); err != nil {
				return Report{}, fmt.Errorf("attention: calls of shop %d: %w", sh.ID, err)
			}
			if s.LastHour.Failed > s.LastHour.Throttled {
				if s.LastFailure, err = lastFailure(ctx, st, sh.ID, now.Add(-CallWindow)); err != nil {
					return Report{}, err
				}
			}
			if s.PerDay = sh.Channel.Spec().Quota.PerDay; s.PerDay > 0 {
				if s.Today, err = st.CallStats(ctx, sh.ID, startOfDayJST(now)); err != nil {
					return Report{}, fmt.Errorf("attention: today's calls of shop %d: %w", sh.ID, err)
				}
				// The cap is the application's: every shop using it spends it.
				budget, err := store.DailyBudgetOf(ctx, st, sh, now)
				if err != nil {
					return Report{}, fmt.Errorf("attention: %w", err)
				}
				s.Today.Calls, s.DayShops = budget.Used, len(budget.Shops)
			}
		}
		rules, err := st.ListRules(ctx, sh.ID)
		if err != nil {
			return Report{}, fmt.Errorf("attention: rules of shop %d: %w", sh.ID, err)
		}
		s.Overdue = overdueRules(sh, rules, now)
		if s.Backlogs, err = gatherBacklogs(ctx, st, sh, rules, phases, s.CallsPerSecond); err != nil {
			return Report{}, err
		}
		for _, rule := range rules {
			if rule.Enabled {
				continue
			}
			stopped := StoppedRule{Rule: rule}
			if rule.TargetPhaseID != 0 {
				page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: rule.TargetPhaseID, PageSize: 1})
				if err != nil {
					return Report{}, fmt.Errorf("attention: orders waiting for rule %d: %w", rule.ID, err)
				}
				stopped.Waiting = page.Total
			}
			s.Stopped = append(s.Stopped, stopped)
		}
		for _, g := range r.Errors {
			if g.ShopID == sh.ID {
				s.Errors = append(s.Errors, g)
			}
		}
		s.MoreErrors = more[sh.ID]
		if s.UnfixedPostage, err = gatherUnfixedPostage(ctx, st, sh, now); err != nil {
			return Report{}, err
		}
		if sh.Channel.Spec().HasJobKind(workflow.JobCapture) {
			if s.ExpiringAuthorizations, err = gatherExpiring(ctx, st, sh, now); err != nil {
				return Report{}, err
			}
		}
		if s.Unconfirmed, s.InReview, s.AwaitingPayment, err = gatherCountdowns(ctx, st, sh, now); err != nil {
			return Report{}, err
		}
		if s.ShipBy, err = gatherShipBy(ctx, st, sh, now); err != nil {
			return Report{}, err
		}
		if s.Stuck, err = gatherStuck(ctx, st, sh.ID, phases, now); err != nil {
			return Report{}, err
		}
		if s.Bounced, err = GatherBounced(ctx, st, sh, now); err != nil {
			return Report{}, err
		}
		r.Shops = append(r.Shops, s)
	}
	return r, nil
}
