-- The 137 call centre (issue 13): an operator about to phone someone on a
-- meeting's roster claims them, so no other operator calls the same
-- person at once. Held here, not in a server's memory, so it holds across
-- several server instances; a claim lapses at `until` or when the call's
-- outcome is recorded.
CREATE TABLE call_claims (
    attendee_id TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    until       TEXT NOT NULL
);
CREATE INDEX call_claims_by_meeting ON call_claims (meeting_id);
