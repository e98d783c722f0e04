package jobs_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// windowFetcher records the windows asked for and the run each came from (a run's context ends
// at its own deadline); each fetch takes a while, as a marketplace's paced calls do.
type windowFetcher struct {
	mu      sync.Mutex
	windows [][2]time.Time
	runs    map[time.Time]bool
}

func (f *windowFetcher) Fetch(ctx context.Context, from, to time.Time) ([]order.Order, error) {
	deadline, _ := ctx.Deadline()
	f.mu.Lock()
	f.windows = append(f.windows, [2]time.Time{from, to})
	f.runs[deadline] = true
	f.mu.Unlock()
	t := time.NewTimer(100 * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// covered checks that the windows follow one another from from to to, none longer than a step
// (the rule's import reaches back ImportOverlap before each), and returns how many runs there were.
func (f *windowFetcher) covered(t *testing.T, from, to time.Time, overlap time.Duration) int {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	at := from
	for _, w := range f.windows {
		if w[0].Before(at.Add(-overlap)) || w[0].After(at) || w[1].Sub(w[0]) > jobs.ImportStep+overlap {
			t.Fatalf("window %v – %v after %v: windows %v", w[0], w[1], at, f.windows)
		}
		at = w[1]
	}
	if at.Before(to) {
		t.Fatalf("the windows reach %v, not %v", at, to)
	}
	return len(f.runs)
}

// waitJobs waits until no job of kind is left to run and returns how many there were, failing
// on any that did not complete without an error: a run that outlasted the job timeout would
// have one. One query reads them all, so that a job and the one it queued are seen together.
func waitJobs(t *testing.T, st store.Store, q *jobs.Queue, kind string) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	done := func() bool {
		rows, err := st.ReadDB().QueryContext(ctx, "SELECT id, state, COALESCE(CAST(errors AS TEXT), '') FROM river_job WHERE kind = '"+kind+"'")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n = 0
		completed := true
		for rows.Next() {
			var id int64
			var state, errs string
			if err := rows.Scan(&id, &state, &errs); err != nil {
				t.Fatal(err)
			}
			if strings.Trim(errs, "{}[]") != "" || state == string(rivertype.JobStateCancelled) || state == string(rivertype.JobStateDiscarded) {
				t.Fatalf("%s job %d: %s %s", kind, id, state, errs)
			}
			n++
			completed = completed && state == string(rivertype.JobStateCompleted)
		}
		return n > 0 && completed
	}
	if !storetest.Await(t, 30*time.Second, done, q) {
		t.Fatalf("%s jobs not done", kind)
	}
	return n
}

// A rule's import two months behind and an operator's range import of 200 days go a step at a
// time, each run within its budget, and cover their whole window without a run timing out.
func TestLongImportsGoInBoundedSteps(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, _ := storetest.NewShop(t, st, "tea")
			other, _ := storetest.NewShop(t, st, "cups")
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Enabled: true, Interval: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now().Truncate(time.Second) // as the database keeps it
			behind := now.Add(-60 * 24 * time.Hour)
			if err := st.MarkRuleRun(ctx, rule.ID, behind, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			ruleFetcher := &windowFetcher{runs: map[time.Time]bool{}}
			rangeFetcher := &windowFetcher{runs: map[time.Time]bool{}}
			fetchers := map[int64]*windowFetcher{sh.ID: ruleFetcher, other.ID: rangeFetcher}
			const timeout = time.Second // a run works half of it: a few steps of 100 ms and their writes
			q := storetest.StartQueue(t, st, jobs.Config{JobTimeout: timeout, FetchPollInterval: 100 * time.Millisecond,
				Workers: jobs.NewWorkers(jobs.Deps{Store: st, JobTimeout: timeout, Fetcher: func(sh shop.Shop) (jobs.Fetcher, error) { return fetchers[sh.ID], nil }})})

			if _, err := q.Client().Insert(ctx, jobs.ImportArgs{RuleID: rule.ID}, nil); err != nil {
				t.Fatal(err)
			}
			waitJobs(t, st, q, "import")
			after, err := st.GetRule(ctx, rule.ID)
			if err != nil {
				t.Fatal(err)
			}
			if runs := ruleFetcher.covered(t, behind, after.LastRunAt, jobs.ImportOverlap); runs < 2 || after.LastRunAt.Before(now) || after.LastSuccessAt.Before(now) {
				t.Fatalf("the rule's import went in %d runs up to %v, last succeeded at %v", runs, after.LastRunAt, after.LastSuccessAt)
			}

			from, to := now.Add(-200*24*time.Hour), now.Add(-time.Hour)
			if _, err := q.ImportRange(ctx, jobs.ImportRangeArgs{ShopID: other.ID, From: from, To: to}, now); err != nil {
				t.Fatal(err)
			}
			jobsRun := waitJobs(t, st, q, "import_range")
			if runs := rangeFetcher.covered(t, from, to, 0); runs < 2 || jobsRun != runs {
				t.Fatalf("the range import went in %d runs of %d jobs", runs, jobsRun)
			}
		})
	}
}

// slowProcessor decides every order it is given, taking a while per batch as a marketplace's
// calls do, and records the run each batch came from.
type slowProcessor struct {
	mu   sync.Mutex
	runs map[time.Time]bool
}

func (p *slowProcessor) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, _ channel.Journal) ([]channel.Result, error) {
	deadline, _ := ctx.Deadline()
	p.mu.Lock()
	p.runs[deadline] = true
	p.mu.Unlock()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	out := make([]channel.Result, len(orders))
	for i, o := range orders {
		out[i] = channel.Result{OrderID: o.ID, OK: true}
	}
	return out, nil
}

// A backlog of four batches for a polling rule goes a batch or so a run, each run within its
// budget: every order is moved on, no run times out, and the rule's success is recorded.
func TestDispatchBacklogGoesInBoundedSteps(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "tea")
			target := phases["入金待ち"].ID
			if _, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 3*jobs.BatchSize+50, time.Now().Add(-time.Hour)), store.UpsertOptions{PhaseID: target}); err != nil {
				t.Fatal(err)
			}
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: target,
				SuccessPhaseID: phases["出荷待ち"].ID, ErrorPhaseID: phases["エラー"].ID, Enabled: true, Interval: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			proc := &slowProcessor{runs: map[time.Time]bool{}}
			const timeout = 5 * time.Second // a run works half of it: a batch or two of a second, and their reads and writes
			q := storetest.StartQueue(t, st, jobs.Config{JobTimeout: timeout, FetchPollInterval: 100 * time.Millisecond,
				Workers: jobs.NewWorkers(jobs.Deps{Store: st, JobTimeout: timeout, Processor: func(shop.Shop) (jobs.Processor, error) { return proc, nil }, Eligibility: takeAll})})
			if _, err := q.Client().Insert(ctx, jobs.DispatchArgs{RuleID: rule.ID}, nil); err != nil {
				t.Fatal(err)
			}
			waitJobs(t, st, q, "dispatch")
			page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: target, PageSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			proc.mu.Lock()
			runs := len(proc.runs)
			proc.mu.Unlock()
			if page.Total != 0 || runs < 2 {
				t.Fatalf("%d orders left in the target phase after %d runs", page.Total, runs)
			}
			if after, err := st.GetRule(ctx, rule.ID); err != nil || after.LastSuccessAt.IsZero() {
				t.Fatalf("the rule's success is not recorded: %+v %v", after, err)
			}
		})
	}
}

// takeAll is the eligibility of a channel that acts on every order.
func takeAll(shop.Shop, workflow.JobKind) workflow.Eligibility { return workflow.Eligibility{} }

// countingProcessor decides every order it is given at once and counts how often it saw each.
type countingProcessor struct {
	mu   sync.Mutex
	seen map[int64]int
}

func (p *countingProcessor) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, _ channel.Journal) ([]channel.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]channel.Result, len(orders))
	for i, o := range orders {
		p.seen[o.ID]++
		out[i] = channel.Result{OrderID: o.ID, OK: true}
	}
	return out, nil
}

// A dispatch left running by an instance that died is run again within seconds of the rescue
// threshold (twice the job timeout), not after River's hour, and sends each order once.
func TestDispatchLeftRunningByADeadInstanceResumes(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "tea")
			target := phases["入金待ち"].ID
			res, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 5, time.Now().Add(-time.Hour)), store.UpsertOptions{PhaseID: target})
			if err != nil {
				t.Fatal(err)
			}
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: target,
				SuccessPhaseID: phases["出荷待ち"].ID, ErrorPhaseID: phases["エラー"].ID, Enabled: true, Interval: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			// The dead instance's dispatch: running since a while, its process gone.
			inserter, err := jobs.New(ctx, st, jobs.Config{})
			if err != nil {
				t.Fatal(err)
			}
			job, err := inserter.Client().Insert(ctx, jobs.DispatchArgs{RuleID: rule.ID}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ago := "now() - interval '10 seconds'"
			if st.Engine() == store.EngineSQLite {
				ago = "datetime('now', 'subsec', '-10 seconds')"
			}
			if _, err := st.DB().ExecContext(ctx, "UPDATE river_job SET state = 'running', attempt = 1, attempted_at = "+ago+" WHERE id = "+strconv.FormatInt(job.Job.ID, 10)); err != nil {
				t.Fatal(err)
			}

			proc := &countingProcessor{seen: map[int64]int{}}
			const timeout = time.Second
			started := time.Now()
			q := storetest.StartQueue(t, st, jobs.Config{JobTimeout: timeout, FetchPollInterval: 100 * time.Millisecond,
				Workers: jobs.NewWorkers(jobs.Deps{Store: st, JobTimeout: timeout, Processor: func(shop.Shop) (jobs.Processor, error) { return proc, nil }, Eligibility: takeAll})})
			var page store.OrderPage
			if !storetest.Await(t, 20*time.Second, func() bool {
				if page, err = st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: target, PageSize: 1}); err != nil {
					t.Fatal(err)
				}
				return page.Total == 0
			}, q) {
				t.Fatalf("%d orders still wait for the dispatch left running", page.Total)
			}
			t.Logf("%s: the dispatch left running resumed %.1f s after the start", st.Engine(), time.Since(started).Seconds())
			proc.mu.Lock()
			defer proc.mu.Unlock()
			for _, id := range res.IDs {
				if proc.seen[id] != 1 {
					t.Errorf("order %d sent %d times", id, proc.seen[id])
				}
			}
		})
	}
}

// sizingProcessor decides every order it is given and records each round's size by shop.
type sizingProcessor struct {
	mu    sync.Mutex
	sizes map[int64][]int
}

func (p *sizingProcessor) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, _ channel.Journal) ([]channel.Result, error) {
	p.mu.Lock()
	p.sizes[orders[0].ShopID] = append(p.sizes[orders[0].ShopID], len(orders))
	p.mu.Unlock()
	out := make([]channel.Result, len(orders))
	for i, o := range orders {
		out[i] = channel.Result{OrderID: o.ID, OK: true}
	}
	return out, nil
}

// A channel that calls once per order gets the rounds its registration asks for (au PAY: 10), so
// that a round at its pace stays inside a job's time; a bulk-call channel gets the default 100.
func TestDispatchRoundsFollowTheChannelsBatchSize(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			proc := &sizingProcessor{sizes: map[int64][]int{}}
			q := storetest.StartQueue(t, st, jobs.Config{FetchPollInterval: 100 * time.Millisecond,
				Workers: jobs.NewWorkers(jobs.Deps{Store: st, Processor: func(shop.Shop) (jobs.Processor, error) { return proc, nil }, Eligibility: takeAll})})
			want := map[int64][]int{}
			for i, c := range []struct {
				channel shop.Channel
				rounds  []int
			}{
				{shop.Channel(aupay.Channel), []int{10, 10, 5}},
				{shop.Channel(rakuten.Name), []int{25}},
			} {
				sh, err := st.CreateShop(ctx, shop.Shop{Channel: c.channel, Name: "rounds-" + string(c.channel), Code: string(c.channel)})
				if err != nil {
					t.Fatal(err)
				}
				want[sh.ID] = c.rounds
				phases, err := st.ListPhases(ctx)
				if err != nil {
					t.Fatal(err)
				}
				p := map[string]int64{}
				for _, ph := range phases {
					p[ph.Name] = ph.ID
				}
				if _, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1000*(i+1), 25, time.Now().Add(-time.Hour)), store.UpsertOptions{PhaseID: p["出荷済み"]}); err != nil {
					t.Fatal(err)
				}
				rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"],
					SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"], Enabled: true})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := q.Client().Insert(ctx, jobs.DispatchArgs{RuleID: rule.ID}, nil); err != nil {
					t.Fatal(err)
				}
			}
			waitJobs(t, st, q, "dispatch")
			proc.mu.Lock()
			defer proc.mu.Unlock()
			for id, rounds := range want {
				if !slices.Equal(proc.sizes[id], rounds) {
					t.Errorf("shop %d: rounds of %v, want %v", id, proc.sizes[id], rounds)
				}
			}
		})
	}
}

// pendingOnceProcessor leaves each order pending the first time it sees it (a write the
// marketplace applies a moment later) and decides it the next.
type pendingOnceProcessor struct {
	mu    sync.Mutex
	seen  map[int64]int
	calls int
}

func (p *pendingOnceProcessor) Process(_ context.Context, _ workflow.JobKind, orders []order.Order, _ channel.Journal) ([]channel.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	out := make([]channel.Result, len(orders))
	for i, o := range orders {
		p.seen[o.ID]++
		out[i] = channel.Result{OrderID: o.ID, OK: true}
		if p.seen[o.ID] == 1 {
			out[i] = channel.Result{OrderID: o.ID, LinkStatus: o.LinkStatus, Pending: true, RecheckAfter: 100 * time.Millisecond}
		}
	}
	return out, nil
}

// Orders a run's own calls left pending, due within seconds, are looked at again inside the same
// job, so the marketplace's quota is not left idle for River's scheduling round: no recheck job
// is queued and every order is decided.
func TestResultsDueSoonAreReadInTheSameJob(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "tea")
			target := phases["出荷待ち"].ID
			if _, err := st.UpsertOrders(ctx, sh.ID, storetest.MakeOrders(1, 5, time.Now().Add(-time.Hour)), store.UpsertOptions{PhaseID: target}); err != nil {
				t.Fatal(err)
			}
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobShipReport, TargetPhaseID: target,
				SuccessPhaseID: phases["出荷済み"].ID, ErrorPhaseID: phases["エラー"].ID, Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			proc := &pendingOnceProcessor{seen: map[int64]int{}}
			q := storetest.StartQueue(t, st, jobs.Config{FetchPollInterval: 100 * time.Millisecond,
				Workers: jobs.NewWorkers(jobs.Deps{Store: st, Processor: func(shop.Shop) (jobs.Processor, error) { return proc, nil }, Eligibility: takeAll})})
			if _, err := q.Client().Insert(ctx, jobs.DispatchArgs{RuleID: rule.ID}, nil); err != nil {
				t.Fatal(err)
			}
			if n := waitJobs(t, st, q, "dispatch"); n != 1 {
				t.Fatalf("%d dispatch jobs", n)
			}
			var rechecks int
			if err := st.ReadDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'dispatch_recheck'").Scan(&rechecks); err != nil {
				t.Fatal(err)
			}
			page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PhaseID: phases["出荷済み"].ID, PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			proc.mu.Lock()
			calls := proc.calls
			proc.mu.Unlock()
			if rechecks != 0 || page.Total != 5 || calls != 2 {
				t.Fatalf("%d recheck jobs queued, %d of 5 orders decided, %d processor calls (want 0, 5, 2)", rechecks, page.Total, calls)
			}
		})
	}
}
