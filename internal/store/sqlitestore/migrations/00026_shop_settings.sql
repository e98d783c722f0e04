-- +goose Up
-- shop_settings are a shop's settings kept as one JSON document each under a name: the packing
-- bench's ご依頼主 (name 'sender') and the CSV shop's column mapping. A setting no code reads
-- yet costs nothing, and a new one needs no migration.
CREATE TABLE shop_settings (
    shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (shop_id, name)
);

-- +goose Down
DROP TABLE shop_settings;
