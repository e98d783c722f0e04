package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The link errors grouped by cause (要対応) and the order list's filter by link message.
func init() {
	conformanceTests["LinkErrorsGroupByShopStatusAndMessage"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		other, _ := NewShop(t, b.st, "other")
		mine := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 40, base), store.UpsertOptions{})).IDs
		theirs := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, other.ID, MakeOrders(100, 10, base), store.UpsertOptions{})).IDs
		const postcode, noShipDate = "送付先の郵便番号が正しくありません。", "「発送日」が登録されていません。"
		set := func(ids []int64, status workflow.LinkStatus, message string) {
			t.Helper()
			if err := b.st.SetLinkStatus(ctx, ids, store.Link{Status: string(status), Message: message}); err != nil {
				t.Fatal(err)
			}
		}
		set(mine[0:23], rakuten.LinkShipReportError, postcode)
		set(mine[23:26], rakuten.LinkShipReportError, noShipDate)
		set(mine[26:28], rakuten.LinkConfirmError, postcode) // the same message under another status is its own group
		set(mine[28:29], rakuten.LinkPaymentReviewNG, "決済審査の結果、キャンセルになりました。")
		set(mine[29:30], workflow.LinkStatus(string(workflow.JobShipReport)+"_error"), "RMSが応答しません。") // a rule's refused call
		set(mine[30:35], rakuten.LinkShipReported, "")                                                // done: no error
		set(mine[35:37], rakuten.LinkShipReporting, "報告中")                                            // "…ing" is not "…_ng"
		set(mine[37:39], rakuten.LinkConfirmError, "")                                                // an error without a message
		set(theirs[0:4], rakuten.LinkShipReportError, postcode)                                       // another shop's are apart

		all := must[[]store.LinkErrorGroup](t)(b.st.LinkErrorGroups(ctx, store.LinkErrorQuery{}))
		type key struct {
			shop           int64
			status, msg    string
			count          int64
			newestInMinute int
		}
		var got []key
		for _, g := range all {
			got = append(got, key{g.ShopID, g.LinkStatus, g.LinkMessage, g.Count, int(g.Newest.Sub(base) / time.Minute)})
		}
		// MakeOrders places order k at base+k minutes: mine are 1–40, theirs 100–109.
		want := []key{
			{b.shop.ID, string(rakuten.LinkShipReportError), postcode, 23, 23},
			{other.ID, string(rakuten.LinkShipReportError), postcode, 4, 103},
			{b.shop.ID, string(rakuten.LinkShipReportError), noShipDate, 3, 26},
			{b.shop.ID, string(rakuten.LinkConfirmError), "", 2, 39},
			{b.shop.ID, string(rakuten.LinkConfirmError), postcode, 2, 28},
			{b.shop.ID, string(workflow.JobShipReport) + "_error", "RMSが応答しません。", 1, 30},
			{b.shop.ID, string(rakuten.LinkPaymentReviewNG), "決済審査の結果、キャンセルになりました。", 1, 29},
		}
		if !slices.Equal(got, want) {
			t.Fatalf("groups, most orders first:\n got %+v\nwant %+v", got, want)
		}
		for _, g := range all {
			if !workflow.LinkStatus(g.LinkStatus).IsError() {
				t.Errorf("group of %q, which is not an error", g.LinkStatus)
			}
		}
		one := must[[]store.LinkErrorGroup](t)(b.st.LinkErrorGroups(ctx, store.LinkErrorQuery{ShopID: other.ID}))
		if len(one) != 1 || one[0].ShopID != other.ID || one[0].Count != 4 {
			t.Fatalf("the other shop's groups: %+v", one)
		}

		// Each group's filter finds exactly its orders: the message is matched whole, and no
		// message is a message too.
		for _, g := range all {
			status, message := g.LinkStatus, g.LinkMessage
			page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: g.ShopID, LinkStatus: &status, LinkMessage: &message}))
			if page.Total != g.Count || int64(len(page.Orders)) != g.Count {
				t.Errorf("group %s %q of %d: the filter finds %d", g.LinkStatus, g.LinkMessage, g.Count, page.Total)
			}
			for _, o := range page.Orders {
				if o.LinkStatus != g.LinkStatus || o.LinkMessage != g.LinkMessage || o.ShopID != g.ShopID {
					t.Errorf("group %s %q finds order %s (%s %q)", g.LinkStatus, g.LinkMessage, o.Number, o.LinkStatus, o.LinkMessage)
				}
			}
			ids := must[[]int64](t)(b.st.OrderIDs(ctx, store.OrderQuery{ShopID: g.ShopID, LinkStatus: &status, LinkMessage: &message}, 1000))
			if int64(len(ids)) != g.Count {
				t.Errorf("group %s %q of %d: every result is %d orders", g.LinkStatus, g.LinkMessage, g.Count, len(ids))
			}
		}
		text := func(s string) *string { return &s }
		for _, c := range []struct {
			name string
			q    store.OrderQuery
			want int64
		}{
			{"message alone, every shop and status", store.OrderQuery{LinkMessage: text(postcode)}, 29},
			{"a part of the message", store.OrderQuery{LinkMessage: text("郵便番号")}, 0},
			{"the message with a LIKE wildcard", store.OrderQuery{LinkMessage: text("%")}, 0},
			{"the message with a trailing space", store.OrderQuery{LinkMessage: text(postcode + " ")}, 0},
			{"no message, one status", store.OrderQuery{LinkStatus: text(string(rakuten.LinkConfirmError)), LinkMessage: text("")}, 2},
		} {
			if got := must[store.OrderPage](t)(b.st.SearchOrders(ctx, c.q)).Total; got != c.want {
				t.Errorf("%s: %d orders, want %d", c.name, got, c.want)
			}
		}

		// Fixed orders leave their group.
		set(mine[0:20], workflow.LinkNone, "")
		after := must[[]store.LinkErrorGroup](t)(b.st.LinkErrorGroups(ctx, store.LinkErrorQuery{ShopID: b.shop.ID}))
		fixed := slices.IndexFunc(after, func(g store.LinkErrorGroup) bool {
			return g.LinkStatus == string(rakuten.LinkShipReportError) && g.LinkMessage == postcode
		})
		if len(after) != 6 || fixed < 0 || after[fixed].Count != 3 {
			t.Fatalf("groups after 20 of 23 fixed: %+v", after)
		}
	}

	conformanceTests["LinkErrorGroupsStopAtTheirCaps"] = func(t *testing.T, b *testBundle) {
		// More than CountCap orders in a group count as CountCap+1, and past MaxLinkErrorGroups
		// groups one more says there are more.
		ctx := context.Background()
		ids := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, store.CountCap+store.MaxLinkErrorGroups+20, base),
			store.UpsertOptions{PhaseID: b.phases["エラー"].ID})).IDs
		if _, err := b.st.DB().ExecContext(ctx, "UPDATE orders SET link_status = 'rakuten_ship_report_error', link_message = 'big'"); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids[:store.MaxLinkErrorGroups+10] {
			if err := b.st.SetLinkStatus(ctx, []int64{id}, store.Link{Status: string(rakuten.LinkConfirmError), Message: fmt.Sprintf("エラー%03d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		groups := must[[]store.LinkErrorGroup](t)(b.st.LinkErrorGroups(ctx, store.LinkErrorQuery{}))
		if len(groups) != store.MaxLinkErrorGroups+1 {
			t.Fatalf("%d groups, want %d (the most, and one to say there are more)", len(groups), store.MaxLinkErrorGroups+1)
		}
		if g := groups[0]; g.LinkMessage != "big" || !store.Capped(g.Count) {
			t.Fatalf("the largest group %q counts %d, want more than %d", g.LinkMessage, g.Count, store.CountCap)
		}
		// Groups of one order each: the newest first.
		if groups[1].LinkMessage != fmt.Sprintf("エラー%03d", store.MaxLinkErrorGroups+9) || groups[1].Count != 1 {
			t.Fatalf("second group %+v, want the newest of the single errors", groups[1])
		}
		o := must[order.Order](t)(b.st.GetOrder(ctx, ids[store.MaxLinkErrorGroups+9]))
		if !groups[1].Newest.Equal(o.OrderedAt) {
			t.Fatalf("newest %v, want the order's %v", groups[1].Newest, o.OrderedAt)
		}

		// Each shop's groups are ranked on their own: another shop's one error, the oldest and
		// smallest of all, is never pushed off by this shop's many.
		other, otherPhases := NewShop(t, b.st, "other")
		otherID := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, other.ID, MakeOrders(900000, 1, base.Add(-900001*time.Minute)), store.UpsertOptions{PhaseID: otherPhases["エラー"].ID})).IDs
		if err := b.st.SetLinkStatus(ctx, otherID, store.Link{Status: string(rakuten.LinkShipReportError), Message: "小さな店のエラー"}); err != nil {
			t.Fatal(err)
		}
		groups = must[[]store.LinkErrorGroup](t)(b.st.LinkErrorGroups(ctx, store.LinkErrorQuery{}))
		if len(groups) != store.MaxLinkErrorGroups+2 || !slices.ContainsFunc(groups, func(g store.LinkErrorGroup) bool { return g.ShopID == other.ID }) {
			t.Fatalf("%d groups; the other shop's error is among them: %v", len(groups),
				slices.ContainsFunc(groups, func(g store.LinkErrorGroup) bool { return g.ShopID == other.ID }))
		}
	}

	conformanceTests["LinkMessageIsStoredOnOneLineAndFoundWhole"] = func(t *testing.T, b *testBundle) {
		// A message with line breaks (errors.Join) is stored on one line, so the filter a form
		// sends back (a browser turns a line break into CRLF) finds it; a long one is cut.
		ctx := context.Background()
		id := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, base), store.UpsertOptions{})).IDs
		if err := b.st.SetLinkStatus(ctx, id, store.Link{Status: string(rakuten.LinkConfirmError), Message: " 注文確認できませんでした。\n  RMSの状態を確認してください。\r\n"}); err != nil {
			t.Fatal(err)
		}
		const want = "注文確認できませんでした。 RMSの状態を確認してください。"
		if o := must[order.Order](t)(b.st.GetOrder(ctx, id[0])); o.LinkMessage != want {
			t.Fatalf("stored %q, want %q", o.LinkMessage, want)
		}
		status, msg := string(rakuten.LinkConfirmError), want
		if page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{LinkStatus: &status, LinkMessage: &msg})); page.Total != 1 {
			t.Fatalf("the whole message finds %d orders", page.Total)
		}
		if err := b.st.SetLinkStatus(ctx, id, store.Link{Status: string(rakuten.LinkConfirmError), Message: strings.Repeat("長", 3000)}); err != nil {
			t.Fatal(err)
		}
		if o := must[order.Order](t)(b.st.GetOrder(ctx, id[0])); utf8.RuneCountInString(o.LinkMessage) != store.MaxLinkMessage || !strings.HasSuffix(o.LinkMessage, "…") {
			t.Fatalf("a long message is stored as %d characters", utf8.RuneCountInString(o.LinkMessage))
		}
	}
}
