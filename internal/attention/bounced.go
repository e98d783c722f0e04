package attention

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// BounceWindow is how far back 要対応 counts the mails that bounced.
const BounceWindow = 7 * 24 * time.Hour

// MaxBouncedShown is how many of a shop's bounced mails 要対応 lists.
const MaxBouncedShown = 5

// Bounced are a shop's buyer mails that bounced within BounceWindow: a failure report came back
// after the shop's server took them (the buyer's address does not exist, the mailbox is full).
type Bounced struct {
	// Total counts them; Recent are the newest, at most MaxBouncedShown.
	Total  int64
	Recent []buyermail.Record
}

// GatherBounced reads a shop's bounced mails at now.
func GatherBounced(ctx context.Context, st store.Store, sh shop.Shop, now time.Time) (Bounced, error) {
	since := now.Add(-BounceWindow)
	n, err := st.CountBouncedMails(ctx, sh.ID, since)
	if err != nil || n == 0 {
		return Bounced{}, wrapBounced(err, sh.ID)
	}
	recent, err := st.ListBouncedMails(ctx, sh.ID, since, MaxBouncedShown)
	if err != nil {
		return Bounced{}, wrapBounced(err, sh.ID)
	}
	return Bounced{Total: n, Recent: recent}, nil
}

func wrapBounced(err error, shopID int64) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("attention: bounced mails of shop %d: %w", shopID, err)
}
