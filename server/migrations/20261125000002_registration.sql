-- Citizens' registrations (DESIGN §2 step 1).

CREATE TABLE registrations (
    id            TEXT PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    -- The week's window, as the Tehran date it opened ("2026-11-21"): one
    -- request per national ID per window.
    window_id     TEXT NOT NULL,
    national_id   TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    mobile        TEXT NOT NULL,
    district_id   INTEGER NOT NULL REFERENCES districts (id),
    topic         TEXT NOT NULL,
    description   TEXT NOT NULL,
    case_number   TEXT,
    status        TEXT NOT NULL,
    -- When the citizen pressed "send" (the device's clock), and when the
    -- server received the first and the latest version.
    made_at       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX registrations_one_per_window ON registrations (national_id, window_id);
CREATE INDEX registrations_by_district ON registrations (district_id, status);

-- Idempotency: every submission's client-made request id, with the answer
-- it got, stored in the same transaction as its effect. A retry or replay
-- gets the stored answer again.
CREATE TABLE registration_requests (
    request_id      TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registrations (id),
    status_code     INTEGER NOT NULL,
    response        TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
