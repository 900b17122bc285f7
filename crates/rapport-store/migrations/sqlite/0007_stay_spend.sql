-- Each stay's spend by category (SQLite). Kept column-for-column in step with migrations/postgres.
--
-- The value analysis needs every stay's spend by category; summing ~25 million spend lines each
-- night cost more than the rest of the analysis. Triggers keep the totals, so every path that
-- writes spend lines (import, API, demo, merges and their undo, hand-written SQL) keeps them
-- right without knowing of them. Keyed by stay id, the totals do not move when a merge moves
-- a stay to another guest.
CREATE TABLE stay_spend (
    stay_id INTEGER PRIMARY KEY,
    room BIGINT NOT NULL,
    food_beverage BIGINT NOT NULL,
    spa BIGINT NOT NULL,
    laundry BIGINT NOT NULL,
    minibar BIGINT NOT NULL,
    other BIGINT NOT NULL
);

-- Each line's amount in its category's column. Categories are stored canonical
-- (`SpendCategory::as_str`); any other text counts as other, as the analysis always counted it.
CREATE VIEW spend_line_categories AS
SELECT id, stay_id,
       CASE WHEN category = 'room' THEN amount_minor ELSE 0 END AS room,
       CASE WHEN category = 'food_beverage' THEN amount_minor ELSE 0 END AS food_beverage,
       CASE WHEN category = 'spa' THEN amount_minor ELSE 0 END AS spa,
       CASE WHEN category = 'laundry' THEN amount_minor ELSE 0 END AS laundry,
       CASE WHEN category = 'minibar' THEN amount_minor ELSE 0 END AS minibar,
       CASE WHEN category IN ('room', 'food_beverage', 'spa', 'laundry', 'minibar') THEN 0 ELSE amount_minor END AS other
FROM spend_lines;

INSERT INTO stay_spend (stay_id, room, food_beverage, spa, laundry, minibar, other)
SELECT stay_id, sum(room), sum(food_beverage), sum(spa), sum(laundry), sum(minibar), sum(other)
FROM spend_line_categories GROUP BY stay_id ORDER BY stay_id;

-- A new line adds to its stay's totals: the import's path, so no re-reading of the stay's lines.
CREATE TRIGGER stay_spend_on_insert AFTER INSERT ON spend_lines BEGIN
    INSERT INTO stay_spend (stay_id, room, food_beverage, spa, laundry, minibar, other)
    SELECT stay_id, room, food_beverage, spa, laundry, minibar, other FROM spend_line_categories WHERE id = NEW.id
    ON CONFLICT (stay_id) DO UPDATE SET room = room + excluded.room, food_beverage = food_beverage + excluded.food_beverage,
        spa = spa + excluded.spa, laundry = laundry + excluded.laundry, minibar = minibar + excluded.minibar, other = other + excluded.other;
END;

-- Changes and deletions are rare (corrections by hand): the stays concerned are summed again.
-- A merge's change of guest_id leaves the totals alone, so only these columns fire it.
CREATE TRIGGER stay_spend_on_update AFTER UPDATE OF stay_id, category, amount_minor ON spend_lines BEGIN
    DELETE FROM stay_spend WHERE stay_id IN (OLD.stay_id, NEW.stay_id);
    INSERT INTO stay_spend SELECT stay_id, sum(room), sum(food_beverage), sum(spa), sum(laundry), sum(minibar), sum(other)
    FROM spend_line_categories WHERE stay_id IN (OLD.stay_id, NEW.stay_id) GROUP BY stay_id;
END;

CREATE TRIGGER stay_spend_on_delete AFTER DELETE ON spend_lines BEGIN
    DELETE FROM stay_spend WHERE stay_id = OLD.stay_id;
    INSERT INTO stay_spend SELECT stay_id, sum(room), sum(food_beverage), sum(spa), sum(laundry), sum(minibar), sum(other)
    FROM spend_line_categories WHERE stay_id = OLD.stay_id GROUP BY stay_id;
END;
