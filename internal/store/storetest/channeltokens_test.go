package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// The rule a channel's shared access token relies on, added to the conformance suite.
func init() {
	conformanceTests["ChannelTokenIsSharedUntilReplacedOrDeleted"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		if _, _, err := b.st.ChannelToken(ctx, b.shop.ID); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("no token yet: %v", err)
		}
		exp := base.Add(time.Hour)
		if err := b.st.SaveChannelToken(ctx, b.shop.ID, "access-1", exp); err != nil {
			t.Fatal(err)
		}
		if err := b.st.SaveChannelToken(ctx, b.shop.ID, "access-2", exp.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		token, at, err := b.st.ChannelToken(ctx, b.shop.ID)
		if err != nil || token != "access-2" || !at.Equal(exp.Add(time.Hour)) {
			t.Fatalf("read back %q %s %v, want the later token", token, at, err)
		}
		if err := b.st.SaveChannelToken(ctx, b.shop.ID, "", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.st.ChannelToken(ctx, b.shop.ID); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("after delete: %v", err)
		}
	}
}
