-- Photos of documents on request forms (issue 12): the pictures
-- themselves, uploaded by a field device before it pushes the command
-- that attaches each to a form. Shown to staff who read the form, never
-- in a citizen's answer. Kept in the database, not beside it, so several
-- server instances share them and a backup holds them.
CREATE TABLE photos (
    id          TEXT PRIMARY KEY,
    attendee_id TEXT NOT NULL,
    meeting_id  TEXT NOT NULL REFERENCES meetings (id),
    district_id INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    device_id   TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    body        BLOB NOT NULL
);
CREATE INDEX photos_by_attendee ON photos (attendee_id);
