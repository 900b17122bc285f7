-- Foundation schema (SQLite). Kept column-for-column in step with migrations/postgres.
CREATE TABLE hotels (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    timezone TEXT NOT NULL,
    currency TEXT NOT NULL
);

-- The guest profile document (JSON of rapport_domain::guest::Guest), served as is on reads.
CREATE TABLE guests (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Exact identity keys (external id, email, phone+name) that join incoming bookings.
CREATE TABLE guest_identities (
    key TEXT NOT NULL,
    guest_id BIGINT NOT NULL REFERENCES guests(id) ON DELETE CASCADE,
    PRIMARY KEY (key, guest_id)
) WITHOUT ROWID;
CREATE INDEX guest_identities_guest ON guest_identities(guest_id);

-- Folded search keys (names in any script, emails, phones, ids), matched by prefix.
CREATE TABLE guest_search (
    key TEXT NOT NULL,
    guest_id BIGINT NOT NULL REFERENCES guests(id) ON DELETE CASCADE,
    PRIMARY KEY (key, guest_id)
) WITHOUT ROWID;
CREATE INDEX guest_search_guest ON guest_search(guest_id);

-- Append-only: the current state per channel is copied into the guest document.
CREATE TABLE consent_records (
    id INTEGER PRIMARY KEY,
    guest_id BIGINT NOT NULL REFERENCES guests(id),
    channel TEXT NOT NULL,
    granted BOOLEAN NOT NULL,
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX consent_records_guest ON consent_records(guest_id);

CREATE TABLE stays (
    id INTEGER PRIMARY KEY,
    guest_id BIGINT NOT NULL REFERENCES guests(id),
    hotel_id BIGINT NOT NULL REFERENCES hotels(id),
    external_ref TEXT,
    arrival DATE NOT NULL,
    departure DATE NOT NULL,
    room_type TEXT,
    rate_minor BIGINT,
    rate_currency TEXT,
    channel TEXT,
    market_segment TEXT,
    adults INTEGER NOT NULL,
    children INTEGER NOT NULL,
    special_requests TEXT,
    status TEXT NOT NULL,
    booked_at DATE,
    created_at TEXT NOT NULL,
    CHECK (departure >= arrival)
);
CREATE UNIQUE INDEX stays_external_ref ON stays(hotel_id, external_ref);
CREATE INDEX stays_guest ON stays(guest_id);
CREATE INDEX stays_hotel_arrival ON stays(hotel_id, arrival);

CREATE TABLE spend_lines (
    id INTEGER PRIMARY KEY,
    stay_id BIGINT NOT NULL REFERENCES stays(id),
    guest_id BIGINT NOT NULL REFERENCES guests(id),
    hotel_id BIGINT NOT NULL REFERENCES hotels(id),
    category TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    posted_on DATE NOT NULL,
    description TEXT
);
CREATE INDEX spend_lines_guest ON spend_lines(guest_id);
CREATE INDEX spend_lines_stay ON spend_lines(stay_id);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    guest_id BIGINT NOT NULL REFERENCES guests(id),
    stay_id BIGINT REFERENCES stays(id),
    hotel_id BIGINT REFERENCES hotels(id),
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_guest ON notes(guest_id);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    language TEXT NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
