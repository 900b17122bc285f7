-- Duplicate profiles (SQLite): the review queue, merges with their undo data, and
-- never-merge marks. Kept column-for-column in step with migrations/postgres.

-- A merged-away profile stays as a tombstone pointing at the profile it went into.
ALTER TABLE guests ADD COLUMN merged_into BIGINT;
-- The identity key through which an import joined a stay to a stored profile, so undoing
-- a merge can send a later stay back to the profile that key belonged to.
ALTER TABLE stays ADD COLUMN joined_by TEXT;

-- Candidate pairs from the matcher, lower id first, with the evidence a reviewer sees.
-- status: pending | later | merged | distinct.
CREATE TABLE duplicate_pairs (
    left_id BIGINT NOT NULL,
    right_id BIGINT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    probability DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    found_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    PRIMARY KEY (left_id, right_id),
    CHECK (left_id < right_id)
);
CREATE INDEX duplicate_pairs_queue ON duplicate_pairs(status, probability);

-- "Never merge these two": respected forever by the queue and by merges.
CREATE TABLE never_merge (
    left_id BIGINT NOT NULL,
    right_id BIGINT NOT NULL,
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (left_id, right_id),
    CHECK (left_id < right_id)
);

-- Every merge, who decided it and why, with the documents needed to take it back:
-- both profiles before, and the survivor right after (JSON of rapport_domain::guest::Guest).
CREATE TABLE merges (
    id INTEGER PRIMARY KEY,
    survivor BIGINT NOT NULL REFERENCES guests(id),
    absorbed BIGINT NOT NULL REFERENCES guests(id),
    probability DOUBLE PRECISION,
    evidence TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT,
    survivor_before TEXT NOT NULL,
    absorbed_before TEXT NOT NULL,
    survivor_after TEXT NOT NULL
);
CREATE INDEX merges_survivor ON merges(survivor);
CREATE INDEX merges_absorbed ON merges(absorbed);

-- The rows a merge moved from the absorbed profile to the survivor (kind: stay, spend,
-- note, consent), so undo sends exactly those back.
CREATE TABLE merge_moves (
    merge_id BIGINT NOT NULL REFERENCES merges(id),
    kind TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    PRIMARY KEY (merge_id, kind, row_id)
);
