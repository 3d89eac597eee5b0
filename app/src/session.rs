//! The signed-in staff member's profile as this device keeps it, so work
//! goes on offline for a bounded time (DESIGN §5), and the device's id,
//! which outlives sign-outs. A leaf: sign-in writes it, sync and the
//! screens read it.

use domain::auth::{Profile, Role};
use domain::ids::UserId;
use gloo_storage::{LocalStorage, Storage};

use crate::clock::now;

const PROFILE_KEY: &str = "didar.profile";
const DEVICE_KEY: &str = "didar.device_id";

/// Keeps `profile` on the device, or forgets the one kept (the device id
/// stays: the server knows the device by it).
pub fn keep(profile: Option<&Profile>) {
    match profile {
        Some(profile) => {
            let _ = LocalStorage::set(PROFILE_KEY, profile);
            let _ = LocalStorage::set(DEVICE_KEY, &profile.device_id);
        }
        None => LocalStorage::delete(PROFILE_KEY),
    }
}

/// The profile of the staff member signed in on this device, if it still
/// allows offline work.
pub fn kept_profile() -> Option<Profile> {
    LocalStorage::get::<Profile>(PROFILE_KEY)
        .ok()
        .filter(|profile| profile.offline_until > now())
}

/// The id of the staff member signed in on this device.
pub fn signed_in_user() -> Option<UserId> {
    kept_profile().map(|profile| profile.user_id)
}

/// The id the server gave this device at its first sign-in.
pub fn device_id() -> Option<String> {
    LocalStorage::get::<String>(DEVICE_KEY).ok()
}

/// Whether the signed-in person holds `role` anywhere.
pub fn holds(profile: &Profile, role: Role) -> bool {
    profile.grants.iter().any(|grant| grant.role == role)
}
