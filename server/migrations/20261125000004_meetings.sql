-- The district meetings with the mayor (DESIGN §2 step 3).

CREATE TABLE meetings (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL DEFAULT 'public',
    district_id   INTEGER NOT NULL REFERENCES districts (id),
    starts_at     TEXT NOT NULL,
    venue         TEXT NOT NULL,
    capacity      INTEGER NOT NULL,
    citizen_quota INTEGER NOT NULL,
    trustee_quota INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX meetings_by_district ON meetings (district_id, starts_at);
