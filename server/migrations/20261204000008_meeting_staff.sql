-- Meeting day (issue 12): field staff work at the meetings an
-- administrator assigns them to, and their devices pull those meetings'
-- rosters only — not their whole district's (DESIGN §3, §5).

-- A row stays when its person is taken off (removed_at): what they did at
-- the meeting while assigned, offline, is still accepted when it arrives.
CREATE TABLE meeting_staff (
    meeting_id  TEXT NOT NULL REFERENCES meetings (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    assigned_at TEXT NOT NULL,
    removed_at  TEXT,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_staff_by_user ON meeting_staff (user_id);

-- The meeting a synced record belongs to (meetings and roster entries),
-- so a pull can be scoped to the assigned meetings.
ALTER TABLE sync_records ADD COLUMN meeting_id TEXT;
UPDATE sync_records SET meeting_id = id WHERE kind = 'meeting';
UPDATE sync_records SET meeting_id = json_extract(body, '$.meeting')
WHERE kind = 'attendee' AND body IS NOT NULL;
CREATE INDEX sync_records_by_meeting ON sync_records (meeting_id, seq);
