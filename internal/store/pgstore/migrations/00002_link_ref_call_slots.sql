-- +goose Up
-- link_ref is the marketplace's reference for a link still in progress (報告中): for Rakuten the
-- requestId of an async shipping update, or the time of a write whose answer never came.
ALTER TABLE orders ADD COLUMN link_ref TEXT NOT NULL DEFAULT '';

-- call_slots paces the calls made with one credential across every instance: each call takes
-- the next free slot (microseconds since the epoch) and waits for it.
CREATE TABLE call_slots (
    key     TEXT   PRIMARY KEY,
    next_us BIGINT NOT NULL,
    step_us BIGINT NOT NULL
);

-- +goose Down
DROP TABLE call_slots;
ALTER TABLE orders DROP COLUMN link_ref;
