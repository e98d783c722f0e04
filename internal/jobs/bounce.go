package jobs

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// BounceHandler records the bounces the listener takes (buyermail.ListenBounces) on the mails
// they name, in the store every instance shares: any instance may take a report.
func BounceHandler(st store.Store) buyermail.BounceHandler {
	return func(ctx context.Context, b buyermail.Bounce) (bool, error) {
		_, known, err := st.BounceMail(ctx, b)
		return known, err
	}
}
