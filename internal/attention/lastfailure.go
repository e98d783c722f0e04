package attention

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// failureLookback is how many of a shop's newest calls are searched for its last failure.
const failureLookback = 50

// lastFailure returns the shop's newest failed call since since (a refusal for the quota aside:
// it is retried by itself), so that 要対応 says why the calls fail (a wrong endpoint, DNS,
// TLS, a refused key), not only how many did.
func lastFailure(ctx context.Context, st store.Store, shopID int64, since time.Time) (*channel.Call, error) {
	calls, err := st.ListCalls(ctx, store.CallQuery{ShopID: shopID, From: since, PageSize: failureLookback})
	if err != nil {
		return nil, fmt.Errorf("attention: last failed call of shop %d: %w", shopID, err)
	}
	for _, c := range calls {
		if c.Outcome != channel.OutcomeOK && c.HTTPStatus != http.StatusTooManyRequests && c.ErrorMessage != "" {
			return &c, nil
		}
	}
	return nil, nil
}
