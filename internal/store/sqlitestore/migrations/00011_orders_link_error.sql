-- +goose Up
-- The 要対応 page groups the orders whose link status is an error (workflow.LinkStatus.IsError:
-- "…_error", "…_ng") by shop, status and message. They are a small part of a store of a million
-- orders, so this index holds them alone and covers the grouping: the query reads no other
-- order. Its condition is written exactly as the query's (sqlstore.linkErrorCond), or SQLite
-- would not use it.
CREATE INDEX orders_link_error ON orders (shop_id, link_status, link_message, ordered_at)
    WHERE ((link_status LIKE '%\_error' ESCAPE '\') OR (link_status LIKE '%\_ng' ESCAPE '\'));

-- +goose Down
DROP INDEX orders_link_error;
