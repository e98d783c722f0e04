package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// The rules the web UI relies on, added to the conformance suite.
func init() {
	conformanceTests["SessionLivesUntilItExpiresOrIsDeleted"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		g := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()}))
		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "hanako", Name: "花子", PasswordHash: "x", GroupID: g.ID}))
		now := base
		sess := user.Session{TokenHash: "hash-1", UserID: u.ID, CSRFToken: "csrf-1", CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastSeenAt: now}
		if err := b.st.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		got := must[user.Session](t)(b.st.GetSession(ctx, "hash-1", now.Add(time.Minute)))
		if got.UserID != u.ID || got.CSRFToken != "csrf-1" || !got.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("session read back as %+v", got)
		}
		if _, err := b.st.GetSession(ctx, "hash-1", now.Add(time.Hour)); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an expired session must not be found, got %v", err)
		}
		if err := b.st.TouchSession(ctx, "hash-1", now.Add(30*time.Minute), now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		must[user.Session](t)(b.st.GetSession(ctx, "hash-1", now.Add(90*time.Minute)))
		if err := b.st.CreateSession(ctx, user.Session{TokenHash: "hash-2", UserID: u.ID, CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Minute), LastSeenAt: now}); err != nil {
			t.Fatal(err)
		}
		if n := must[int64](t)(b.st.PruneSessions(ctx, now.Add(10*time.Minute))); n != 1 {
			t.Fatalf("pruned %d sessions, want the one expired", n)
		}
		if err := b.st.DeleteSession(ctx, "hash-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.GetSession(ctx, "hash-1", now); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("a deleted session must not be found, got %v", err)
		}
		if err := b.st.DeleteSession(ctx, "hash-1"); err != nil {
			t.Fatalf("deleting twice (logout in two tabs) is no error: %v", err)
		}
	}

	conformanceTests["OrderListFiltersSortsAndCountsPerPhase"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 20, base)
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		au := must[shop.Shop](t)(b.st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(aupay.Channel), Name: "au店"}))
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, au.ID, MakeOrders(100, 3, base), store.UpsertOptions{}))
		hold := b.phases["保留"].ID
		must[[]int64](t)(b.st.MoveOrders(ctx, res.IDs[:5], hold, "tester"))

		if page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{Channel: shop.Channel(aupay.Channel)})); page.Total != 3 {
			t.Errorf("channel filter: %d orders, want 3", page.Total)
		}
		if page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{Channel: shop.Channel(rakuten.Name), PaymentStatus: order.Unpaid})); page.Total != 20 {
			t.Errorf("channel and payment filter: %d orders, want 20", page.Total)
		}
		if page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ManagementClass: order.BundleChild})); page.Total != 0 {
			t.Errorf("management class filter: %d orders, want 0", page.Total)
		}

		asc := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Sort: store.SortNumber, Ascending: true, PageSize: 5}))
		if len(asc.Orders) != 5 || asc.Orders[0].Number != orders[0].Number || asc.Orders[4].Number != orders[4].Number {
			t.Errorf("number ascending starts %v", numbers(asc.Orders))
		}
		byPhase := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Sort: store.SortPhase, PageSize: 5}))
		for _, o := range byPhase.Orders {
			if o.PhaseID != hold { // 保留 comes after 新規受付 in the default phases
				t.Errorf("phase descending: %s in phase %d first, want 保留 (%d)", o.Number, o.PhaseID, hold)
			}
		}
		for _, sort := range store.OrderSorts {
			for _, ascending := range []bool{false, true} {
				var seen []int64
				for page := 1; page <= 3; page++ {
					p := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Sort: sort, Ascending: ascending, Page: page, PageSize: 7}))
					for _, o := range p.Orders {
						seen = append(seen, o.ID)
					}
				}
				slices.Sort(seen)
				if len(slices.Compact(seen)) != 20 {
					t.Errorf("sort %q ascending=%v: pages overlap or miss orders: %d distinct", sort, ascending, len(seen))
				}
			}
		}

		counts := must[store.PhaseCounts](t)(b.st.CountOrdersByPhase(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: hold}))
		if counts.Total(hold) != 5 || counts.Total(b.phases["新規受付"].ID) != 15 {
			t.Errorf("counts per phase %v, want 5 in 保留 and 15 in 新規受付 whatever phase is selected", counts)
		}

		ids := must[[]int64](t)(b.st.OrderIDs(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: hold}, 100))
		want := slices.Clone(res.IDs[:5])
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("ids of the search %v, want %v", ids, want)
		}
		if ids := must[[]int64](t)(b.st.OrderIDs(ctx, store.OrderQuery{}, 4)); len(ids) != 4 {
			t.Errorf("limit: %d ids, want 4", len(ids))
		}
	}

	conformanceTests["OneCallReadsBackWithItsBodies"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		id := must[int64](t)(b.st.RecordCall(ctx, channel.Call{At: base, ShopID: b.shop.ID, JobKind: "confirm", Operation: "confirmOrder",
			Outcome: channel.OutcomeRejected, HTTPStatus: 400, ErrorCode: "ORDER_EXT_API_CONFIRM_ORDER_ERROR_105", Request: `{"orderNumberList":["1"]}`, Response: `{"MessageModelList":[]}`}))
		c := must[channel.Call](t)(b.st.GetCall(ctx, id))
		if c.Operation != "confirmOrder" || c.Request != `{"orderNumberList":["1"]}` || c.HTTPStatus != 400 {
			t.Fatalf("call read back as %+v", c)
		}
		if _, err := b.st.GetCall(ctx, id+100); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("unknown call: %v", err)
		}
	}
}

func numbers(orders []order.Order) []string {
	out := make([]string, len(orders))
	for i, o := range orders {
		out[i] = o.Number
	}
	return out
}
