-- +goose Up
-- The keyword search also finds the buyer's reading (フリガナ), as an operator types it: from
-- its first kana on orders_buyer_kana_search, from three characters in the trigram table, which
-- gains the column (rebuilt from orders).
--
-- A name or reading searched from its start is read from these indexes alone, with the shop,
-- the phase and the date the list filters and sorts on: a family name that 15,000 buyers share
-- is counted and its newest page found without reading 15,000 rows. orders_buyer_name stays for
-- the sort by buyer.
CREATE INDEX orders_buyer_name_search ON orders (buyer_name, shop_id, phase_id, ordered_at);
CREATE INDEX orders_buyer_kana_search ON orders (buyer_kana, shop_id, phase_id, ordered_at);

DROP TRIGGER orders_search_update;
DROP TRIGGER orders_search_delete;
DROP TRIGGER orders_search_insert;
DROP TABLE orders_search;
CREATE VIRTUAL TABLE orders_search USING fts5(number, buyer_name, buyer_kana, content='orders', content_rowid='id', tokenize='trigram');
INSERT INTO orders_search (orders_search) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_search (rowid, number, buyer_name, buyer_kana) VALUES (new.id, new.number, new.buyer_name, new.buyer_kana);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_search (orders_search, rowid, number, buyer_name, buyer_kana) VALUES ('delete', old.id, old.number, old.buyer_name, old.buyer_kana);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER orders_search_update AFTER UPDATE OF number, buyer_name, buyer_kana ON orders BEGIN
    INSERT INTO orders_search (orders_search, rowid, number, buyer_name, buyer_kana) VALUES ('delete', old.id, old.number, old.buyer_name, old.buyer_kana);
    INSERT INTO orders_search (rowid, number, buyer_name, buyer_kana) VALUES (new.id, new.number, new.buyer_name, new.buyer_kana);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER orders_search_update;
DROP TRIGGER orders_search_delete;
DROP TRIGGER orders_search_insert;
DROP TABLE orders_search;
DROP INDEX orders_buyer_kana_search;
DROP INDEX orders_buyer_name_search;
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
