package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestARefusalKeepsTheEarlierUnhandledError: an order whose confirmation failed is moved by a
// careless bulk move into the ship-report rule's phase, which refuses it (no shipment). The
// confirm error nobody handled yet stays in its link message, so 要対応 still shows it, and the
// order's history says which error replaced which. An order without an earlier error gets the
// refusal alone.
func TestARefusalKeepsTheEarlierUnhandledError(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{store.EngineSQLite, store.EnginePostgres} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := ""
			if engine == store.EnginePostgres {
				db = storetest.PostgresSchemaURL(t)
			}
			b := setupRakutenOn(t, rakutensim.Config{Seed: 5}, db, 1)
			st := b.srv.Store
			res, err := st.UpsertOrders(ctx, b.shop.ID, storetest.MakeOrders(1, 2, time.Now().Add(-time.Hour)), store.UpsertOptions{PhaseID: b.phases["新規受付"]})
			if err != nil {
				t.Fatal(err)
			}
			failed, plain := res.IDs[0], res.IDs[1]
			const earlier = "注文確認できませんでした: RMSが注文確認を受け付けませんでした(E105)。"
			if err := st.SetLinkStatus(ctx, []int64{failed}, store.Link{Status: string(rakuten.LinkConfirmError), Message: earlier}); err != nil {
				t.Fatal(err)
			}
			b.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: b.phases["出荷待ち"], SuccessPhaseID: b.phases["出荷済み"], ErrorPhaseID: b.phases["エラー"]})
			if _, err := b.srv.Queue.MoveOrders(ctx, st, res.IDs, b.phases["出荷待ち"], "careless"); err != nil {
				t.Fatal(err)
			}
			waitPhaseEmpty(t, b.srv, b.shop.ID, b.phases["出荷待ち"])

			o, err := st.GetOrder(ctx, failed)
			if err != nil {
				t.Fatal(err)
			}
			if o.PhaseID != b.phases["エラー"] || o.LinkStatus != string(rakuten.LinkShipReportError) || !strings.HasPrefix(o.LinkMessage, rakuten.MsgNoShipment) ||
				!strings.Contains(o.LinkMessage, "「注文確認エラー」"+earlier) {
				t.Errorf("the refused order: phase %d, link %q %q; want the refusal followed by the earlier error", o.PhaseID, o.LinkStatus, o.LinkMessage)
			}
			if p, _ := st.GetOrder(ctx, plain); p.LinkMessage != rakuten.MsgNoShipment {
				t.Errorf("an order without an earlier error: %q", p.LinkMessage)
			}
			groups, err := st.LinkErrorGroups(ctx, store.LinkErrorQuery{})
			if err != nil {
				t.Fatal(err)
			}
			shown := false
			for _, g := range groups {
				shown = shown || strings.Contains(g.LinkMessage, earlier)
			}
			if !shown {
				t.Errorf("要対応 lost the earlier error: %+v", groups)
			}
			events, err := st.ListOrderEvents(ctx, failed)
			if err != nil {
				t.Fatal(err)
			}
			kept := false
			for _, e := range events {
				kept = kept || e.Kind == order.EventLinkErrorReplaced && strings.Contains(e.Message, "「注文確認エラー」"+earlier) && strings.Contains(e.Message, rakuten.MsgNoShipment)
			}
			if !kept {
				t.Errorf("the history does not keep the earlier error: %+v", events)
			}
		})
	}
}
