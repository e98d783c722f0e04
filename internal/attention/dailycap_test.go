package attention_test

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestDailyCapUseCountsTheCallsOfTheJapaneseDay: a shop of a channel with a daily cap shows the
// calls made since 00:00 Japan time against it, not those of the day before, and warns from 80%.
func TestDailyCapUseCountsTheCallsOfTheJapaneseDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var capped *channel.Spec
	for _, s := range channel.All() {
		if s.Quota.PerDay > 0 {
			capped = s
		}
	}
	if capped == nil {
		t.Fatal("no channel with a daily cap is registered")
	}
	st := storetest.SQLite(t)
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(capped.Name), Name: "上限テスト店", Code: "cap"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 9, 30, 0, 0, order.JST)
	midnight := time.Date(2026, 12, 3, 0, 0, 0, 0, order.JST)
	for _, at := range []time.Time{midnight.Add(-time.Minute), midnight.Add(time.Minute), now.Add(-time.Hour * 2), now.Add(-time.Minute)} {
		if _, err := st.RecordCall(ctx, channel.Call{At: at, ShopID: sh.ID, Operation: "orderInfo", Outcome: channel.OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := attention.Gather(ctx, st, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Shops {
		if s.Shop.ID != sh.ID {
			continue
		}
		if s.PerDay != capped.Quota.PerDay || s.Today.Calls != 3 {
			t.Errorf("today %d calls against %d, want 3 against %d", s.Today.Calls, s.PerDay, capped.Quota.PerDay)
		}
		if s.DayWarn() {
			t.Error("3 calls warned")
		}
		s.Today.Calls = int64(float64(s.PerDay) * attention.DayWarning)
		if !s.DayWarn() {
			t.Errorf("%d of %d calls did not warn", s.Today.Calls, s.PerDay)
		}
		return
	}
	t.Fatal("the shop is not in the report")
}

// The daily cap is the application's: 要対応 counts every call of the shops using the same
// application against it, on each of them, and says how many shops share it.
func TestDailyCapUseIsTheApplications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var capped *channel.Spec
	for _, s := range channel.All() {
		if s.Quota.PerDay > 0 && s.Quota.PaceKey != "" {
			capped = s
		}
	}
	if capped == nil {
		t.Fatal("no channel with a daily cap on a credential is registered")
	}
	st := storetest.SQLite(t)
	var ids []int64
	for _, code := range []string{"a", "b"} {
		sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(capped.Name), Name: code + "店", Code: code, Credentials: shop.Credentials{capped.Quota.PaceKey: "app-1"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sh.ID)
	}
	now := time.Date(2026, 12, 3, 9, 30, 0, 0, order.JST)
	for range 2 {
		if _, err := st.RecordCall(ctx, channel.Call{At: now.Add(-time.Minute), ShopID: ids[0], Operation: "orderInfo", Outcome: channel.OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := attention.Gather(ctx, st, now)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, s := range r.Shops {
		if s.Shop.ID == ids[0] || s.Shop.ID == ids[1] {
			seen++
			if s.Today.Calls != 2 || s.DayShops != 2 {
				t.Errorf("shop %s: today %d calls of %d shops, want 2 of 2", s.Shop.Name, s.Today.Calls, s.DayShops)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("%d of the 2 shops in the report", seen)
	}
}
