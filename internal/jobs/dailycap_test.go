package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestDailyCapHoldsBatchesUntilMidnightJapanTime: a shop whose channel caps calls a day goes on
// while the day's calls and the batch fit, and waits for 00:00 Japan time once they would not,
// counting only today's calls.
func TestDailyCapHoldsBatchesUntilMidnightJapanTime(t *testing.T) {
	t.Parallel()
	var capped *channel.Spec
	for _, s := range channel.All() {
		if s.Quota.PerDay > 0 {
			capped = s
		}
	}
	if capped == nil {
		t.Skip("no channel with a daily cap is registered")
	}
	ctx := context.Background()
	st := storetest.SQLite(t)
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(capped.Name), Name: "上限", Code: "cap"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 23, 0, 0, 0, order.JST)
	d := jobs.Deps{Store: st, Now: func() time.Time { return now }}
	for _, at := range []time.Time{now.Add(-24 * time.Hour), now.Add(-time.Hour), now.Add(-time.Minute)} {
		if _, err := st.RecordCall(ctx, channel.Call{At: at, ShopID: sh.ID, Operation: "orderInfo", Outcome: channel.OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
	if wait, err := d.OverDailyCap(ctx, nil, sh, capped.Quota.PerDay-2); err != nil || wait != 0 {
		t.Errorf("2 calls today and a batch filling the rest: wait %s, %v", wait, err)
	}
	wait, err := d.OverDailyCap(ctx, nil, sh, capped.Quota.PerDay-1)
	if err != nil || wait != time.Hour+time.Minute {
		t.Errorf("one call over: wait %s, %v; want until 00:00 Japan time", wait, err)
	}
}

// TestDailyCapIsTheApplicationsAndWarnsOnce: the daily cap belongs to the application (the
// channel's quota credential), so one shop's calls count against another shop using the same
// application and not against a shop with its own; and coming near it queues one warning
// e-mail a day for the application, however many shops and runs come near it.
func TestDailyCapIsTheApplicationsAndWarnsOnce(t *testing.T) {
	t.Parallel()
	var capped *channel.Spec
	for _, s := range channel.All() {
		if s.Quota.PerDay > 0 && s.Quota.PaceKey != "" {
			capped = s
		}
	}
	if capped == nil {
		t.Skip("no channel with a daily cap on a credential is registered")
	}
	ctx := context.Background()
	st := storetest.SQLite(t)
	inbox := notifytest.StartInbox(t)
	key := capped.Quota.PaceKey
	newShop := func(code, app string) shop.Shop {
		sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(capped.Name), Name: code + "店", Code: code, Credentials: shop.Credentials{key: app}})
		if err != nil {
			t.Fatal(err)
		}
		return sh
	}
	a, b, other := newShop("a", "app-1"), newShop("b", "app-1"), newShop("c", "app-2")
	now := time.Date(2026, 12, 3, 23, 0, 0, 0, order.JST)
	quiet := slog.New(slog.DiscardHandler)
	d := jobs.Deps{Store: st, Now: func() time.Time { return now }, Logger: quiet, NotifyTo: []string{"ops@example.jp"},
		Mailer: &notify.Mailer{Addr: inbox.Addr, From: "ichigen@example.jp"}}
	q := storetest.StartQueue(t, st, jobs.Config{Workers: jobs.NewWorkers(d), FetchPollInterval: 100 * time.Millisecond, Logger: quiet})
	for range 3 {
		if _, err := st.RecordCall(ctx, channel.Call{At: now.Add(-time.Minute), ShopID: a.ID, Operation: "orderInfo", Outcome: channel.OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
	if wait, err := d.OverDailyCap(ctx, q.Client(), b, capped.Quota.PerDay-2); err != nil || wait == 0 {
		t.Errorf("shop b after shop a's 3 calls on the same application, a batch of all but 2: wait %s, %v; want until midnight", wait, err)
	}
	if wait, err := d.OverDailyCap(ctx, q.Client(), other, capped.Quota.PerDay-2); err != nil || wait != 0 {
		t.Errorf("a shop on another application: wait %s, %v; want none", wait, err)
	}
	near := int(jobs.DailyCapWarning*float64(capped.Quota.PerDay)) - 3
	for _, sh := range []shop.Shop{a, b, a} {
		if wait, err := d.OverDailyCap(ctx, q.Client(), sh, near); err != nil || wait != 0 {
			t.Errorf("near the cap: wait %s, %v; want none", wait, err)
		}
	}
	storetest.Await(t, 20*time.Second, func() bool { return len(inbox.Messages()) >= 2 }, q)
	storetest.AwaitIdle(t, 20*time.Second, q)
	msgs := inbox.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d warning e-mails, want 2: one for each application that came near its cap", len(msgs))
	}
	for _, m := range msgs {
		if !strings.Contains(m.Subject, "上限に近づいています") {
			t.Errorf("subject %q", m.Subject)
		}
	}
}
