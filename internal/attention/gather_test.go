package attention_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestEachShopShowsItsOwnLargestErrors: a shop with more kinds of error than the page shows says
// it has more; another shop's single error still shows, and that shop has no more.
func TestEachShopShowsItsOwnLargestErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	busy, _ := storetest.NewShop(t, st, "busy")
	calm, _ := storetest.NewShop(t, st, "calm")
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ids := must(st.UpsertOrders(ctx, busy.ID, storetest.MakeOrders(1, store.MaxLinkErrorGroups+5, base), store.UpsertOptions{})).IDs
	for i, id := range ids {
		if err := st.SetLinkStatus(ctx, []int64{id}, store.Link{Status: string(rakuten.LinkConfirmError), Message: fmt.Sprintf("エラー%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	calmID := must(st.UpsertOrders(ctx, calm.ID, storetest.MakeOrders(500, 1, base.AddDate(0, 0, -30)), store.UpsertOptions{})).IDs
	if err := st.SetLinkStatus(ctx, calmID, store.Link{Status: string(rakuten.LinkShipReportError), Message: "古いエラー"}); err != nil {
		t.Fatal(err)
	}

	r, err := attention.Gather(ctx, st, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]attention.Shop{}
	for _, s := range r.Shops {
		byName[s.Shop.Name] = s
	}
	if s := byName["busy"]; len(s.Errors) != store.MaxLinkErrorGroups || !s.MoreErrors {
		t.Errorf("busy shop: %d groups, more %v; want %d and more", len(s.Errors), s.MoreErrors, store.MaxLinkErrorGroups)
	}
	if s := byName["calm"]; len(s.Errors) != 1 || s.Errors[0].LinkMessage != "古いエラー" || s.MoreErrors {
		t.Errorf("calm shop: %+v, more %v; want its one error", s.Errors, s.MoreErrors)
	}
	if !r.MoreErrors || len(r.Errors) != store.MaxLinkErrorGroups+1 {
		t.Errorf("report: %d groups, more %v", len(r.Errors), r.MoreErrors)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
