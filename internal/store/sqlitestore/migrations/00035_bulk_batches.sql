-- +goose Up
-- A bulk move's orders, kept so the banner after it counts exactly those orders (succeeded,
-- failed, still waiting) and 「結果を表示」 lists exactly them (issue 20 item 2). A batch is
-- kept for a week: each new batch removes the ones older than that. An id is never used twice
-- (AUTOINCREMENT on SQLite), so an old banner never counts a newer batch.
CREATE TABLE bulk_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at DATETIME NOT NULL,
    phase_id INTEGER NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX bulk_batches_created ON bulk_batches (created_at);
CREATE TABLE bulk_batch_orders (
    batch_id INTEGER NOT NULL REFERENCES bulk_batches (id) ON DELETE CASCADE,
    order_id INTEGER NOT NULL,
    PRIMARY KEY (batch_id, order_id)
);

-- +goose Down
DROP TABLE bulk_batch_orders;
DROP TABLE bulk_batches;
