-- +goose Up
-- The cart member (会員ID) an own-cart order was placed by, when the cart sent one (issue 16
-- item 9): the stored-card page finds a member's latest order by it, and that order's payload
-- carries the member's authentication key for webコレクト's stored-card functions (A03/A05).
CREATE TABLE cart_members (
    order_id BIGINT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
    shop_id BIGINT NOT NULL,
    member_id TEXT NOT NULL
);
CREATE INDEX cart_members_shop_member ON cart_members (shop_id, member_id, order_id);

-- +goose Down
DROP TABLE cart_members;
