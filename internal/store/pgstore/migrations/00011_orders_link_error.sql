-- +goose Up
-- The 要対応 page groups the orders whose link status is an error (workflow.LinkStatus.IsError:
-- "…_error", "…_ng") by shop, status and message. They are a small part of a store of a million
-- orders, so this index holds them alone, under the same condition as the query
-- (sqlstore.linkErrorCond). The message is left out: a B-tree entry may not pass about 2.7 kB,
-- and a marketplace's message has no bound, so a long one would make the write that records it
-- fail. The grouping reads the message from the few orders the index finds.
CREATE INDEX orders_link_error ON orders (shop_id, link_status, ordered_at)
    WHERE ((link_status LIKE '%\_error' ESCAPE '\') OR (link_status LIKE '%\_ng' ESCAPE '\'));

-- +goose Down
DROP INDEX orders_link_error;
