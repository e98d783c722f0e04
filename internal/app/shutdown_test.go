package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestCtrlCHandsARunningJobBack: Ctrl+C on `ichigen serve` (Shutdown) with an import stuck in a
// marketplace call that would not end for minutes returns within the default shutdown timeout
// and the cancel's short wait, not after the call; the import is handed back to the queue, to
// run again, not lost.
func TestCtrlCHandsARunningJobBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	marketplace := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select { // a marketplace that does not answer
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(marketplace.Close)
	t.Cleanup(func() { close(release) }) // runs before Close: the handlers end
	cfg := testConfig(t, "")
	cfg.ShutdownTimeout = config.DefaultShutdownTimeout
	cfg.ChannelTimeout, cfg.JobTimeout = 10*time.Minute, 30*time.Minute // the call would hold the job for minutes
	srv, err := Start(ctx, cfg, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	sh, err := srv.Store.CreateShop(ctx, shop.Shop{Channel: shop.Channel(rakuten.Name), Name: "楽天テスト店",
		Credentials: shop.Credentials{"serviceSecret": "s", "licenseKey": "k", "endpoint": marketplace.URL}})
	if err != nil {
		t.Fatal(err)
	}
	rule, err := srv.Store.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: rule.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(time.Minute):
		t.Fatal("the import never called the marketplace")
	}

	const bound = 8 * time.Second // "a few seconds": the default timeout, the cancel's wait and some room
	stopped := make(chan error, 1)
	start := time.Now()
	go func() { stopped <- srv.Shutdown() }()
	select {
	case err := <-stopped:
		t.Logf("Shutdown returned after %s: %v", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(bound):
		t.Fatalf("Shutdown still waits for the running import after %s", bound)
	}

	again, err := Start(ctx, cfg, quietLogger()) // the same data directory
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Shutdown() })
	job, err := again.Queue.Client().JobGet(ctx, res.Job.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Handed back: waiting to run again, or already taken again by the new instance (River does
	// not count a run stopped by a shutdown as an attempt, but lists both instances as having
	// worked it). A job River left running would be the first instance's alone, until River's
	// rescuer an hour later.
	t.Logf("the import is %s, worked by %v, after the restart", job.State, job.AttemptedBy)
	handedBack := job.State == rivertype.JobStateAvailable || (job.State == rivertype.JobStateRunning && len(job.AttemptedBy) >= 2)
	if !handedBack {
		t.Fatalf("the cancelled import is %s (worked by %v), not handed back to run again", job.State, job.AttemptedBy)
	}
}
