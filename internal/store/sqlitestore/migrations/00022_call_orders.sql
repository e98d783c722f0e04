-- +goose Up
-- call_orders link a batched call (RMS confirmOrder, getOrder, updateOrderShippingAsync: up to
-- 100 orders a call) to each order it carried, so every order's page shows its calls; a call
-- about one order keeps it in api_calls.order_id instead.
CREATE TABLE call_orders (
    order_id INTEGER NOT NULL,
    call_id  INTEGER NOT NULL REFERENCES api_calls (id) ON DELETE CASCADE,
    PRIMARY KEY (order_id, call_id)
);
CREATE INDEX call_orders_call ON call_orders (call_id);

-- +goose Down
DROP TABLE call_orders;
