-- Sync (DESIGN §5): the records devices pull, and every command pushed.

-- Each synced record as it is now, with the change sequence number of its
-- latest change. A device pulls the records with `seq` above its cursor in
-- the (kind, district) scopes its roles may read. `body` is the record's
-- JSON; NULL marks a tombstone (the record left the scope; devices delete
-- their copy).
--
-- `seq` is allocated inside the writing transaction as MAX(seq) + 1, and
-- every writer takes the write lock first (BEGIN IMMEDIATE), so sequence
-- numbers commit in order: a reader can never see 7 before 6 has committed
-- and skip 6 for good. (PostgreSQL needs the same: a lock around the
-- allocation, not a free-running sequence.)
CREATE TABLE sync_records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    seq         INTEGER NOT NULL UNIQUE,
    body        TEXT,
    PRIMARY KEY (kind, id)
);

-- Every command a device pushed, with the outcome it got, stored in the
-- same transaction as its effect: a replay finds it and changes nothing.
CREATE TABLE sync_commands (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    device_id   TEXT NOT NULL REFERENCES devices (id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    made_at     TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- The records that existed before sync did.
INSERT INTO sync_records (kind, id, district_id, seq, body)
SELECT 'registration', id, district_id, ROW_NUMBER() OVER (ORDER BY created_at, id),
       json_object('kind', 'registration', 'id', id, 'tracking_code', tracking_code,
                   'district', district_id, 'full_name', full_name, 'topic', topic,
                   'description', description, 'case_number', case_number,
                   'status', status, 'submitted_at', created_at,
                   'review', NULL, 'screening', NULL, 'rejection', NULL)
FROM registrations;

INSERT INTO sync_records (kind, id, district_id, seq, body)
SELECT 'meeting', id, district_id,
       (SELECT COUNT(*) FROM registrations) + ROW_NUMBER() OVER (ORDER BY created_at, id),
       json_object('kind', 'meeting', 'id', id, 'district', district_id,
                   'starts_at', starts_at, 'venue', venue, 'capacity', capacity,
                   'citizen_quota', citizen_quota, 'trustee_quota', trustee_quota)
FROM meetings;
