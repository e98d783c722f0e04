package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// DailyBudget is the daily cap a shop spends (channel.Quota.PerDay) and what every shop
// spending it has called today. The cap belongs to the credential the quota is counted on
// (channel.Quota.PaceKey: Yahoo's application ID), so shops of one channel that use the same
// application share it; a shop without that credential spends a budget of its own.
type DailyBudget struct {
	PerDay int
	// Used is today's calls (since 00:00 Japan time) of every shop in Shops.
	Used  int64
	Shops []shop.Shop
	// Key names the budget without the credential (channel and a hash of it), Day is today's
	// date in Japan: together they name one budget's day, e.g. for a warning sent once.
	Key, Day string
	// Resets is the next 00:00 Japan time.
	Resets time.Time
}

// DailyBudgetOf reads the daily budget sh spends, at now. PerDay is 0 (and nothing is read) when
// the shop's channel has no daily cap.
func DailyBudgetOf(ctx context.Context, st Store, sh shop.Shop, now time.Time) (DailyBudget, error) {
	spec := sh.Channel.Spec()
	b := DailyBudget{PerDay: spec.Quota.PerDay}
	if b.PerDay <= 0 {
		return b, nil
	}
	t := now.In(order.JST)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, order.JST)
	b.Day, b.Resets = midnight.Format(time.DateOnly), midnight.AddDate(0, 0, 1)
	b.Key, b.Shops = fmt.Sprintf("%s:shop-%d", spec.Name, sh.ID), []shop.Shop{sh}
	if key := spec.Quota.PaceKey; key != "" && sh.Credentials[key] != "" {
		sum := sha256.Sum256([]byte(sh.Credentials[key]))
		b.Key = spec.Name + ":" + hex.EncodeToString(sum[:8])
		shops, err := st.ListShops(ctx)
		if err != nil {
			return DailyBudget{}, fmt.Errorf("shops sharing the daily cap of shop %d: %w", sh.ID, err)
		}
		b.Shops = b.Shops[:0]
		for _, other := range shops {
			if other.ID == sh.ID || (other.Channel == sh.Channel && other.Credentials[key] == sh.Credentials[key]) {
				b.Shops = append(b.Shops, other)
			}
		}
		if len(b.Shops) == 0 { // sh is not stored (yet): its own calls only
			b.Shops = []shop.Shop{sh}
		}
	}
	for _, s := range b.Shops {
		used, err := st.CallStats(ctx, s.ID, midnight)
		if err != nil {
			return DailyBudget{}, fmt.Errorf("today's calls of shop %d: %w", s.ID, err)
		}
		b.Used += used.Calls
	}
	return b, nil
}

// Share is the part of the cap today's calls took.
func (b DailyBudget) Share() float64 {
	if b.PerDay <= 0 {
		return 0
	}
	return float64(b.Used) / float64(b.PerDay)
}
