-- +goose Up
-- The order list's keyword search on a store of a million orders: a trigram full-text index of
-- the order number and the buyer name (FTS5, kept in step with orders by triggers; only a change
-- of those two columns touches it). Keywords under three characters, such as a family name 佐藤,
-- search the buyer name from its start, on orders_buyer_name.
CREATE VIRTUAL TABLE orders_search USING fts5(number, buyer_name, content='orders', content_rowid='id', tokenize='trigram');
INSERT INTO orders_search (orders_search) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_search (rowid, number, buyer_name) VALUES (new.id, new.number, new.buyer_name);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_search (orders_search, rowid, number, buyer_name) VALUES ('delete', old.id, old.number, old.buyer_name);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER orders_search_update AFTER UPDATE OF number, buyer_name ON orders BEGIN
    INSERT INTO orders_search (orders_search, rowid, number, buyer_name) VALUES ('delete', old.id, old.number, old.buyer_name);
    INSERT INTO orders_search (rowid, number, buyer_name) VALUES (new.id, new.number, new.buyer_name);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER orders_search_update;
DROP TRIGGER orders_search_delete;
DROP TRIGGER orders_search_insert;
DROP TABLE orders_search;
