-- +goose Up
CREATE TABLE shops (
    id                    INTEGER PRIMARY KEY,
    channel               TEXT     NOT NULL,
    name                  TEXT     NOT NULL,
    code                  TEXT     NOT NULL DEFAULT '',
    credentials           BLOB,
    credentials_expire_at DATETIME,
    status                TEXT     NOT NULL DEFAULT 'active',
    status_message        TEXT     NOT NULL DEFAULT '',
    overwrite_same_order  BOOLEAN  NOT NULL DEFAULT false,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL
);

CREATE TABLE phases (
    id       INTEGER PRIMARY KEY,
    shop_id  INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (shop_id, name)
);

CREATE TABLE automation_rules (
    id               INTEGER PRIMARY KEY,
    shop_id          INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    job_kind         TEXT    NOT NULL,
    target_phase_id  INTEGER REFERENCES phases (id),
    success_phase_id INTEGER REFERENCES phases (id),
    error_phase_id   INTEGER REFERENCES phases (id),
    enabled          BOOLEAN NOT NULL DEFAULT false,
    interval_seconds INTEGER NOT NULL DEFAULT 300,
    last_run_at      DATETIME,
    next_run_at      DATETIME
);
-- One phase is the target of one job kind only.
CREATE UNIQUE INDEX automation_rules_target_phase ON automation_rules (target_phase_id);
CREATE INDEX automation_rules_shop ON automation_rules (shop_id);

CREATE TABLE orders (
    id                     INTEGER PRIMARY KEY,
    shop_id                INTEGER  NOT NULL REFERENCES shops (id),
    number                 TEXT     NOT NULL,
    ordered_at             DATETIME NOT NULL,
    buyer_name             TEXT     NOT NULL DEFAULT '',
    buyer_kana             TEXT     NOT NULL DEFAULT '',
    buyer_email            TEXT     NOT NULL DEFAULT '',
    buyer_phone            TEXT     NOT NULL DEFAULT '',
    buyer_zip              TEXT     NOT NULL DEFAULT '',
    buyer_address          TEXT     NOT NULL DEFAULT '',
    packages               TEXT     NOT NULL DEFAULT '[]',
    goods_yen              INTEGER,
    tax_yen                INTEGER,
    postage_yen            INTEGER,
    payment_fee_yen        INTEGER,
    discount_yen           INTEGER,
    points_yen             INTEGER,
    total_yen              INTEGER,
    requested_yen          INTEGER,
    payment_method         TEXT     NOT NULL DEFAULT '',
    settlement             TEXT     NOT NULL DEFAULT '',
    marketplace_status_raw TEXT     NOT NULL DEFAULT '',
    marketplace_status     TEXT     NOT NULL DEFAULT '',
    payment_status         TEXT     NOT NULL DEFAULT 'unpaid',
    management_class       TEXT     NOT NULL DEFAULT 'normal',
    bundle_parent_id       INTEGER REFERENCES orders (id),
    split_from_id          INTEGER REFERENCES orders (id),
    phase_id               INTEGER  NOT NULL REFERENCES phases (id),
    link_status            TEXT     NOT NULL DEFAULT '',
    link_message           TEXT     NOT NULL DEFAULT '',
    raw_payload            BLOB,
    version                INTEGER  NOT NULL DEFAULT 1,
    marketplace_updated_at DATETIME,
    created_at             DATETIME NOT NULL,
    updated_at             DATETIME NOT NULL,
    UNIQUE (shop_id, number)
);
CREATE INDEX orders_phase_ordered ON orders (phase_id, ordered_at DESC, id DESC);
CREATE INDEX orders_shop_ordered ON orders (shop_id, ordered_at DESC, id DESC);
CREATE INDEX orders_ordered ON orders (ordered_at DESC, id DESC);
CREATE INDEX orders_link_status ON orders (link_status, ordered_at DESC);
CREATE INDEX orders_marketplace_status ON orders (marketplace_status, ordered_at DESC);
CREATE INDEX orders_buyer_name ON orders (buyer_name);

CREATE TABLE order_lines (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    package_key TEXT    NOT NULL DEFAULT '',
    sku         TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL DEFAULT '',
    options     TEXT    NOT NULL DEFAULT '',
    unit_price  INTEGER NOT NULL,
    quantity    INTEGER NOT NULL,
    tax_rate    INTEGER NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id, position);

CREATE TABLE order_shipments (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    package_key     TEXT    NOT NULL DEFAULT '',
    ship_date       TEXT    NOT NULL DEFAULT '',
    carrier         TEXT    NOT NULL DEFAULT '',
    tracking_number TEXT    NOT NULL DEFAULT '',
    marketplace_ref TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX order_shipments_order ON order_shipments (order_id, position);
CREATE INDEX order_shipments_tracking ON order_shipments (tracking_number);

CREATE TABLE order_events (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at            DATETIME NOT NULL,
    kind          TEXT     NOT NULL,
    actor         TEXT     NOT NULL DEFAULT '',
    from_phase_id INTEGER,
    to_phase_id   INTEGER,
    message       TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE permission_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    permissions TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT     NOT NULL UNIQUE,
    name          TEXT     NOT NULL DEFAULT '',
    email         TEXT     NOT NULL DEFAULT '',
    password_hash TEXT     NOT NULL,
    group_id      INTEGER  NOT NULL REFERENCES permission_groups (id),
    disabled      BOOLEAN  NOT NULL DEFAULT false,
    created_at    DATETIME NOT NULL
);

CREATE TABLE api_calls (
    id            INTEGER PRIMARY KEY,
    at            DATETIME NOT NULL,
    shop_id       INTEGER  NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    order_id      INTEGER,
    job_kind      TEXT     NOT NULL DEFAULT '',
    operation     TEXT     NOT NULL,
    outcome       TEXT     NOT NULL,
    http_status   INTEGER  NOT NULL DEFAULT 0,
    error_code    TEXT     NOT NULL DEFAULT '',
    error_message TEXT     NOT NULL DEFAULT '',
    duration_ms   INTEGER  NOT NULL DEFAULT 0,
    request       TEXT     NOT NULL DEFAULT '',
    response      TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX api_calls_at ON api_calls (at DESC, id DESC);
CREATE INDEX api_calls_shop_at ON api_calls (shop_id, at DESC);
CREATE INDEX api_calls_order ON api_calls (order_id);

-- +goose Down
DROP TABLE api_calls;
DROP TABLE users;
DROP TABLE permission_groups;
DROP TABLE order_events;
DROP TABLE order_shipments;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE automation_rules;
DROP TABLE phases;
DROP TABLE shops;
