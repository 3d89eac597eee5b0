-- SMS invitations (issue 13): every message the server is to send, kept
-- in the same transaction as what caused it, and sent by a background
-- sender with retries. `dedupe_key` makes queueing once-only (a retried
-- request queues nothing more); `id` is the provider's local id, which
-- the provider keeps once, so a message re-sent after a crash between
-- the provider's answer and `sent_at` reaches the phone once.
CREATE TABLE sms_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    registration_id TEXT REFERENCES registrations (id),
    mobile          TEXT NOT NULL,
    body            TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    -- queued | sending | sent | failed
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- When a queued message is due, or a sending one's lease ends.
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    provider_ref    TEXT,
    last_error      TEXT
);
CREATE INDEX sms_outbox_due ON sms_outbox (state, next_attempt_at);
