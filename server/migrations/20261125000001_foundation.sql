-- The foundation: the city's districts and deputy domains, staff accounts
-- with their grants, and settings. Written in the SQL that SQLite and
-- PostgreSQL share.

CREATE TABLE districts (
    id      INTEGER PRIMARY KEY,
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE deputies (
    slug     TEXT PRIMARY KEY,
    name_fa  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- A role in one district, or in every district when district_id is NULL
-- (administrators).
CREATE TABLE user_grants (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    district_id INTEGER REFERENCES districts (id)
);
CREATE UNIQUE INDEX user_grants_unique ON user_grants (user_id, role, COALESCE(district_id, 0));

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
