//! The device's clock, and its offset from the server's, measured whenever the
//! server says its time (the form's options, every sync pull) and kept as
//! a small setting: the registration window is judged by it offline, and
//! commands carry it, so a tablet whose clock is wrong still records the
//! right check-in time.

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};

const OFFSET_KEY: &str = "didar.clock_offset_ms";

/// The last measured offset (server minus device), in milliseconds.
pub fn offset_ms() -> i64 {
    LocalStorage::get(OFFSET_KEY).unwrap_or(0)
}

/// Records a measurement: the request left at `asked`, the answer came at
/// `answered`, and the server's clock said `server` in between.
pub fn measured(asked: DateTime<Utc>, answered: DateTime<Utc>, server: DateTime<Utc>) {
    let midpoint = asked + (answered - asked) / 2;
    let _ = LocalStorage::set(OFFSET_KEY, (server - midpoint).num_milliseconds());
}

/// The device's time corrected by the last measured offset (the
/// registration window's and the call list's; a field device's commands
/// carry the offset instead).
#[cfg(any(not(feature = "field"), feature = "staff"))]
pub fn server_now() -> DateTime<Utc> {
    now() + chrono::TimeDelta::milliseconds(offset_ms())
}

/// The browser's clock; the domain crate reads no clock itself.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}
