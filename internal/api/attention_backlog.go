package api

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// RuleBacklog is a started polling rule whose target phase holds a backlog (要対応): how many
// orders wait, how many calls one look at all of them takes and how long at the quota; the
// oldest order is looked at first.
type RuleBacklog struct {
	RuleID          int64     `json:"rule_id"`
	Kind            string    `json:"kind"`
	KindLabel       string    `json:"kind_label"`
	TargetPhaseID   int64     `json:"target_phase_id"`
	Waiting         int64     `json:"waiting" doc:"待っている注文の件数 (10,000件を超えるときは10,000で、waiting_cappedがtrue)"`
	WaitingCapped   bool      `json:"waiting_capped"`
	OrdersPerCall   int       `json:"orders_per_call" doc:"1回の呼び出しで確認する注文数"`
	Calls           int64     `json:"calls" doc:"全件を1回確認するのに必要な呼び出し回数"`
	SweepSeconds    int64     `json:"sweep_seconds" doc:"全件を1回確認するのにかかる秒数 (呼び出し回数 ÷ 上限)"`
	OldestOrderedAt time.Time `json:"oldest_ordered_at" doc:"いちばん古い注文の注文日時。古い注文から順に確認します"`
}

// backlogsOf shows a shop's backlogs.
func backlogsOf(s attention.Shop) []RuleBacklog {
	out := make([]RuleBacklog, 0, len(s.Backlogs))
	for _, b := range s.Backlogs {
		out = append(out, RuleBacklog{RuleID: b.Rule.ID, Kind: string(b.Rule.Kind), KindLabel: b.Rule.Kind.Label(), TargetPhaseID: b.Rule.TargetPhaseID,
			Waiting: min(b.Waiting, store.CountCap), WaitingCapped: store.Capped(b.Waiting), OrdersPerCall: b.OrdersPerCall, Calls: b.Calls,
			SweepSeconds: int64(b.Sweep / time.Second), OldestOrderedAt: b.Oldest})
	}
	return out
}
