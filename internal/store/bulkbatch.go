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
	// CreateBatch records a batch of any bulk action (b.Kind) with each order's job or outcome,
	// keeping the entries whose order exists, and returns its id.
	CreateBatch(ctx context.Context, b BulkBatch, entries []BatchEntry) (int64, error)
	// GetBulkBatch reads a batch; apperror.NotFound when it is unknown or expired.
	GetBulkBatch(ctx context.Context, id int64) (BulkBatch, error)
	// BulkBatchOrders is where each order of a batch is now.
	BulkBatchOrders(ctx context.Context, id int64) ([]BatchOrder, error)
}

// BulkBatchKeep is how long a bulk batch is kept.
const BulkBatchKeep = 7 * 24 * time.Hour

// BulkBatch is one bulk action: when, by whom, which (Kind, "" a move), into which phase (a move).
type BulkBatch struct {
	ID        int64
	CreatedAt time.Time
	PhaseID   int64
	Actor     string
	Kind      string
}

// The outcomes of an order of a batch whose action was done at once.
const (
	BatchOK     = "ok"
	BatchFailed = "failed"
)

// BatchEntry is one order of a new batch: the job that settles it (0 none) or its outcome when
// the action was done at once (BatchOK, BatchFailed; "" not known yet).
type BatchEntry struct {
	OrderID, JobID int64
	Outcome        string
}

// BatchOrder is the state of one order of a batch, what its result is counted from.
type BatchOrder struct {
	ID, ShopID, PhaseID int64
	// PhaseDone: the phase's rule has finished with the order and left it in the phase.
	PhaseDone  bool
	LinkStatus string
	// JobID and Outcome are the order's BatchEntry.
	JobID   int64
	Outcome string
}
