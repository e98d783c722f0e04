package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// MaskBuyerDataInterval is how often the leader removes the personal data whose retention has
// passed: within a few hours of the day it is due.
const MaskBuyerDataInterval = 6 * time.Hour

// maskBatch is how many orders one transaction masks.
const maskBatch = 500

// MaskBuyerDataArgs removes the buyer's and recipients' personal data of the orders of every
// shop whose channel keeps it only for a while after shipment (channel.Spec.BuyerDataRetention).
type MaskBuyerDataArgs struct{}

// Kind implements river.JobArgs.
func (MaskBuyerDataArgs) Kind() string { return "mask_buyer_data" }

type maskBuyerDataWorker struct {
	river.WorkerDefaults[MaskBuyerDataArgs]
	deps Deps
}

// maskActor is who the order histories and 操作履歴 name for the removal.
const maskActor = "system"

func (w *maskBuyerDataWorker) Work(ctx context.Context, job *river.Job[MaskBuyerDataArgs]) error {
	_, err := MaskBuyerData(ctx, w.deps.Store, w.deps.Now())
	return err
}

// MaskBuyerData removes, for every shop whose channel has a retention, the personal data of its
// orders shipped (or completed, or cancelled) more than the shop's retention before now, and
// writes one line per shop in 操作履歴 with the count. It returns the orders masked per shop.
// Nothing of the data is logged.
func MaskBuyerData(ctx context.Context, st store.Store, now time.Time) (map[int64]int, error) {
	shops, err := st.ListShops(ctx)
	if err != nil {
		return nil, fmt.Errorf("mask buyer data: %w", err)
	}
	out := map[int64]int{}
	for _, sh := range shops {
		r := sh.Channel.Spec().BuyerDataRetention
		if r == nil {
			continue
		}
		days := r.DaysOf(sh.Credentials.Plain())
		before := now.Add(-time.Duration(days) * 24 * time.Hour)
		total := 0
		for {
			n, err := st.MaskBuyerData(ctx, sh.ID, before, maskBatch, maskActor)
			if err != nil {
				return out, err
			}
			total += n
			if n < maskBatch {
				break
			}
		}
		if total == 0 {
			continue
		}
		out[sh.ID] = total
		if err := st.RecordAudit(ctx, store.AuditEvent{Actor: maskActor, Action: "購入者情報を削除", Target: sh.Name,
			Detail: fmt.Sprintf("出荷・キャンセルから%d日を過ぎた注文%d件の購入者・お届け先の個人情報", days, total)}); err != nil {
			return out, fmt.Errorf("mask buyer data: audit of shop %d: %w", sh.ID, err)
		}
	}
	return out, nil
}
