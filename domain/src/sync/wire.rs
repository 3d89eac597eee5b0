//! The sync messages: `POST /api/sync/push` and `GET /api/sync/pull`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::apply::Rejection;
use super::command::{CommandId, Envelope};
use super::record::{Record, RecordKey};
use crate::i18n::Bilingual;

/// The most commands in one push; the device sends a longer outbox in
/// several pushes.
pub const MAX_PUSH_BATCH: usize = 500;
/// The most changes in one pull page.
pub const MAX_PULL_PAGE: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub commands: Vec<Envelope>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One per command, in the order sent.
    pub results: Vec<CommandResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommandResult {
    pub id: CommandId,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What became of a command. A replayed command gets `duplicate` if it was
/// applied the first time, or the same refusal again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    Duplicate,
    Rejected {
        reason: Rejection,
        message: Bilingual,
    },
}

impl Outcome {
    pub fn rejected(reason: Rejection) -> Outcome {
        Outcome::Rejected {
            reason,
            message: Bilingual::of(&reason),
        }
    }

    /// The server has the command (now or from an earlier push).
    pub fn is_acknowledged(&self) -> bool {
        matches!(self, Outcome::Applied | Outcome::Duplicate)
    }
}

/// One page of changes since the device's cursor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub changes: Vec<PullChange>,
    /// Where the next pull starts. Opaque to the device.
    pub cursor: String,
    /// Whether more changes wait beyond this page.
    pub more: bool,
    /// The pull started from the beginning (no cursor, or one made for
    /// other scopes — a grant was added or taken away): the device replaces
    /// its records with what follows instead of merging, so nothing it may
    /// no longer read stays on it. Its unsent work is kept and rebased.
    #[serde(default)]
    pub reset: bool,
    /// The server's clock when it answered: devices measure their clock's
    /// offset from it, for the times their commands record.
    #[serde(with = "crate::time::wire::instant")]
    pub server_time: DateTime<Utc>,
}

/// A record as it is now, or `None` when it left the device's scope (a
/// tombstone: the device deletes its copy).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullChange {
    pub key: RecordKey,
    pub record: Option<Record>,
}
