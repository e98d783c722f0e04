package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// DriftInterval is how often the open card orders are read back from their gateway.
const DriftInterval = 10 * time.Minute

// driftShare is the part of a shop's call quota over one DriftInterval that a drift run may
// use: the read-backs never crowd out captures and cancels.
const driftShare = 0.05

// maxDriftPerRun bounds one shop's read-backs in one run, whatever its quota.
const maxDriftPerRun = 1_000

// driftCursor is the shop setting that remembers which page of open card orders the next run
// reads, so that every open order is read back in turn, the oldest first.
const driftCursor = "payment_drift_page"

// DriftArgs reads back, for each shop whose client is a channel.DriftChecker (the own cart), its
// open card orders (仮売上) in every phase, a quota-bounded slice per run in turn, and sets the
// payment status of an order whose gateway state differs, saying so in the order's history
// (issue 16 item 8: a change made in webコレクト's own screen never reaches the cart).
type DriftArgs struct{}

// Kind implements river.JobArgs.
func (DriftArgs) Kind() string { return "payment_drift" }

type driftWorker struct {
	river.WorkerDefaults[DriftArgs]
	deps Deps
}

func (w *driftWorker) Work(ctx context.Context, job *river.Job[DriftArgs]) error {
	shops, err := w.deps.Store.ListShops(ctx)
	if err != nil {
		return err
	}
	for _, sh := range shops {
		if sh.Status == shop.AuthError || w.deps.Fetcher == nil {
			continue
		}
		f, err := w.deps.Fetcher(sh)
		if err != nil {
			continue
		}
		checker, ok := f.(channel.DriftChecker)
		if !ok {
			continue
		}
		if _, err := CheckDrift(channel.WithCall(ctx, "payment_drift", 0), w.deps.Store, sh, checker); err != nil {
			w.deps.Logger.Warn("payment drift check stopped", "shop", sh.ID, "error", err)
		}
	}
	return nil
}

// DriftBudget is how many orders of a shop one drift run reads back: driftShare of the calls its
// quota allows over a DriftInterval, at least 1 and at most maxDriftPerRun.
func DriftBudget(sh shop.Shop) int {
	n := int(sh.Channel.Spec().Quota.PerSecond * DriftInterval.Seconds() * driftShare)
	return max(1, min(n, maxDriftPerRun))
}

// DriftReport is what one shop's drift run did.
type DriftReport struct {
	Checked, Differed int
}

// CheckDrift reads back the next page of a shop's open card orders (DriftBudget of them, the
// oldest first, starting over after the last page) and stores the gateway's payment status of
// each that differs, with the checker's message in its history.
func CheckDrift(ctx context.Context, st store.Store, sh shop.Shop, checker channel.DriftChecker) (DriftReport, error) {
	var rep DriftReport
	page := 1
	if _, err := st.ShopSetting(ctx, sh.ID, driftCursor, &page); err != nil {
		return rep, err
	}
	q := store.OrderQuery{ShopID: sh.ID, PaymentStatus: order.CardAuthorized, Ascending: true, Page: max(page, 1), PageSize: DriftBudget(sh)}
	found, err := st.SearchOrders(ctx, q)
	if err != nil {
		return rep, fmt.Errorf("payment drift of shop %d: %w", sh.ID, err)
	}
	if len(found.Orders) == 0 && q.Page > 1 {
		q.Page = 1
		if found, err = st.SearchOrders(ctx, q); err != nil {
			return rep, fmt.Errorf("payment drift of shop %d: %w", sh.ID, err)
		}
	}
	for _, o := range found.Orders {
		held, msg, err := checker.CheckDrift(ctx, o)
		if err != nil {
			return rep, fmt.Errorf("payment drift of order %d: %w", o.ID, err)
		}
		rep.Checked++
		if msg == "" {
			continue
		}
		rep.Differed++
		if err := st.InTx(ctx, func(tx store.Tx) error {
			if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{held}, store.UpsertOptions{Actor: "system:payment_drift"}); err != nil {
				return err
			}
			return tx.AddOrderEvents(ctx, []order.Event{{OrderID: o.ID, At: time.Now(), Kind: order.EventUpdated, Actor: "system:payment_drift", Message: msg}})
		}); err != nil {
			return rep, err
		}
	}
	next := q.Page + 1
	if len(found.Orders) < q.PageSize {
		next = 1
	}
	return rep, st.SetShopSetting(ctx, sh.ID, driftCursor, next, "system:payment_drift")
}
