package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The rules the notification addresses (通知先) keep, added to the conformance suite.
func init() {
	conformanceTests["NotifyAddressesAreReplacedWholeAndCleared"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		read := func() store.NotifySetting { return must[store.NotifySetting](t)(b.st.NotifyAddresses(ctx)) }
		if got := read(); len(got.Addresses) != 0 || !got.SavedAt.IsZero() || got.SavedBy != "" {
			t.Fatalf("a new store has notification addresses %+v", got)
		}

		saved := must[store.NotifySetting](t)(b.st.SetNotifyAddresses(ctx, []string{" ops@example.jp ", "Boss@example.jp", "", "ops@example.jp"}, "taro"))
		want := []string{"ops@example.jp", "Boss@example.jp"}
		if !slices.Equal(saved.Addresses, want) || saved.SavedBy != "taro" || saved.SavedAt.IsZero() {
			t.Fatalf("saved %+v, want %q by taro", saved, want)
		}
		if got := read(); !slices.Equal(got.Addresses, want) || got.SavedBy != "taro" || !got.SavedAt.Equal(saved.SavedAt) {
			t.Fatalf("read back %+v, want %+v", got, saved)
		}

		// A new list replaces the old one whole and keeps its own order, not the alphabet's.
		want = []string{"z@example.jp", "a@example.jp", "ops@example.jp"}
		must[store.NotifySetting](t)(b.st.SetNotifyAddresses(ctx, want, "hanako"))
		if got := read(); !slices.Equal(got.Addresses, want) || got.SavedBy != "hanako" {
			t.Fatalf("after replacing: %+v, want %q by hanako", got, want)
		}

		// A bad address refuses the whole list and leaves the saved one as it was.
		_, err := b.st.SetNotifyAddresses(ctx, []string{"new@example.jp", "foo"}, "taro")
		expectCode(t, err, apperror.Invalid)
		if got := read(); !slices.Equal(got.Addresses, want) {
			t.Fatalf("a refused list changed the addresses to %q", got.Addresses)
		}

		// None clears them, so that --notify-to applies again.
		cleared := must[store.NotifySetting](t)(b.st.SetNotifyAddresses(ctx, nil, "taro"))
		if got := read(); len(cleared.Addresses) != 0 || len(got.Addresses) != 0 || !got.SavedAt.IsZero() {
			t.Fatalf("after clearing: saved %+v, read %+v", cleared, got)
		}
	}
}
