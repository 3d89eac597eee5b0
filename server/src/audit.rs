//! The audit log: who did what, when, from which device (DESIGN §6).
//! Append-only — the database refuses changes and deletions — and free of
//! personal data: targets are ids, never national IDs or mobiles.

use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};
use domain::sync::Command;

use crate::auth::guard::Staff;
use crate::db::{self, Conn, StoredTime, Tx};
use crate::error::ApiError;
use crate::http::AppState;

/// What was done. The stored text ([`Action::as_str`]) is what the
/// administrators' audit screen filters on and what older entries hold, so
/// a variant's text never changes; a new action is a new variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    /// A failed sign-in that used the last attempt allowed: a lockout began.
    SignInLocked,
    SignOut,
    SignOutOthers,
    UserCreate,
    UserPasswordReset,
    UserDisable,
    UserSessionsEnd,
    DeviceRevoke,
    DistrictRename,
    DeputySave,
    MeetingCreate,
    MeetingUpdate,
    MeetingStaffAssign,
    /// A photo of a document uploaded for a request form.
    PhotoUpload,
    /// An operator claimed someone on a roster and was given their number.
    CallClaim,
    RegistrationWindowUpdate,
    /// A district's case files imported from a spreadsheet.
    CaseFileImport,
    /// A district's trustees imported from a spreadsheet.
    TrusteeImport,
    /// A sync command applied, logged under the command's own name.
    Applied(CommandName),
    /// A sync command refused (a device sending many is worth a look).
    CommandRefused,
}

/// A sync command's name, as `domain::sync::Command::name` spells it; made
/// only from a command, so the log holds no other text under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandName(&'static str);

impl From<&Command> for CommandName {
    fn from(command: &Command) -> Self {
        CommandName(command.name())
    }
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
            Action::SignInLocked => "sign_in_locked",
            Action::SignOut => "sign_out",
            Action::SignOutOthers => "sign_out_others",
            Action::UserCreate => "user_create",
            Action::UserPasswordReset => "user_password_reset",
            Action::UserDisable => "user_disable",
            Action::UserSessionsEnd => "user_sessions_end",
            Action::DeviceRevoke => "device_revoke",
            Action::DistrictRename => "district_rename",
            Action::DeputySave => "deputy_save",
            Action::MeetingCreate => "meeting_create",
            Action::MeetingUpdate => "meeting_update",
            Action::MeetingStaffAssign => "meeting_staff_assign",
            Action::PhotoUpload => "photo_upload",
            Action::CallClaim => "call_claim",
            Action::RegistrationWindowUpdate => "registration_window_update",
            Action::CaseFileImport => "case_file_import",
            Action::TrusteeImport => "trustee_import",
            Action::Applied(CommandName(name)) => name,
            Action::CommandRefused => "command_refused",
        }
    }
}

impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

pub struct Entry<'a> {
    pub at: DateTime<Utc>,
    pub actor: Actor<'a>,
    pub action: Action,
    pub target: Option<&'a str>,
}

/// Who acted: a signed-in staff member, someone signing in, or an attempt
/// on an account (which may not exist) with no device yet.
pub enum Actor<'a> {
    Staff(&'a Staff),
    SigningIn {
        user_id: &'a str,
        device_id: &'a str,
    },
    Account {
        user_id: Option<&'a str>,
    },
}

#[tracing::instrument(skip_all, fields(action = entry.action.as_str()))]
pub async fn record(conn: &mut Conn, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    let (user_id, device_id) = match entry.actor {
        Actor::Staff(staff) => (Some(staff.user_id.as_str()), Some(staff.device_id.as_str())),
        Actor::SigningIn { user_id, device_id } => (Some(user_id), Some(device_id)),
        Actor::Account { user_id } => (user_id, None),
    };
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, device_id, action, target) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(StoredTime(entry.at))
    .bind(user_id)
    .bind(device_id)
    .bind(entry.action.as_str())
    .bind(entry.target)
    .execute(conn)
    .await?;
    Ok(())
}

/// A staff member's change in one write transaction with its audit
/// entries: the log never misses a change that was made, nor names one that
/// was rolled back. Dropped without [`Audited::commit`], nothing is kept.
///
/// It derefs to the transaction's connection, so query functions take it
/// where they take a `&mut Conn`.
pub struct Audited<'s> {
    tx: Tx<'static>,
    staff: &'s Staff,
    at: DateTime<Utc>,
}

impl<'s> Audited<'s> {
    /// Begins `staff`'s change, at the server's time now.
    pub async fn begin(state: &AppState, staff: &'s Staff) -> Result<Self, ApiError> {
        Ok(Audited {
            tx: db::begin_write(&state.db).await?,
            staff,
            at: state.clock.now(),
        })
    }

    /// The time the change is recorded at.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// Logs one action of the change (a change may log several).
    pub async fn log(&mut self, action: Action, target: Option<&str>) -> Result<(), ApiError> {
        let entry = Entry {
            at: self.at,
            actor: Actor::Staff(self.staff),
            action,
            target,
        };
        record(&mut self.tx, entry).await?;
        Ok(())
    }

    /// Commits the change with what it logged.
    pub async fn commit(self) -> Result<(), ApiError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Logs the change's (last) action and commits it all.
    pub async fn commit_as(mut self, action: Action, target: Option<&str>) -> Result<(), ApiError> {
        self.log(action, target).await?;
        self.commit().await
    }
}

impl Deref for Audited<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl DerefMut for Audited<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_action_names_stay_what_the_log_already_holds() {
        let names = [
            (Action::SignIn, "sign_in"),
            (Action::SignInFailed, "sign_in_failed"),
            (Action::SignInLocked, "sign_in_locked"),
            (Action::SignOut, "sign_out"),
            (Action::SignOutOthers, "sign_out_others"),
            (Action::UserCreate, "user_create"),
            (Action::UserPasswordReset, "user_password_reset"),
            (Action::UserDisable, "user_disable"),
            (Action::UserSessionsEnd, "user_sessions_end"),
            (Action::DeviceRevoke, "device_revoke"),
            (Action::DistrictRename, "district_rename"),
            (Action::DeputySave, "deputy_save"),
            (Action::MeetingCreate, "meeting_create"),
            (Action::MeetingUpdate, "meeting_update"),
            (
                Action::RegistrationWindowUpdate,
                "registration_window_update",
            ),
            (Action::CommandRefused, "command_refused"),
        ];
        for (action, name) in names {
            assert_eq!(action.as_str(), name);
            assert_eq!(
                serde_json::to_value(action).ok(),
                Some(serde_json::json!(name))
            );
        }
    }
}
