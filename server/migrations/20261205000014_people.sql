-- Case files (issue 13): a committee's device matches a request to the
-- case files its citizen owns, and to the citizen's earlier requests,
-- without holding anyone's national ID. Each national ID the server meets
-- (on a request, or as a case file's owner) gets a random key once; the
-- synced records carry the key.
CREATE TABLE people (
    national_id TEXT PRIMARY KEY,
    person_key  TEXT NOT NULL UNIQUE
);
