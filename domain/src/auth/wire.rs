//! What travels between the app and the server for staff accounts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Grant;
use crate::ids::{DeviceId, UserId};

/// `POST /api/auth/sign-in`. `device_id` is the id this phone or tablet
/// was given at its first sign-in (absent the first time); `device_name`
/// names it for administrators ("door 2, district 6").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub device_id: Option<String>,
    #[serde(default)]
    pub device_name: Option<String>,
}

/// The signed-in staff member, as the server states it and the app keeps
/// it, so work can go on offline until `offline_until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    pub device_id: DeviceId,
    /// Sent back in the `x-csrf-token` header of every unsafe request.
    pub csrf_token: String,
    /// When the server session ends at the latest.
    #[serde(with = "crate::time::wire::instant")]
    pub expires_at: DateTime<Utc>,
    /// Until when the app may keep working offline on this profile.
    #[serde(with = "crate::time::wire::instant")]
    pub offline_until: DateTime<Utc>,
}

/// `POST /api/admin/users`: an administrator creates a staff account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub grants: Vec<Grant>,
}

/// A staff account as administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    pub disabled: bool,
    #[serde(with = "crate::time::wire::instant")]
    pub created_at: DateTime<Utc>,
}

/// `POST /api/admin/users/{id}/password`: an administrator sets a new
/// password for someone who forgot theirs (checked by the rule of
/// [`super::NewPassword`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub password: String,
}

/// A device staff signed in on, as administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSummary {
    pub id: String,
    pub user_id: String,
    pub username: String,
    /// As its first user named it ("door 2, district 6").
    pub name: String,
    #[serde(with = "crate::time::wire::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::time::wire::instant")]
    pub last_seen_at: DateTime<Utc>,
    #[serde(
        default,
        deserialize_with = "crate::time::wire::instant::deserialize_option"
    )]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// One entry of the audit log as administrators read it: who (and on
/// which device) did what, to which record, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub device_id: Option<String>,
    pub device_name: Option<String>,
    pub action: String,
    pub target: Option<String>,
}

/// `POST /api/admin/devices/{id}/revoke`. Revoking blocks the device (it
/// gets nothing more and is told to clear its data), but its user could
/// sign in again on another device — or on this one, cleared — so the
/// administrator chooses in the same step what happens to the person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeDevice {
    pub also: AlsoOnRevoke,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlsoOnRevoke {
    /// Only the device: a lost tablet, its owner keeps working elsewhere.
    #[default]
    Nothing,
    /// The user's sessions on every device end; they must sign in again.
    EndSessions,
    /// The account is disabled as well (someone left, or misused it).
    DisableAccount,
}
