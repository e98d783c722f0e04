-- +goose Up
-- notify_addresses are where the error e-mails go (通知先), for the whole installation, as an
-- operator saved them in the settings: one row an address, in the order entered. With none,
-- the start-up configuration's addresses (--notify-to) apply.
CREATE TABLE notify_addresses (
    position BIGINT      PRIMARY KEY,
    address  TEXT        NOT NULL UNIQUE,
    saved_at TIMESTAMPTZ NOT NULL,
    saved_by TEXT        NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE notify_addresses;
