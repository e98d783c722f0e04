package api

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestAttentionGroupsErrorsWithTheFilterOfExactlyThem: GET /attention groups the orders in
// error by shop, status and message, most first, each with a filter that GET /orders and a bulk
// operation take as it is and that finds exactly the group's orders; it shows each shop's
// credentials' countdown and stopped rules, and says when nothing needs attention.
func TestAttentionGroupsErrorsWithTheFilterOfExactlyThem(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		const postcode = "送付先の郵便番号が正しくありません。"
		set := func(ids []int64, status workflow.LinkStatus, message string) {
			t.Helper()
			if err := b.st.SetLinkStatus(ctx, ids, store.Link{Status: string(status), Message: message}); err != nil {
				t.Fatal(err)
			}
		}
		set(b.orderID[0:4], rakuten.LinkShipReportError, postcode)
		set(b.orderID[4:5], rakuten.LinkConfirmError, "")
		set(b.orderID[5:7], rakuten.LinkShipReported, "")
		set(b.orderID[7:8], rakuten.LinkShipReportError, postcode+"(2)")
		if err := b.st.SetCredentialsExpiry(ctx, b.shop.ID, time.Now().Add(10*24*time.Hour-time.Hour)); err != nil {
			t.Fatal(err)
		}
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))

		got := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
		if !got.NeedsAttention || len(got.ErrorGroups) != 3 || len(got.Shops) != 1 {
			t.Fatalf("attention: needs %v, %d groups, %d shops", got.NeedsAttention, len(got.ErrorGroups), len(got.Shops))
		}
		first := got.ErrorGroups[0]
		if first.Count != 4 || first.CountCapped || first.LinkStatusLabel != "発送完了報告エラー" || first.LinkMessage != postcode || first.ShopName != "tea" ||
			first.Filter != (OrderFilter{Shop: b.shop.ID, LinkStatus: string(rakuten.LinkShipReportError), LinkMessage: postcode}) {
			t.Fatalf("the largest group: %+v", first)
		}
		if first.NewestOrderedAt.IsZero() {
			t.Error("the group has no newest order time")
		}
		sh := got.Shops[0]
		if sh.CredentialsDaysLeft == nil || *sh.CredentialsDaysLeft != 10 || !sh.CredentialsExpireSoon || !sh.NeedsAttention || sh.Status != "active" {
			t.Errorf("the shop's credentials: %+v", sh)
		}
		if len(sh.StoppedRules) != 1 || sh.StoppedRules[0].Kind != string(workflow.JobShipReport) || sh.StoppedRules[0].Blocking {
			t.Errorf("stopped rules %+v, want the ship report rule with nothing waiting", sh.StoppedRules)
		}

		// Each group's filter, as a query, finds exactly its orders.
		for _, g := range got.ErrorGroups {
			q := url.Values{"shop": {i64(g.Filter.Shop)}, "link_status": {g.Filter.LinkStatus}, "link_message": {g.Filter.LinkMessage}}
			page := decode[OrderPage](t, b.do(t, viewer, http.MethodGet, "/orders?"+q.Encode(), nil), http.StatusOK)
			if page.Total != g.Count {
				t.Errorf("group %s %q of %d: /orders finds %d", g.LinkStatus, g.LinkMessage, g.Count, page.Total)
			}
			for _, o := range page.Orders {
				if o.LinkStatus != g.LinkStatus || o.LinkMessage != g.LinkMessage {
					t.Errorf("group %s %q: /orders finds %s (%s %q)", g.LinkStatus, g.LinkMessage, o.Number, o.LinkStatus, o.LinkMessage)
				}
			}
		}
		if blank := got.ErrorGroups[2]; blank.LinkMessage != "" || blank.Filter.LinkMessage != linkNone {
			t.Errorf("the group without a message: %+v, want the filter's message %q", blank, linkNone)
		}

		// The bulk operation takes the filter as it is: exactly the group is sent again.
		res := decode[BulkResult](t, b.do(t, b.admin(t), http.MethodPost, "/orders/link-status", map[string]any{"filter": first.Filter, "link_status": ""}), http.StatusOK)
		if res.Count != 4 {
			t.Fatalf("retry of the group: %+v", res)
		}
		set(b.orderID[4:5], workflow.LinkNone, "")
		set(b.orderID[7:8], workflow.LinkNone, "")
		cancelWaitingForPostage(t, b)
		if err := b.st.SetCredentialsExpiry(ctx, b.shop.ID, time.Now().Add(90*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		calm := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
		if calm.NeedsAttention || len(calm.ErrorGroups) != 0 || calm.Shops[0].NeedsAttention {
			t.Fatalf("with every error fixed: %+v", calm)
		}

		// Orders waiting in a stopped rule's target phase bring it back.
		if _, err := b.st.MoveOrders(ctx, b.orderID[:3], b.phases["出荷待ち"].ID, "tester"); err != nil {
			t.Fatal(err)
		}
		held := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
		if r := held.Shops[0].StoppedRules[0]; !held.NeedsAttention || !r.Blocking || r.Waiting != 3 {
			t.Fatalf("a stopped rule with 3 orders waiting: %+v", held.Shops[0])
		}
	})
}

// TestAttentionShowsTheLastHoursCallsAgainstTheQuota: each shop's calls of the last hour are
// counted against the pace its marketplace allows (RMS: 1 a second), the 429s and the failures
// apart; a read-back note is no call.
func TestAttentionShowsTheLastHoursCallsAgainstTheQuota(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		recordCalls(t, b.st, b.shop.ID, time.Now())
		got := decode[Attention](t, b.do(t, b.tokenFor(t, only(user.MenuOrders, user.View)), http.MethodGet, "/attention", nil), http.StatusOK)
		want := CallUse{CallsPerSecond: 1, LastHour: 90, QuotaUse: 90.0 / 3600, Throttled: 1, Failed: 2}
		if got.Shops[0].Calls != want {
			t.Fatalf("calls %+v, want %+v", got.Shops[0].Calls, want)
		}
	})
}

// recordCalls records 90 calls in the last hour before now (one refused for the quota, one
// refused by the marketplace), a read-back note, and one call two hours earlier.
func recordCalls(t *testing.T, st store.Store, shopID int64, now time.Time) {
	t.Helper()
	ctx := context.Background()
	record := func(at time.Time, op string, outcome channel.Outcome, status int) {
		if _, err := st.RecordCall(ctx, channel.Call{At: at, ShopID: shopID, JobKind: "confirm", Operation: op, Outcome: outcome, HTTPStatus: status}); err != nil {
			t.Fatal(err)
		}
	}
	record(now.Add(-2*time.Hour), "getOrder", channel.OutcomeOK, 200)
	for i := range 88 {
		record(now.Add(-time.Duration(i+1)*30*time.Second), "getOrder", channel.OutcomeOK, 200)
	}
	record(now.Add(-time.Minute), "confirmOrder", channel.OutcomeRetry, 429)
	record(now.Add(-time.Minute), "confirmOrder", channel.OutcomeRejected, 400)
	record(now.Add(-time.Minute), channel.OpSettle, channel.OutcomeOK, 0)
}
