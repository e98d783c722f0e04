package channel

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// DriftChecker reads back what the payment gateway holds for an open order (the own cart's
// webコレクト, E04): a change made in the gateway's own screen never reaches the cart (seed 004),
// so ichigen looks for it. It returns the order with the gateway's payment status and, when that
// differs from the order's, what differs and what to do; "" when they agree.
type DriftChecker interface {
	CheckDrift(ctx context.Context, o order.Order) (order.Order, string, error)
}
