//! Offline-first sync (DESIGN §5): every change a staff member makes is a
//! [`Command`], applied by [`apply`] — the same function in the browser (to
//! the device's copy, at once) and on the server (to the real data, which
//! decides). The server keeps each command id once, so a replay is harmless,
//! and hands out changed [`Record`]s by a change sequence the devices pull.
//!
//! - `command`: what a user did, in an [`Envelope`] saying who, on which
//!   device, and when.
//! - `record`: the synced data, each record in one district's scope.
//! - `form`: the request form filled at the tables, whose versions from
//!   several devices are all kept until someone chooses.
//! - `apply`: the rules, and the reasons a command is refused.
//! - `replica`: a set of records with commands applied on top: the server's
//!   state in the tests, the device's view (server state plus its own
//!   pending work) in the app.
//! - `wire`: the push and pull messages.
//! - `retry`: when a device runs its next cycle.

mod apply;
mod command;
mod form;
mod record;
mod replica;
mod retry;
mod wire;

pub use apply::{Effect, MAX_CASE_FILES, MAX_CHECK_INS, MAX_DOOR, Rejection, WalkInPerson, apply};
pub use command::{
    Command, CommandId, CommandIdError, Envelope, MAX_ABSENT, MAX_CLOCK_OFFSET, MAX_COMMAND_AGE,
    MAX_COMMAND_LEAD,
};
pub use form::{
    FOLLOW_UP_MONTHS, FormContent, FormEdit, FormPhoto, FormVersion, MAX_FORM_EDITS,
    MAX_FORM_PHOTOS, MAX_FORM_VERSIONS, MAX_PHOTO_BYTES, Referral, RequestForm,
};
pub use record::{
    Attendee, AttendeeKind, CheckInFact, Closure, Full, LastDigits, LastDigitsError, MeetingRecord,
    Reach, Record, RecordKey, RecordKind, RegistrationRecord, Release, ReleaseReason, Review,
    Screening, Undo,
};
pub use replica::{Records, Replica};
pub use retry::{NextCycle, next_cycle};
pub use wire::{
    CommandResult, MAX_PULL_PAGE, MAX_PUSH_BATCH, Outcome, PullChange, PullPage, PushRequest,
    PushResponse,
};
