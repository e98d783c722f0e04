-- +goose Up
-- Phases become the company's (seed 000: a rule acts on its own shop's orders in its target
-- phase and leaves other shops' orders there alone): one list, every shop's orders in it.
--
-- Phases of the same name merge into one, which keeps the lowest id among them (the oldest), so
-- that every order, rule and history event that named any of them names the merged phase and no
-- order loses its phase or history. The merged list is ordered by each name's lowest position in
-- any shop, ties by the lowest id: every shop's first phase sorts to the top, and the first of
-- all (the one imports put new orders into) is the oldest shop's first. A shop cannot have had
-- two rules on one phase (a phase's name was unique in its shop), so no rule conflicts; rules
-- of different shops may now share a target phase, one per shop.
--
-- SQLite cannot drop the shop column with its unique constraint, so the table is rebuilt. The
-- foreign keys from orders and rules are checked at commit: the rebuilt table keeps the ids.
PRAGMA defer_foreign_keys = ON;

-- One phase is the target of one job kind per shop: the shops' rules merge onto shared phases.
DROP INDEX automation_rules_target_phase;
CREATE UNIQUE INDEX automation_rules_shop_target_phase ON automation_rules (shop_id, target_phase_id);

UPDATE orders SET phase_id = (SELECT MIN(k.id) FROM phases k JOIN phases p ON p.name = k.name WHERE p.id = orders.phase_id)
WHERE phase_id NOT IN (SELECT MIN(id) FROM phases GROUP BY name);
UPDATE automation_rules SET target_phase_id = (SELECT MIN(k.id) FROM phases k JOIN phases p ON p.name = k.name WHERE p.id = automation_rules.target_phase_id)
WHERE target_phase_id NOT IN (SELECT MIN(id) FROM phases GROUP BY name);
UPDATE automation_rules SET success_phase_id = (SELECT MIN(k.id) FROM phases k JOIN phases p ON p.name = k.name WHERE p.id = automation_rules.success_phase_id)
WHERE success_phase_id NOT IN (SELECT MIN(id) FROM phases GROUP BY name);
UPDATE automation_rules SET error_phase_id = (SELECT MIN(k.id) FROM phases k JOIN phases p ON p.name = k.name WHERE p.id = automation_rules.error_phase_id)
WHERE error_phase_id NOT IN (SELECT MIN(id) FROM phases GROUP BY name);
UPDATE order_events SET from_phase_id = (SELECT MIN(k.id) FROM phases k JOIN phases p ON p.name = k.name WHERE p.id = order_events.from_phase_id)
WHERE from_phase_id IN (SELECT id FROM phases) AND from_phase_id NOT IN (SELECT MIN(id) FROM phases GROUP BY name);
UPDATE order_events SET to_phase_id = (SELECT MIN(k.id) FROM phases k JOIN phases p ON p.name = k.name WHERE p.id = order_events.to_phase_id)
WHERE to_phase_id IN (SELECT id FROM phases) AND to_phase_id NOT IN (SELECT MIN(id) FROM phases GROUP BY name);

CREATE TABLE phases_merged (
    id       INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO phases_merged (id, name, position)
SELECT MIN(id), name, ROW_NUMBER() OVER (ORDER BY MIN(position), MIN(id)) FROM phases GROUP BY name;
DROP TABLE phases;
CREATE TABLE phases (
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL UNIQUE,
    position INTEGER NOT NULL
);
INSERT INTO phases (id, name, position) SELECT id, name, position FROM phases_merged;
DROP TABLE phases_merged;

-- phase_done marks an order its phase's rule has finished with and left in the phase, the rule
-- having no phase to move it to (seed 000: 移動先処理フェーズは設定しないことも可能): the rule does
-- not take it again. Any move clears it.
ALTER TABLE orders ADD COLUMN phase_done BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
-- The merged phases cannot be told apart again: each goes to the first shop, and every order
-- keeps it. Refused (by the unique index) when two shops' rules share a target phase.
PRAGMA defer_foreign_keys = ON;
ALTER TABLE orders DROP COLUMN phase_done;
DROP INDEX automation_rules_shop_target_phase;
CREATE UNIQUE INDEX automation_rules_target_phase ON automation_rules (target_phase_id);
CREATE TABLE phases_shared (
    id       INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO phases_shared (id, name, position) SELECT id, name, position FROM phases;
DROP TABLE phases;
CREATE TABLE phases (
    id       INTEGER PRIMARY KEY,
    shop_id  INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (shop_id, name)
);
INSERT INTO phases (id, shop_id, name, position) SELECT id, (SELECT MIN(id) FROM shops), name, position FROM phases_shared;
DROP TABLE phases_shared;
