-- The import writes its stays' spend totals itself (PostgreSQL). Kept in step with migrations/sqlite.
--
-- Migration 7's statement trigger gathers a statement's new lines into a transition table,
-- aggregates them into arrays and upserts each stay's totals. An import batch only adds
-- lines to stays it created in the same transaction, and it has their amounts at hand: it
-- inserts the totals directly (no transition table, no ON CONFLICT) and marks its
-- transaction with `rapport.spend_totals_written` so that this trigger leaves its lines
-- alone. Everyone else (API, demo, merges, SQL by hand) never sets the mark, so the
-- trigger still counts their lines; the mark is transaction-local (`set_config(…, true)`).
DROP TRIGGER stay_spend_on_insert ON spend_lines;
CREATE TRIGGER stay_spend_on_insert AFTER INSERT ON spend_lines
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT
    WHEN (current_setting('rapport.spend_totals_written', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION stay_spend_follow();
