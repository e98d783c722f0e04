package channel

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// What a channel client may offer besides Client; the jobs and the UI look for these. A channel
// package states which of them its client has with compile-time assertions beside its Spec.

// Refetcher reads orders back from the marketplace by number (再取得).
type Refetcher interface {
	Refetch(ctx context.Context, numbers []string) ([]order.Order, error)
}

// ExpiryChecker can ask when its credentials expire.
type ExpiryChecker interface {
	LicenseExpiry(ctx context.Context) (time.Time, error)
}

// PostageSetter sets an order's postage at the marketplace and returns the order as it then
// holds it (the fix for Rakuten's postage -9999).
type PostageSetter interface {
	SetPostage(ctx context.Context, number string, postage int64) (order.Order, error)
}

// UnimportedConfirmer is a client whose import also finds orders to confirm without importing
// them (Rakuten's selective-settlement orders, imported only from 発送待ち).
type UnimportedConfirmer interface {
	UnimportedToConfirm() []order.Order
}

// PaymentManager is a client that manages its orders' card payments (the own cart's クロネコ
// webコレクト): it cancels an authorisation and changes its amount, each only while the payment
// is 仮売上 (order.CardAuthorized); in any other status it refuses before a call with the
// operator's instruction (a Rejected *Error). It returns the order with its new payment status.
// A channel with this ability and the capture job kind runs the conformance suite's payment
// cases.
type PaymentManager interface {
	CancelPayment(ctx context.Context, o order.Order) (order.Order, error)
	ChangeAmount(ctx context.Context, o order.Order, amount int64) (order.Order, error)
}

// Canceller cancels an order at the marketplace with one of the reasons its Spec.Cancel lists
// (Rakuten cancelOrder, au PAY cancelTradeProc), and returns the order as the marketplace then
// holds it. The order is read first: one the marketplace no longer lets cancel is refused
// (channel.Rejected) with why; one cancelled already is returned as it is, so a cancellation
// whose answer was lost is settled by reading it back and never sent twice.
type Canceller interface {
	Cancel(ctx context.Context, number, reason string) (order.Order, error)
}
