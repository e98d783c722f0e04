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
-- One phase is the target of one job kind per shop: the shops' rules merge onto shared phases.
DROP INDEX automation_rules_target_phase;
CREATE UNIQUE INDEX automation_rules_shop_target_phase ON automation_rules (shop_id, target_phase_id);

UPDATE orders o SET phase_id = m.new_id
FROM (SELECT id AS old_id, MIN(id) OVER (PARTITION BY name) AS new_id FROM phases) m
WHERE o.phase_id = m.old_id AND m.old_id <> m.new_id;
UPDATE automation_rules r SET target_phase_id = m.new_id
FROM (SELECT id AS old_id, MIN(id) OVER (PARTITION BY name) AS new_id FROM phases) m
WHERE r.target_phase_id = m.old_id AND m.old_id <> m.new_id;
UPDATE automation_rules r SET success_phase_id = m.new_id
FROM (SELECT id AS old_id, MIN(id) OVER (PARTITION BY name) AS new_id FROM phases) m
WHERE r.success_phase_id = m.old_id AND m.old_id <> m.new_id;
UPDATE automation_rules r SET error_phase_id = m.new_id
FROM (SELECT id AS old_id, MIN(id) OVER (PARTITION BY name) AS new_id FROM phases) m
WHERE r.error_phase_id = m.old_id AND m.old_id <> m.new_id;
UPDATE order_events e SET from_phase_id = m.new_id
FROM (SELECT id AS old_id, MIN(id) OVER (PARTITION BY name) AS new_id FROM phases) m
WHERE e.from_phase_id = m.old_id AND m.old_id <> m.new_id;
UPDATE order_events e SET to_phase_id = m.new_id
FROM (SELECT id AS old_id, MIN(id) OVER (PARTITION BY name) AS new_id FROM phases) m
WHERE e.to_phase_id = m.old_id AND m.old_id <> m.new_id;

UPDATE phases p SET position = m.position
FROM (SELECT MIN(id) AS id, ROW_NUMBER() OVER (ORDER BY MIN(position), MIN(id)) AS position FROM phases GROUP BY name) m
WHERE p.id = m.id;
DELETE FROM phases p WHERE p.id <> (SELECT MIN(k.id) FROM phases k WHERE k.name = p.name);
-- Dropping the column drops its unique constraint and its foreign key.
ALTER TABLE phases DROP COLUMN shop_id;
ALTER TABLE phases ADD CONSTRAINT phases_name_key UNIQUE (name);

-- phase_done marks an order its phase's rule has finished with and left in the phase, the rule
-- having no phase to move it to (seed 000: 移動先処理フェーズは設定しないことも可能): the rule does
-- not take it again. Any move clears it. A constant default adds it without rewriting the table.
ALTER TABLE orders ADD COLUMN phase_done BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
-- The merged phases cannot be told apart again: each goes to the first shop, and every order
-- keeps it. Refused (by the unique index) when two shops' rules share a target phase.
ALTER TABLE orders DROP COLUMN phase_done;
DROP INDEX automation_rules_shop_target_phase;
CREATE UNIQUE INDEX automation_rules_target_phase ON automation_rules (target_phase_id);
ALTER TABLE phases DROP CONSTRAINT phases_name_key;
ALTER TABLE phases ADD COLUMN shop_id BIGINT REFERENCES shops (id) ON DELETE CASCADE;
UPDATE phases SET shop_id = (SELECT MIN(id) FROM shops);
ALTER TABLE phases ADD CONSTRAINT phases_shop_id_name_key UNIQUE (shop_id, name);
