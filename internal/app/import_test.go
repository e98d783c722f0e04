package app

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// runImport queues the rule's import and waits until it has imported up to now: the job, which
// goes a step at a time, is completed.
func runImport(t testing.TB, srv *Server, rule workflow.Rule) workflow.Rule {
	t.Helper()
	ctx := context.Background()
	within := 60 * time.Second
	if _, bench := t.(*testing.B); bench {
		within = 10 * time.Minute // a benchmark's thousands of orders at 1 call a second
	}
	var job *rivertype.JobRow
	ended := func() bool { // the job, read again
		var err error
		if job, err = srv.Queue.Client().JobGet(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		return job.FinalizedAt != nil
	}
	// The previous import records its run just before River marks it completed; an insert made
	// in between is skipped as a duplicate of that still-running job, so insert again once it ended.
	for {
		res, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: rule.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if job = res.Job; !res.UniqueSkippedAsDuplicate {
			break
		}
		if !storetest.Await(t, within, ended, srv.Queue) {
			t.Fatalf("the previous import job %d is still %s", job.ID, job.State)
		}
	}
	if storetest.Await(t, within, ended, srv.Queue) {
		if job.State != rivertype.JobStateCompleted {
			t.Fatalf("import job %s: %v", job.State, job.Errors)
		}
		after, err := srv.Store.GetRule(ctx, rule.ID)
		if err != nil {
			t.Fatal(err)
		}
		return after
	}
	rows, err := srv.Store.DB().QueryContext(ctx, "SELECT id, state, attempt, CAST(errors AS TEXT) FROM river_job WHERE kind = 'import'")
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var id, attempt int64
			var state string
			var errs sql.NullString
			_ = rows.Scan(&id, &state, &attempt, &errs)
			t.Logf("import job %d: %s, attempt %d, errors %s", id, state, attempt, errs.String)
		}
	}
	t.Fatal("import did not finish")
	return rule
}

func TestRakutenImportTakesTargetsOnceAndCatchesUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{ReviewDelay: time.Minute})
	sim, srv, sh := b.sim, b.srv, b.shop
	secret, key := sim.Credentials()
	rule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	zero := 0.0
	numbers := sim.Generate(rakutensim.GenerateOptions{Count: 40, At: sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})
	common, selective := 0, 0
	for _, n := range numbers {
		m, _ := sim.Order(n)
		if rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementSelective {
			selective++
		} else {
			common++
		}
	}
	if selective == 0 {
		t.Fatal("the sample has no selective-settlement order")
	}

	rule = runImport(t, srv, rule)
	page, err := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != int64(common) {
		t.Fatalf("imported %d, want the %d common-settlement orders (selective ones wait for 発送待ち)", page.Total, common)
	}

	// Rakuten confirms and reviews everything; the next import brings the selective orders now at
	// 発送待ち and refreshes the common ones, without a duplicate.
	client := &rakuten.Client{BaseURL: b.simURL, ServiceSecret: secret, LicenseKey: key}
	for i := 0; i < len(numbers); i += 100 {
		if _, err := client.ConfirmOrders(ctx, numbers[i:min(i+100, len(numbers))]); err != nil {
			t.Fatal(err)
		}
	}
	sim.Sim.Clock.Advance(4 * 24 * time.Hour)
	srv.Store.MarkRuleRun(ctx, rule.ID, rule.LastRunAt, time.Time{})
	// The simulated clock moved four days: the import window must reach it.
	rule = runImport(t, srv, rule)
	page, err = srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != int64(len(numbers)) {
		t.Fatalf("after review: %d orders, want %d", page.Total, len(numbers))
	}
	for _, o := range page.Orders {
		wantPaid := o.Settlement == order.SettlementCommon
		if o.MarketplaceStatus != order.StatusAwaitingShipment || (o.PaymentStatus == order.Paid) != wantPaid {
			t.Fatalf("order %s: %s %s (%s)", o.Number, o.MarketplaceStatus, o.PaymentStatus, o.PaymentMethod)
		}
	}
}

// An expired license key stops the shop's jobs and e-mails at once; the renewed key resumes them
// and the next import catches up the whole gap.
func TestExpiredKeyStopsTheShopAndMailsAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{})
	sim, srv, sh, inbox := b.sim, b.srv, b.shop, b.inbox
	secret, _ := sim.Credentials()
	rule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	sim.Generate(rakutensim.GenerateOptions{Count: 5, At: sim.Sim.Clock.Now().Add(-time.Hour)})
	sim.ExpireKey()
	if _, err := srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: rule.ID}, nil); err != nil {
		t.Fatal(err)
	}
	mails := inbox.Wait(20 * time.Second)
	got, _ := srv.Store.GetShop(ctx, sh.ID)
	if got.Status != shop.AuthError || len(mails) != 1 || !strings.Contains(mails[0].Subject, "認証エラー") || !strings.Contains(mails[0].Body, "licenseKey") {
		t.Fatalf("shop %s, e-mails %+v", got.Status, mails)
	}
	sim.RenewKey("SL_renewed")
	if err := srv.Store.SetShopCredentials(ctx, sh.ID, shop.Credentials{"serviceSecret": secret, "licenseKey": "SL_renewed", "endpoint": b.simURL}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	runImport(t, srv, rule)
	if page, _ := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID}); page.Total == 0 {
		t.Fatal("nothing imported after the key was renewed")
	}
}

// Fourteen days before the licenseKey expires, the daily check stores the date and warns.
func TestLicenseKeyExpiryIsWarnedTwoWeeksAhead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{KeyLifetime: 90 * 24 * time.Hour})
	b.sim.Sim.Clock.Advance(77 * 24 * time.Hour) // 13 days left
	if _, err := b.srv.Queue.Client().Insert(ctx, jobs.CheckCredentialsArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	mails := b.inbox.Wait(20 * time.Second)
	// The check that runs at start may also see the advanced clock: every mail is the warning.
	for _, m := range mails {
		if !strings.Contains(m.Subject, "APIキー有効期限") || !strings.Contains(m.Body, "あと13日") {
			t.Fatalf("e-mail: %+v", m)
		}
	}
	if len(mails) == 0 {
		t.Fatal("no warning")
	}
	sh, _ := b.srv.Store.GetShop(ctx, b.shop.ID)
	if d := sh.CredentialsExpireAt.Sub(b.sim.Sim.Clock.Now()); d < 12*24*time.Hour || d > 13*24*time.Hour {
		t.Fatalf("stored expiry in %v", d)
	}
}

// [RMSステータスを取得]: an order confirmed by hand in RMS shows 楽天処理中 after a re-fetch.
func TestRefetchShowsWhatRMSHolds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{})
	rule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	zero := 0.0
	var number string
	for number == "" { // a common-settlement order, which is imported at 注文確認待ち
		n := b.sim.Generate(rakutensim.GenerateOptions{Count: 1, At: b.sim.Sim.Clock.Now().Add(-time.Hour), ReviewNGShare: &zero})[0]
		if m, _ := b.sim.Order(n); rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementCommon && m.PostagePrice != rakuten.Unfixed {
			number = n
		}
	}
	runImport(t, b.srv, rule)
	o, err := b.srv.Store.GetOrderByNumber(ctx, b.shop.ID, number)
	if err != nil || o.MarketplaceStatus != order.StatusUnconfirmed {
		t.Fatalf("imported: %v %v", o.MarketplaceStatus, err)
	}
	secret, key := b.sim.Credentials()
	if _, err := (&rakuten.Client{BaseURL: b.simURL, ServiceSecret: secret, LicenseKey: key}).ConfirmOrders(ctx, []string{number}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.srv.Queue.Client().Insert(ctx, jobs.RefetchArgs{ShopID: b.shop.ID, OrderIDs: []int64{o.ID}}, nil); err != nil {
		t.Fatal(err)
	}
	refetched := func() bool {
		o, _ = b.srv.Store.GetOrder(ctx, o.ID)
		return o.MarketplaceStatus == order.StatusInReview
	}
	if !storetest.Await(t, 20*time.Second, refetched, b.srv.Queue) {
		m, _ := b.sim.Order(number)
		var state string
		b.srv.Store.DB().QueryRow("SELECT state FROM river_job WHERE kind = 'refetch'").Scan(&state)
		t.Fatalf("after re-fetch: %s (RMS: %d), job: %s", o.MarketplaceStatus, m.OrderProgress, state)
	}
}

// An on-demand import of a date range brings orders the import rule's window never reached,
// lands them in the first phase like any import, and leaves the rule's window alone.
func TestRakutenRangeImportBringsOlderOrders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{})
	rule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	zero := 0.0
	now := b.sim.Sim.Clock.Now()
	old := b.sim.Generate(rakutensim.GenerateOptions{Count: 12, At: now.Add(-10 * 24 * time.Hour), ReviewNGShare: &zero})
	rule = runImport(t, b.srv, rule) // the first import reaches back 7 days
	if page, _ := b.srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID}); page.Total != 0 {
		t.Fatalf("the rule's import found %d orders of 10 days ago", page.Total)
	}
	for _, bad := range []jobs.ImportRangeArgs{
		{ShopID: b.shop.ID, From: now.Add(-time.Hour), To: now.Add(-2 * time.Hour)},
		{ShopID: b.shop.ID, From: now.Add(-800 * 24 * time.Hour), To: now},
		{ShopID: b.shop.ID, From: now, To: now.Add(24 * time.Hour)},
	} {
		if _, err := b.srv.Queue.ImportRange(ctx, bad, now); !apperror.Is(err, apperror.Invalid) {
			t.Fatalf("range %v – %v: %v", bad.From, bad.To, err)
		}
	}
	if _, err := b.srv.Queue.ImportRange(ctx, jobs.ImportRangeArgs{ShopID: b.shop.ID, From: now.Add(-11 * 24 * time.Hour), To: now.Add(-9 * 24 * time.Hour), Overwrite: true}, now); err != nil {
		t.Fatal(err)
	}
	first := b.phases["新規受付"]
	var page store.OrderPage
	want := int64(0)
	imported := func() bool {
		var err error
		if page, err = b.srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: first, PageSize: 100}); err != nil {
			t.Fatal(err)
		}
		want = 0
		for _, n := range old {
			if m, _ := b.sim.Order(n); rakuten.SettlementOf(m.SettlementModel.SettlementMethod) == order.SettlementCommon {
				want++ // selective orders wait for 発送待ち
			}
		}
		return page.Total == want && want > 0
	}
	if !storetest.Await(t, 30*time.Second, imported, b.srv.Queue) {
		t.Fatalf("%d of %d orders imported by the range import", page.Total, want)
	}
	if after, _ := b.srv.Store.GetRule(ctx, rule.ID); !after.LastRunAt.Equal(rule.LastRunAt) {
		t.Fatal("a range import moved the import rule's window")
	}
}
