-- Each stay's spend totals live on the stay itself (SQLite). Kept column-for-column in
-- step with migrations/postgres.
--
-- Migration 7 kept them in a table of their own, one row per stay with lines. An import
-- then wrote that row beside every stay: a third b-tree to insert into for each booking
-- (after the stay and its lines), about half a second of the writer's time for a million
-- rows; the stay's own insert now carries six more values, and on SQLite the import as a
-- whole measured no faster (PostgreSQL's did). On the stay they cost a few bytes of its
-- row (a zero costs none in SQLite's records), are written with it, move with it when a
-- merge moves it, and the value analysis reads them in the same scan as the stay instead
-- of joining a second one.
--
-- The import writes each new stay's totals in its row and switches the triggers off for its
-- lines (see `sqlite::import`); every other path that writes spend lines (API, demo,
-- merges, SQL by hand) is still followed by the triggers below.
ALTER TABLE stays ADD COLUMN spend_room BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN spend_food_beverage BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN spend_spa BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN spend_laundry BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN spend_minibar BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stays ADD COLUMN spend_other BIGINT NOT NULL DEFAULT 0;

UPDATE stays SET (spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) =
    (SELECT room, food_beverage, spa, laundry, minibar, other FROM stay_spend WHERE stay_id = stays.id)
WHERE id IN (SELECT stay_id FROM stay_spend);

DROP TRIGGER stay_spend_on_insert;
DROP TRIGGER stay_spend_on_update;
DROP TRIGGER stay_spend_on_delete;
DROP TABLE stay_spend;

-- A new line adds to its stay's totals, without re-reading the stay's other lines.
CREATE TRIGGER stay_spend_on_insert AFTER INSERT ON spend_lines BEGIN
    UPDATE stays SET (spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) =
        (SELECT stays.spend_room + room, stays.spend_food_beverage + food_beverage, stays.spend_spa + spa,
                stays.spend_laundry + laundry, stays.spend_minibar + minibar, stays.spend_other + other
         FROM spend_line_categories WHERE id = NEW.id)
    WHERE id = NEW.stay_id;
END;

-- Changes and deletions are rare (corrections by hand): the stays concerned are summed again.
-- A merge's change of guest_id leaves the totals alone, so only these columns fire it.
CREATE TRIGGER stay_spend_on_update AFTER UPDATE OF stay_id, category, amount_minor ON spend_lines BEGIN
    UPDATE stays SET (spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) =
        (SELECT coalesce(sum(room), 0), coalesce(sum(food_beverage), 0), coalesce(sum(spa), 0),
                coalesce(sum(laundry), 0), coalesce(sum(minibar), 0), coalesce(sum(other), 0)
         FROM spend_line_categories WHERE stay_id = stays.id)
    WHERE id IN (OLD.stay_id, NEW.stay_id);
END;

CREATE TRIGGER stay_spend_on_delete AFTER DELETE ON spend_lines BEGIN
    UPDATE stays SET (spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) =
        (SELECT coalesce(sum(room), 0), coalesce(sum(food_beverage), 0), coalesce(sum(spa), 0),
                coalesce(sum(laundry), 0), coalesce(sum(minibar), 0), coalesce(sum(other), 0)
         FROM spend_line_categories WHERE stay_id = stays.id)
    WHERE id = OLD.stay_id;
END;
