package jobs

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/shop"
)

// OverDailyCap exposes Deps.overDailyCap to the package's external tests.
// client, when set, queues the warning e-mail.
func (d Deps) OverDailyCap(ctx context.Context, client *river.Client[*sql.Tx], sh shop.Shop, need int) (time.Duration, error) {
	return d.overDailyCap(ctx, client, sh, need)
}
