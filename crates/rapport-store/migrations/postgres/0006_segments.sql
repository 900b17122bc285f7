-- Saved guest segments (postgres): rule-based filters over value and profile, kept for offers
-- and campaigns. The rule is JSON of rapport_value::segments::SegmentRule.
CREATE TABLE segments (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    rule TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

