-- A record that leaves a scope leaves a tombstone in it (issue: personal
-- data outlives its scope on devices). A record is now kept per (kind, id,
-- district): when it moves to another district (a citizen corrected it),
-- the row of the old district becomes a tombstone (body NULL) with a new
-- change number, so the old district's devices delete their copy, and the
-- row of the new district holds the record. At most one row of a record
-- has a body.
CREATE TABLE sync_records_by_district (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    seq         INTEGER NOT NULL UNIQUE,
    body        TEXT,
    PRIMARY KEY (kind, id, district_id)
);
INSERT INTO sync_records_by_district (kind, id, district_id, seq, body)
SELECT kind, id, district_id, seq, body FROM sync_records;
DROP TABLE sync_records;
ALTER TABLE sync_records_by_district RENAME TO sync_records;
