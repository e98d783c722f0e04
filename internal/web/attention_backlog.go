package web

import (
	"context"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
)

// backlogURL is the order list of a backlog, the oldest order first: the order the rule takes.
func backlogURL(b attention.Backlog) string {
	f := orderFilter{Shop: i64toa(b.Rule.ShopID), Phase: i64toa(b.Rule.TargetPhaseID), Dir: "asc"}
	return f.url("/orders")
}

// perSecondText is a quota without needless decimals: 1, 0.5.
func perSecondText(perSecond float64) string { return strconv.FormatFloat(perSecond, 'f', -1, 64) }

// backlogDuration says a sweep's time in the unit an operator reads: seconds, minutes, hours.
func backlogDuration(ctx context.Context, d time.Duration) string {
	switch {
	case d <= 0:
		return t(ctx, "—")
	case d < time.Minute:
		return tf(ctx, "約%d秒", int(d/time.Second))
	case d < time.Hour:
		return tf(ctx, "約%d分", int((d+time.Minute-1)/time.Minute))
	}
	return tf(ctx, "約%d時間%d分", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// The English of the backlog texts, kept beside them so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"自動処理「%s」の対象処理フェーズ「%s」で%s件の注文が待っています。":                           "%[3]s orders are waiting in the target phase %[2]s of the rule %[1]s.",
		"全件を1回確認するには%s回の呼び出し(1回%d件)が必要で、上限(1秒に%s回)で%sかかります。%s分ごとに確認します。": "Looking at all of them once takes %[1]s calls (%[2]d orders a call), %[4]s at the quota (%[3]s a second). The rule looks every %[5]s minutes.",
		"古い注文から順に確認するため、新しい注文は古い注文の後になります(最も古い注文: %s)。":                  "The oldest orders are looked at first, so newer orders wait behind older ones (oldest order: %s).",
		"古い順に一覧を開く": "Open the list, oldest first",
		"直し方: 待っている注文は、モールで審査・入金が済むと次の確認で移動します。長く待っている注文はモールの管理画面で状態を確かめ、キャンセル済みや入金のない注文は処理フェーズから外してください。": "To fix: a waiting order moves at the next look once the marketplace has reviewed it or the payment has come in. For orders waiting long, check them in the marketplace's own screens, and move cancelled or unpaid ones out of the phase.",
		"約%d秒":     "about %d seconds",
		"約%d分":     "about %d minutes",
		"約%d時間%d分": "about %d hours %d minutes",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
