package api

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
)

// OverdueRule is a started polling rule (import, status fetch, payment review) whose last
// successful run is too old: for import, new orders are not coming in.
type OverdueRule struct {
	ID                  int64     `json:"id"`
	Kind                string    `json:"kind"`
	KindLabel           string    `json:"kind_label" example:"受注取込"`
	IntervalSeconds     int64     `json:"interval_seconds" doc:"実行間隔 (秒)"`
	LastSucceededAt     time.Time `json:"last_succeeded_at" doc:"最後に成功した日時。連携履歴で失敗した呼び出しを確認し、呼び出しもなければ ichigen が動いているかを確認してください"`
	OverdueAfterSeconds int64     `json:"overdue_after_seconds" doc:"成功がこの秒数より前になると表示します (実行間隔の3倍、最低10分)"`
}

// overdueRulesOf is the shop's overdue rules, as the API shows them.
func overdueRulesOf(s attention.Shop) []OverdueRule {
	out := make([]OverdueRule, 0, len(s.Overdue))
	for _, r := range s.Overdue {
		out = append(out, OverdueRule{ID: r.Rule.ID, Kind: string(r.Rule.Kind), KindLabel: r.Rule.Kind.Label(),
			IntervalSeconds: int64(r.Rule.Interval / time.Second), LastSucceededAt: r.LastSuccess,
			OverdueAfterSeconds: int64(attention.OverdueAfter(r.Rule) / time.Second)})
	}
	return out
}
