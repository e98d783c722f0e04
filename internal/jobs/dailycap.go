package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// CallsPerOrder is what one order of a batch may cost at most against a daily cap: the write and
// a read-back.
const CallsPerOrder = 2

// DailyCapWarning is the share of a daily cap from which ichigen e-mails, once a day for each
// budget, that it will soon run out (要対応 warns from the same share).
const DailyCapWarning = 0.8

// overDailyCap says, for a shop whose channel allows so many calls a day (channel.Quota.PerDay),
// whether need more calls today would pass the cap, and then how long until it resets at 00:00
// Japan time. The cap is the application's, shared by every shop using it
// (store.DailyBudgetOf), and today's calls are counted from the call history, which every
// instance writes, so the budget is shared by the instances too. When the calls would reach
// DailyCapWarning of the cap, the warning e-mail is queued through client (nil: none), once a
// day for the budget across every instance. 0: go on.
func (d Deps) overDailyCap(ctx context.Context, client *river.Client[dbTx], sh shop.Shop, need int) (time.Duration, error) {
	now := d.Now()
	b, err := store.DailyBudgetOf(ctx, d.Store, sh, now)
	if err != nil || b.PerDay <= 0 {
		return 0, err
	}
	if client != nil && float64(b.Used+int64(need)) >= DailyCapWarning*float64(b.PerDay) {
		if err := d.warnDailyCap(ctx, client, b); err != nil {
			d.Logger.Warn("daily cap warning not queued", "shop", sh.ID, "err", err)
		}
	}
	if b.Used+int64(need) <= int64(b.PerDay) {
		return 0, nil
	}
	return b.Resets.Sub(now) + time.Minute, nil
}

// warnDailyCap queues the e-mail saying a daily budget will soon run out, unique by the budget
// and the day, so that every shop and instance that comes near it sends one e-mail a day.
func (d Deps) warnDailyCap(ctx context.Context, client *river.Client[dbTx], b store.DailyBudget) error {
	names := make([]string, len(b.Shops))
	for i, s := range b.Shops {
		names[i] = "「" + s.Name + "」"
	}
	label := b.Shops[0].Channel.Label()
	subject := fmt.Sprintf("(ichigen) %s API利用回数が1日の上限に近づいています(%s)", label, b.Day)
	body := fmt.Sprintf("%sのAPIは1アプリケーションにつき1日%d回までです。本日(%s)はすでに%d回(%.0f%%)使いました。\n\n"+
		"このアプリケーションを使う店舗: %s\n\n"+
		"上限に達すると、その店舗の取り込みと自動処理は止まり、%sの0時(日本時間)を過ぎてから自動で再開します。止めたくない場合は、急がない自動処理のルールを一時的に無効にするか、実行間隔を長くしてください。\n",
		label, b.PerDay, b.Day, b.Used, 100*b.Share(), strings.Join(names, "、"), b.Resets.In(order.JST).Format("1月2日"))
	return d.notifyOnce(ctx, client, "daily-cap:"+b.Key+":"+b.Day, subject, body)
}
