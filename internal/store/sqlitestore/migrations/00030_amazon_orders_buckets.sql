-- +goose Up
-- latest_ship_date is the moment the marketplace wants the order shipped by (Amazon's
-- LatestShipDate); NULL when it names none. is_prime marks an order the marketplace promised a
-- fast delivery for (Amazon Prime). 要対応 lists the orders still to ship near their deadline,
-- and the order list filters on both.
ALTER TABLE orders ADD COLUMN latest_ship_date DATETIME;
ALTER TABLE orders ADD COLUMN is_prime BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX orders_latest_ship_date ON orders (latest_ship_date) WHERE latest_ship_date IS NOT NULL;
-- buyer_masked_at is when the buyer's and the recipients' personal data was removed, once the
-- shop's retention after shipment had passed (Amazon's buyer-data rules); NULL while kept.
ALTER TABLE orders ADD COLUMN buyer_masked_at DATETIME;
-- token_buckets are the marketplace's token buckets of one credential and operation, shared by
-- every instance on the database (Amazon's usage plans: a rate and a burst per operation). A
-- bucket is one number, its theoretical arrival time (GCRA): tat_us, microseconds since the
-- epoch; a call may leave once tat_us - burst * interval is not in the future. step_us is the
-- interval, one token's refill.
CREATE TABLE token_buckets (
    key     TEXT   PRIMARY KEY,
    tat_us  BIGINT NOT NULL,
    step_us BIGINT NOT NULL
);

-- +goose Down
DROP TABLE token_buckets;
ALTER TABLE orders DROP COLUMN buyer_masked_at;
DROP INDEX orders_latest_ship_date;
ALTER TABLE orders DROP COLUMN is_prime;
ALTER TABLE orders DROP COLUMN latest_ship_date;
