package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestPaymentReviewTakesTheOldestOrdersFirst: of 150 orders waiting for 決済審査結果確認, a run's
// first round (and its getOrder call) takes the 100 oldest, oldest first — the likeliest decided
// — while a confirm rule keeps the newest first. The preview reads the phase as the run does
// (jobs.WaitingQuery), so it shows the run's order; the client is a real Rakuten one, held back
// by the plan (its endpoint does not exist).
func TestPaymentReviewTakesTheOldestOrdersFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Engines()[0].Open(t)
	sh, phases := storetest.NewShop(t, st, "oldest")
	base := time.Now().Add(-3 * 24 * time.Hour)
	if _, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 150, base), store.UpsertOptions{PhaseID: phases["確認待ち"].ID}); err != nil {
		t.Fatal(err)
	}
	creds := sh.Credentials.Plain()
	creds["endpoint"] = "http://127.0.0.1:1" // never reached: the plan sends nothing
	client, err := rakuten.NewClient(channel.Account{ShopID: sh.ID, ShopName: sh.Name, Credentials: creds, BaseURL: creds["endpoint"]})
	if err != nil {
		t.Fatal(err)
	}
	rows := func(kind workflow.JobKind) jobs.Preview {
		t.Helper()
		rule := workflow.Rule{ShopID: sh.ID, Kind: kind, TargetPhaseID: phases["確認待ち"].ID}
		p, err := jobs.PreviewRule(ctx, st, client, rakuten.Eligibility[kind], sh, rule, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	review := rows(workflow.JobPaymentReview)
	if review.Waiting != 150 || len(review.Rows) != 100 {
		t.Fatalf("review: %d waiting, %d in the first round", review.Waiting, len(review.Rows))
	}
	times := make([]time.Time, len(review.Rows))
	for i, r := range review.Rows {
		times[i] = r.Order.OrderedAt
	}
	near := func(a, b time.Time) bool { return a.Sub(b).Abs() < time.Millisecond } // the store keeps microseconds
	if !slices.IsSortedFunc(times, func(a, b time.Time) int { return a.Compare(b) }) || !near(times[0], base.Add(time.Minute)) || !near(times[99], base.Add(100*time.Minute)) {
		t.Fatalf("review's first round runs %s … %s; want the 100 oldest, oldest first", times[0], times[len(times)-1])
	}
	if len(review.Calls) != 1 || review.Calls[0].Write || len(review.Calls[0].OrderIDs) != 100 ||
		!strings.Contains(review.Calls[0].Request, review.Rows[0].Order.Number) {
		t.Fatalf("review's planned calls: %+v; want one getOrder of the 100 oldest", review.Calls)
	}
	confirm := rows(workflow.JobConfirm)
	if first := confirm.Rows[0].Order.OrderedAt; !near(first, base.Add(150*time.Minute)) {
		t.Fatalf("confirm's first round starts at %s; want the newest, as before", first)
	}
}

// TestPreviewSaysWhatWaitsBeyondTheFirstRound: of 250 orders waiting for 決済審査結果確認 the
// preview shows the first round's 100, and says honestly that 150 more wait, that taking them
// all needs 3 rounds of one getOrder each, and how long that is at least at the shop's quota.
func TestPreviewSaysWhatWaitsBeyondTheFirstRound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Engines()[0].Open(t)
	sh, phases := storetest.NewShop(t, st, "beyond")
	if _, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 250, time.Now().Add(-24*time.Hour)), store.UpsertOptions{PhaseID: phases["確認待ち"].ID}); err != nil {
		t.Fatal(err)
	}
	creds := sh.Credentials.Plain()
	creds["endpoint"] = "http://127.0.0.1:1" // never reached: the plan sends nothing
	client, err := rakuten.NewClient(channel.Account{ShopID: sh.ID, ShopName: sh.Name, Credentials: creds, BaseURL: creds["endpoint"]})
	if err != nil {
		t.Fatal(err)
	}
	rule := workflow.Rule{ShopID: sh.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: phases["確認待ち"].ID}
	p, err := jobs.PreviewRule(ctx, st, client, rakuten.Eligibility[rule.Kind], sh, rule, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b := p.Backlog
	want := time.Duration(float64(3*time.Second) / sh.CallsPerSecond())
	if b.Beyond != 150 || b.Rounds != 3 || b.CallsPerRound != 1 || b.Duration != want || b.AtLeast {
		t.Fatalf("backlog %+v; want 150 beyond, 3 rounds of 1 call, %s", b, want)
	}
	msg := p.BacklogMessage()
	for _, w := range []string{"150件", "全3回", "1回目"} {
		if !strings.Contains(msg, w) {
			t.Errorf("the backlog message %q does not say %q", msg, w)
		}
	}
	// A phase that fits one round says nothing of later rounds.
	small := jobs.Preview{Waiting: 40, BatchSize: 100, Rows: make([]jobs.PreviewRow, 40)}
	if small.BacklogMessage() != "" {
		t.Errorf("one round's preview speaks of a backlog: %q", small.BacklogMessage())
	}
}
