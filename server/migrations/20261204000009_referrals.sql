-- Request forms (issue 12): a form's referral moves the citizen's request
-- to `referred`; the lookup says to which deputy and since when, read from
-- here like the status (the synced record keeps the rest).
ALTER TABLE registrations ADD COLUMN referred_to TEXT;
ALTER TABLE registrations ADD COLUMN referred_at TEXT;
