-- Selection for a meeting (issue 13): the citizen's lookup says where and
-- when they are expected once invited. The meeting's day and venue are
-- read from `meetings`, so a rescheduled meeting shows as it is now.
ALTER TABLE registrations ADD COLUMN meeting_id TEXT REFERENCES meetings (id);
ALTER TABLE registrations ADD COLUMN slot_at TEXT;
