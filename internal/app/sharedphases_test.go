package app

import (
	"context"

	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Seed 000 (よくあるご質問): the phases are every shop's, and a rule on a phase takes its own
// shop's orders only; another shop's orders waiting in the same phase are left alone, with no
// error and no e-mail. The rule has no phase to move confirmed orders to (移動先処理フェーズは設定
// しないことも可能): they stay in the phase, and later orders entering it do not make the rule
// take them again. On both engines.
func TestARuleTakesOnlyItsShopsOrdersFromASharedPhaseOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			db := ""
			if engine.Name == store.EnginePostgres {
				db = storetest.PostgresSchemaURL(t)
			}
			ctx := context.Background()
			b := setupRakutenOn(t, rakutensim.Config{Seed: 5}, db, 1)
			sim, srv, inbox := b.sim, b.srv, b.inbox
			inboxPhase := b.phases["新規受付"]

			// Another shop's orders wait in the same 新規受付.
			other, _ := storetestShop(t, srv.Store)
			theirs, err := srv.Store.UpsertOrders(ctx, other.ID, storetest.MakeOrders(1, 2, time.Now()), store.UpsertOptions{PhaseID: inboxPhase, Actor: "test"})
			if err != nil {
				t.Fatal(err)
			}
			importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
			b.rule(t, workflow.Rule{Kind: workflow.JobConfirm, TargetPhaseID: inboxPhase, ErrorPhaseID: b.phases["エラー"]})

			confirmed := func(n int) []order.Order {
				t.Helper()
				var page store.OrderPage
				done := func() bool {
					link := string(rakuten.LinkConfirmed)
					if page, err = srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, LinkStatus: &link, PageSize: 100}); err != nil {
						t.Fatal(err)
					}
					return len(page.Orders) >= n
				}
				if !storetest.Await(t, 40*time.Second, done, srv.Queue) {
					everything, _ := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PageSize: 100})
					for _, o := range everything.Orders {
						t.Logf("order %s: phase %d, link %q %q, done %v", o.Number, o.PhaseID, o.LinkStatus, o.LinkMessage, o.PhaseDone)
					}
					if res, err := srv.Queue.Client().JobList(ctx, river.NewJobListParams().First(100)); err == nil {
						for _, j := range res.Jobs {
							t.Logf("job %s %s %s errors %v scheduled %v now %v queue %s attempted %v", j.Kind, j.State, j.EncodedArgs, j.Errors, j.ScheduledAt, time.Now(), j.Queue, j.AttemptedAt)
						}
					}
					t.Fatalf("%d orders confirmed, want %d", len(page.Orders), n)
				}
				return page.Orders
			}
			sim.Generate(rakutensim.GenerateOptions{Count: 4, At: sim.Sim.Clock.Now().Add(-2 * time.Hour)})
			runImport(t, srv, importRule)
			first := confirmed(1)
			// More orders enter the phase: the rule runs on it again.
			sim.Sim.Clock.Advance(time.Minute)
			sim.Generate(rakutensim.GenerateOptions{Count: 4})
			sim.Sim.Clock.Advance(time.Minute)
			runImport(t, srv, importRule)
			all := confirmed(len(first) + 1)
			storetest.AwaitIdle(t, 20*time.Second, srv.Queue)

			counts := sim.Sim.Counters.Snapshot()
			for _, o := range all {
				o, err := srv.Store.GetOrder(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				if o.PhaseID != inboxPhase || !o.PhaseDone {
					t.Errorf("confirmed order %s: phase %d, done %v; want it left in 新規受付, done", o.Number, o.PhaseID, o.PhaseDone)
				}
				if counts.WriteRequests[o.Number] != 1 {
					t.Errorf("order %s was sent %d times, want once", o.Number, counts.WriteRequests[o.Number])
				}
			}
			for _, id := range theirs.IDs {
				o, err := srv.Store.GetOrder(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if o.PhaseID != inboxPhase || o.LinkStatus != "" || o.LinkMessage != "" || o.PhaseDone {
					t.Errorf("another shop's order was touched: phase %d, link %q %q, done %v", o.PhaseID, o.LinkStatus, o.LinkMessage, o.PhaseDone)
				}
				if events, _ := srv.Store.ListOrderEvents(ctx, id); len(events) != 0 {
					t.Errorf("another shop's order has history %+v", events)
				}
			}
			for _, m := range inbox.Messages() {
				if m.Subject == "(ichigen) 楽天自動注文確認結果のお知らせ(エラー情報)" {
					t.Errorf("the confirmation e-mailed an error: %s", m.Body)
				}
			}
		})
	}
}
