-- +goose Up
-- shop_logos holds each shop's logo for its 納品書: a PNG or JPEG of at most 500KB, its content
-- type sniffed from its bytes when it was uploaded (never taken from the browser), served as is.
CREATE TABLE shop_logos (
    shop_id      BIGINT PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE shop_logos;
