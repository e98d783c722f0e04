-- +goose Up
-- Every bulk action keeps its orders as a batch, not only a move (issue 20 item 2): the kind
-- says which action ('' a move), job_id the job that settles the order for an action queued as
-- jobs (0 none), outcome the result of an action done at once ('ok', 'failed'; '' not known yet).
ALTER TABLE bulk_batches ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_batch_orders ADD COLUMN job_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bulk_batch_orders ADD COLUMN outcome TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE bulk_batch_orders DROP COLUMN outcome;
ALTER TABLE bulk_batch_orders DROP COLUMN job_id;
ALTER TABLE bulk_batches DROP COLUMN kind;
