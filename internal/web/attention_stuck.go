package web

import (
	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// stuckURL is the order list of a shop's orders held too long in a phase, the oldest order
// first. The list's time is to the minute, so it may show the orders of the last minute too.
func stuckURL(p attention.StuckPhase) string {
	q := p.Query
	f := orderFilter{Shop: i64toa(q.ShopID), Phase: i64toa(q.PhaseID),
		Entered: q.PhaseEnteredTo.In(order.JST).Format(enteredLayout), Dir: "asc"}
	return f.url("/orders")
}

// The English of the held-in-a-phase texts, kept beside them so that merges do not meet in
// i18n.go.
func init() {
	for ja, en := range map[string]string{
		"処理フェーズ「%s」に%d時間を超えて留まっている注文が%s件あります。": "%[3]s orders have stayed in the phase %[1]s for more than %[2]d hours.",
		"直し方: 自動処理が止まっていないか、連携エラーになっていないかを確かめ、手作業の処理なら済ませて次の処理フェーズに移動してください。想定滞留時間は処理フェーズの設定で変えられます。": "To fix: check that the phase's rule runs and the orders are not in a link error; for work done by hand, finish it and move the orders to the next phase. The expected time is set on the phases page.",
		"処理フェーズに入ったのが%sより前": "Entered the phase before %s",
		"処理フェーズに入った日時の指定「%s」が読めません。要対応の「一覧を開く」から開き直してください。": "The time the orders entered their phase, %s, cannot be read. Open the list again from the attention page.",
		"想定滞留時間":     "Expected time",
		"想定滞留時間(時間)": "Expected time (hours)",
		"時間":         "hours",
		"設定":         "Set",
		"制限なし":       "No limit",
		"%d時間":       "%d hours",
		"想定滞留時間を入れると、処理フェーズにそれより長く留まっている注文の数を店舗ごとに要対応に表示します(0は制限なし)。": "With an expected time, the attention page counts each shop's orders that stay in the phase longer (0: no limit).",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
