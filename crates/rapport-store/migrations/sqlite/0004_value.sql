-- Guest value analysis (SQLite). Kept column-for-column in step with migrations/postgres.
-- scope_hotel is the hotel's id, or 0 for the whole group.

-- The latest analysis, one row per guest and scope; replaced by each run.
CREATE TABLE guest_values (
    guest_id BIGINT NOT NULL,
    scope_hotel BIGINT NOT NULL,
    stays BIGINT NOT NULL,
    last_stay DATE NOT NULL,
    revenue BIGINT NOT NULL,
    currency TEXT NOT NULL,
    tier TEXT NOT NULL,
    rfm_recency BIGINT NOT NULL,
    rfm_frequency BIGINT NOT NULL,
    rfm_monetary BIGINT NOT NULL,
    rfm_segment TEXT NOT NULL,
    probability_alive DOUBLE PRECISION,
    expected_stays DOUBLE PRECISION,
    expected_spend DOUBLE PRECISION,
    lifetime_value DOUBLE PRECISION,
    churn_risk TEXT,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (guest_id, scope_hotel)
) WITHOUT ROWID; -- one B-tree on the key: the nightly run rewrites millions of rows in key order

-- Every change of a guest's tier, kept for good: when they became VIP, when they slipped.
CREATE TABLE tier_history (
    guest_id BIGINT NOT NULL,
    scope_hotel BIGINT NOT NULL,
    tier TEXT NOT NULL,
    since DATE NOT NULL,
    PRIMARY KEY (guest_id, scope_hotel, since)
) WITHOUT ROWID;

-- The 80/20 report and model fit per scope (JSON of rapport_value::analysis::ScopeReport).
CREATE TABLE value_reports (
    scope_hotel BIGINT PRIMARY KEY,
    as_of DATE NOT NULL,
    computed_at TEXT NOT NULL,
    report TEXT NOT NULL
);
