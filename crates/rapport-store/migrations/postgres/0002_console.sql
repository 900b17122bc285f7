-- Staff console (PostgreSQL). Kept column-for-column in step with migrations/sqlite.

-- A signed-in browser. Only the SHA-256 of the session id is stored, so a copy of the
-- database does not hand out live sessions; the CSRF token is per session.
CREATE TABLE staff_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);

-- What the staff prepared for an arrival ("room: high floor", "allergy: peanuts",
-- "birthday: cake"), ticked with who and when. Unticking deletes the row.
CREATE TABLE arrival_touches (
    stay_id BIGINT NOT NULL REFERENCES stays(id),
    touch TEXT NOT NULL,
    done_by TEXT NOT NULL,
    done_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (stay_id, touch)
);
