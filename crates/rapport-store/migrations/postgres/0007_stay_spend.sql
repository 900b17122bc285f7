-- Each stay's spend by category (PostgreSQL). Kept column-for-column in step with migrations/sqlite.
--
-- The value analysis needs every stay's spend by category; summing ~25 million spend lines each
-- night cost more than the rest of the analysis. Triggers keep the totals, so every path that
-- writes spend lines (import, API, demo, merges and their undo, hand-written SQL) keeps them
-- right without knowing of them. Keyed by stay id, the totals do not move when a merge moves
-- a stay to another guest.
CREATE TABLE stay_spend (
    stay_id BIGINT PRIMARY KEY,
    room BIGINT NOT NULL,
    food_beverage BIGINT NOT NULL,
    spa BIGINT NOT NULL,
    laundry BIGINT NOT NULL,
    minibar BIGINT NOT NULL,
    other BIGINT NOT NULL
);

-- Adds signed amounts to their stays' totals, each in its category's column. Categories are
-- stored canonical (`SpendCategory::as_str`); any other text counts as other, as the analysis
-- always counted it.
CREATE FUNCTION stay_spend_add(stays BIGINT[], categories TEXT[], amounts BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO stay_spend (stay_id, room, food_beverage, spa, laundry, minibar, other)
    SELECT stay_id,
           sum(CASE WHEN category = 'room' THEN amount ELSE 0 END),
           sum(CASE WHEN category = 'food_beverage' THEN amount ELSE 0 END),
           sum(CASE WHEN category = 'spa' THEN amount ELSE 0 END),
           sum(CASE WHEN category = 'laundry' THEN amount ELSE 0 END),
           sum(CASE WHEN category = 'minibar' THEN amount ELSE 0 END),
           sum(CASE WHEN category IN ('room', 'food_beverage', 'spa', 'laundry', 'minibar') THEN 0 ELSE amount END)
    FROM unnest(stays, categories, amounts) AS l(stay_id, category, amount) GROUP BY stay_id
    ON CONFLICT (stay_id) DO UPDATE SET
        room = stay_spend.room + excluded.room,
        food_beverage = stay_spend.food_beverage + excluded.food_beverage,
        spa = stay_spend.spa + excluded.spa,
        laundry = stay_spend.laundry + excluded.laundry,
        minibar = stay_spend.minibar + excluded.minibar,
        other = stay_spend.other + excluded.other;
$$;

-- Statement-level with transition tables: an import's array insert of thousands of lines
-- updates the totals in one grouped statement, not one per line. Lines taken out (deleted,
-- the old side of an update) count negative.
CREATE FUNCTION stay_spend_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM stay_spend_add(array_agg(stay_id), array_agg(category), array_agg(-amount_minor)) FROM old_lines;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM stay_spend_add(array_agg(stay_id), array_agg(category), array_agg(amount_minor)) FROM new_lines;
    END IF;
    RETURN NULL;
END
$$;

-- The backfill: every existing line once, a thousand stays per call.
SELECT stay_spend_add(array_agg(stay_id), array_agg(category), array_agg(amount_minor)) FROM spend_lines GROUP BY stay_id / 1000;

CREATE TRIGGER stay_spend_on_insert AFTER INSERT ON spend_lines
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION stay_spend_follow();
CREATE TRIGGER stay_spend_on_delete AFTER DELETE ON spend_lines
    REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION stay_spend_follow();
CREATE TRIGGER stay_spend_on_update AFTER UPDATE ON spend_lines
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION stay_spend_follow();
