-- +goose Up
-- channel_tokens keep a shop's short-lived marketplace access token (Yahoo! ID連携: an hour),
-- sealed like its credentials, so that every instance on the database uses the one token until
-- it expires instead of each refreshing its own.
CREATE TABLE channel_tokens (
    shop_id    BIGINT PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    token      BYTEA NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE channel_tokens;
