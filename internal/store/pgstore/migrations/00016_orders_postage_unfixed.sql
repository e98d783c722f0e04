-- +goose Up
-- The orders whose postage is not fixed yet (送料未確定, Rakuten's -9999, stored as NULL) wait for
-- the operator, and RMS cancels them 14 days after the order if they are not confirmed: the
-- 要対応 page lists each shop's and the order list finds them (store.OrderQuery.PostageUnfixed).
-- They are a handful in a store of a million orders, so this index holds them alone. Its
-- condition is written exactly as the query's, or SQLite would not use it.
CREATE INDEX orders_postage_unfixed ON orders (shop_id, ordered_at) WHERE postage_yen IS NULL;

-- +goose Down
DROP INDEX orders_postage_unfixed;
