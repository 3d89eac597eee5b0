-- A district's local trustees (issue 13), a list administrators keep by
-- importing the district's spreadsheet. The mobile is who a trustee is:
-- importing again updates the trustee it finds by mobile. Devices get the
-- list as synced records without the full mobile; the server keeps it
-- here for the SMS invitation.
CREATE TABLE trustees (
    id            TEXT PRIMARY KEY,
    district_id   INTEGER NOT NULL REFERENCES districts (id),
    full_name     TEXT NOT NULL,
    mobile        TEXT NOT NULL,
    neighbourhood TEXT NOT NULL DEFAULT '',
    grp           TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL,
    UNIQUE (district_id, mobile)
);
