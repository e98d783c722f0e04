package store

import "context"

// CartMembers keeps which cart member (会員ID) placed each own-cart order (issue 16 item 9), so
// that the stored-card page finds a member's orders from the member id alone.
type CartMembers interface {
	// SetOrderMembers records the member of each order (order id → member id) of a shop; an
	// empty member id forgets the order's member. Setting the same again changes nothing.
	SetOrderMembers(ctx context.Context, shopID int64, members map[int64]string) error
	// MemberOrders lists the ids of a shop's orders placed by a member, the newest first, at most
	// limit.
	MemberOrders(ctx context.Context, shopID int64, memberID string, limit int) ([]int64, error)
}
