-- A request belongs to the national ID *and* the mobile it was made from
-- (issue: taking over a citizen's request with their national ID). National
-- IDs are printed on many documents, so a second submission with the same
-- ID from another mobile is someone else's request — perhaps an impostor's —
-- kept beside the first and flagged for the executive committee; it never
-- changes the first. One request per (national ID, mobile, window).
DROP INDEX registrations_one_per_window;
CREATE UNIQUE INDEX registrations_one_per_owner ON registrations (national_id, mobile, window_id);
