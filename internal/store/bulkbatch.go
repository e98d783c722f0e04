package store

import (
	"context"
	"time"
)

// BulkBatches keeps the orders of each bulk move, so the page after it can count exactly those
// orders' result and list exactly them (issue 20 item 2). A batch lasts BulkBatchKeep.
type BulkBatches interface {
	// CreateBulkBatch records a batch of the orders among ids that exist and returns its id;
	// batches older than BulkBatchKeep go at the same time.
	CreateBulkBatch(ctx context.Context, b BulkBatch, ids []int64) (int64, error)
	// GetBulkBatch reads a batch; apperror.NotFound when it is unknown or expired.
	GetBulkBatch(ctx context.Context, id int64) (BulkBatch, error)
	// BulkBatchOrders is where each order of a batch is now.
	BulkBatchOrders(ctx context.Context, id int64) ([]BatchOrder, error)
}

// BulkBatchKeep is how long a bulk batch is kept.
const BulkBatchKeep = 7 * 24 * time.Hour

// BulkBatch is one bulk move: when, by whom, into which phase.
type BulkBatch struct {
	ID        int64
	CreatedAt time.Time
	PhaseID   int64
	Actor     string
}

// BatchOrder is the state of one order of a batch, what its result is counted from.
type BatchOrder struct {
	ID, ShopID, PhaseID int64
	// PhaseDone: the phase's rule has finished with the order and left it in the phase.
	PhaseDone  bool
	LinkStatus string
}
