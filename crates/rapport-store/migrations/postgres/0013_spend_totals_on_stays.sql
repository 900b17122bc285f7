-- Each stay's spend totals live on the stay itself (PostgreSQL). Kept column-for-column in
-- step with migrations/sqlite.
--
-- Migration 7 kept them in a table of their own, one row per stay with lines: for an
-- import, a third heap and index to write for each booking, after the stay and its lines.
-- Written with the stay instead, a million-row import no longer loads those 870,000 rows;
-- they move with the stay when a merge moves it, and the value analysis reads them in the
-- same scan as the stay instead of joining a second one.
--
-- The import writes each new stay's totals in its row and marks its transaction so the
-- insert trigger leaves its lines alone (migration 9); every other path that writes spend
-- lines (API, demo, merges, SQL by hand) is still followed by migration 7's statement
-- triggers, which now add to the stays' columns through `stay_spend_add`.
ALTER TABLE stays
    ADD COLUMN spend_room BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN spend_food_beverage BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN spend_spa BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN spend_laundry BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN spend_minibar BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN spend_other BIGINT NOT NULL DEFAULT 0;

UPDATE stays SET spend_room = t.room, spend_food_beverage = t.food_beverage, spend_spa = t.spa,
    spend_laundry = t.laundry, spend_minibar = t.minibar, spend_other = t.other
FROM stay_spend t WHERE t.stay_id = stays.id;

-- Same arguments ($1 stays, $2 categories, $3 signed amounts), now added to the stays' own
-- columns. Every writer stores a stay before its lines, so there is a row to add to and
-- nothing to insert.
CREATE OR REPLACE FUNCTION stay_spend_add(stays BIGINT[], categories TEXT[], amounts BIGINT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE stays AS s SET
        spend_room = s.spend_room + l.room,
        spend_food_beverage = s.spend_food_beverage + l.food_beverage,
        spend_spa = s.spend_spa + l.spa,
        spend_laundry = s.spend_laundry + l.laundry,
        spend_minibar = s.spend_minibar + l.minibar,
        spend_other = s.spend_other + l.other
    FROM (
        SELECT stay_id,
               sum(CASE WHEN category = 'room' THEN amount ELSE 0 END) AS room,
               sum(CASE WHEN category = 'food_beverage' THEN amount ELSE 0 END) AS food_beverage,
               sum(CASE WHEN category = 'spa' THEN amount ELSE 0 END) AS spa,
               sum(CASE WHEN category = 'laundry' THEN amount ELSE 0 END) AS laundry,
               sum(CASE WHEN category = 'minibar' THEN amount ELSE 0 END) AS minibar,
               sum(CASE WHEN category IN ('room', 'food_beverage', 'spa', 'laundry', 'minibar') THEN 0 ELSE amount END) AS other
        FROM unnest($1, $2, $3) AS u(stay_id, category, amount) GROUP BY stay_id
    ) AS l
    WHERE s.id = l.stay_id;
$$;

DROP TABLE stay_spend;
